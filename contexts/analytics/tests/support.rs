//! A fresh database per test with every facade Analytics needs on one connection that counts
//! the SQL statements it runs, the fake AniList (its rate limit out of the way), a clock the
//! test sets, and shortcuts to seed a space quickly.

// Setup that fails cannot test anything: these helpers panic, like the tests calling them.
#![expect(clippy::unwrap_used)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use analytics::contracts::DashboardDto;
use analytics::{Analytics, Subscriber};
use anilist_sync::contracts::{AniListError, AniListMediaId, MediaDto};
use anilist_sync::{AniListSettings, AniListSync};
use anime_tracking::contracts::{AddAnime, RateAnime, RecordWatchSession, WatchSpaceAnimeDto};
use anime_tracking::{AnimeTracking, MediaCatalog};
use fake_anilist::FakeAniList;
use identity::contracts::{UpdateProfile, UserId};
use identity::Identity;
use kernel::Clock;
use sea_orm::ConnectionTrait;
use serde_json::json;
use testkit::{people, RecordedEvents, TestClock, TestDb};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use watch_spaces::contracts::WatchSpaceId;
use watch_spaces::{WatchSpaces, WatchSpacesSettings};

/// A Wednesday.
pub const START: OffsetDateTime = datetime!(2026-11-25 12:00 UTC);

/// The first AniList id of the generated shows.
const FIRST_GENERATED_MEDIA: i64 = 800_000;

/// AnimeTracking's AniList port, answered by AniListSync as the server wires it (so adding a
/// show caches its metadata for Analytics).
struct AniListCatalog(AniListSync);

#[async_trait::async_trait]
impl MediaCatalog for AniListCatalog {
    async fn media(
        &self,
        asked_by: anilist_sync::contracts::AskedBy,
        id: AniListMediaId,
    ) -> Result<MediaDto, AniListError> {
        self.0.media(asked_by, id).await
    }
}

pub struct World {
    pub db: TestDb,
    pub analytics: Analytics,
    pub tracking: AnimeTracking,
    pub spaces: WatchSpaces,
    pub fake: FakeAniList,
    pub anilist: AniListSync,
    pub identity: Identity,
    statements: Arc<AtomicUsize>,
    clock: Arc<TestClock>,
}

/// A space and its members, the owner first.
pub struct Space {
    pub id: WatchSpaceId,
    pub members: Vec<UserId>,
}

impl World {
    pub async fn new() -> Self {
        let db = TestDb::new().await;
        let statements = Arc::new(AtomicUsize::new(0));
        let mut connection = db.connection.clone();
        let counter = statements.clone();
        connection.set_metric_callback(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
        });
        let clock = Arc::new(TestClock::starting_at(START));
        // Wired as the server wires it.
        let subscriber = Arc::new(Subscriber);
        let identity = Identity::new(
            connection.clone(),
            clock.clone(),
            people::identity_settings(),
            subscriber.clone(),
            Arc::new(RecordedEvents::default()),
        )
        .unwrap();
        let spaces = WatchSpaces::new(
            connection.clone(),
            identity.clone(),
            clock.clone(),
            WatchSpacesSettings::default(),
            subscriber.clone(),
        );
        let fake = FakeAniList::start().await.unwrap();
        fake.set_rate_limit(1_000_000);
        let anilist = AniListSync::new(
            connection.clone(),
            identity.clone(),
            clock.clone(),
            AniListSettings {
                api_url: fake.url(),
                initial_requests_per_minute: 1_000_000,
                // One member adds hundreds of shows by id here.
                requests_per_member_per_minute: 1_000_000,
                ..AniListSettings::default()
            },
            subscriber.clone(),
        )
        .unwrap();
        let tracking = AnimeTracking::new(
            connection.clone(),
            identity.clone(),
            spaces.clone(),
            Arc::new(AniListCatalog(anilist.clone())),
            clock.clone(),
            subscriber,
            Arc::new(RecordedEvents::default()),
        );
        let analytics = Analytics::new(
            connection,
            spaces.clone(),
            tracking.clone(),
            anilist.clone(),
            identity.clone(),
            clock.clone(),
        );
        Self {
            db,
            analytics,
            tracking,
            spaces,
            fake,
            anilist,
            identity,
            statements,
            clock,
        }
    }

    /// Moves the clock on.
    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
    }

    /// The dashboard computed afresh: the space's snapshot is dropped first (by hand, as
    /// only a test may), so nothing stored can answer.
    pub async fn fresh_dashboard(&self, reader: UserId, space: WatchSpaceId) -> DashboardDto {
        self.db
            .connection
            .execute_unprepared(&format!(
                "DELETE FROM analytics.dashboard_snapshots WHERE watch_space_id = '{}'",
                space.0
            ))
            .await
            .unwrap();
        self.analytics.dashboard(reader, space).await.unwrap()
    }

    /// The user takes a new display name.
    pub async fn rename(&self, user: UserId, name: &str) {
        self.identity
            .update_profile(
                user,
                UpdateProfile {
                    display_name: Some(name.into()),
                    ..UpdateProfile::default()
                },
                testkit::people::CLIENT_ADDRESS,
            )
            .await
            .unwrap();
    }

    /// Registers `name` and lets them join the space by invitation.
    pub async fn join(&self, space: &mut Space, name: &str) -> UserId {
        let user = people::register(&self.identity, name).await.id;
        people::join(
            &self.spaces,
            space.members[0],
            space.id,
            user,
            &people::email_of(name),
        )
        .await;
        space.members.push(user);
        user
    }

    /// How many SQL statements `work` ran, through any of the facades.
    pub async fn statements_of<T>(&self, work: impl std::future::Future<Output = T>) -> (T, usize) {
        let before = self.statements.load(Ordering::SeqCst);
        let output = work.await;
        (output, self.statements.load(Ordering::SeqCst) - before)
    }

    /// A space owned by the first of `names`, the others members by invitation.
    pub async fn space(&self, names: &[&str]) -> Space {
        let (id, members) = people::space_of(&self.identity, &self.spaces, names).await;
        Space { id, members }
    }

    /// Tracks a generated show (`index` picks its AniList id, genres and length), 12 episodes.
    pub async fn add(&self, space: &Space, index: usize) -> WatchSpaceAnimeDto {
        let genres = ["Drama", "Romance", "Comedy", "Fantasy", "Mystery"];
        let id = self.generate(index, &[genres[index % 5], genres[(index + 2) % 5]]);
        self.tracking
            .add_anime(
                space.members[0],
                space.id,
                AddAnime {
                    anilist_media_id: AniListMediaId::new(id).unwrap(),
                    shared_status: None,
                },
            )
            .await
            .unwrap()
    }

    /// Puts generated show `index` with these genres into the fake AniList; its AniList id.
    pub fn generate(&self, index: usize, genres: &[&str]) -> i64 {
        let id = FIRST_GENERATED_MEDIA + i64::try_from(index).unwrap();
        self.fake.insert_media(json!({
            "id": id, "idMal": null,
            "title": {"romaji": format!("Generated Show {index}"), "english": null, "native": null},
            "episodes": 12, "duration": 20 + index % 10, "format": "TV", "status": "FINISHED",
            "season": null, "seasonYear": 2024,
            "coverImage": {"extraLarge": null, "large": null, "medium": null, "color": null},
            "genres": genres,
            "averageScore": 70, "meanScore": 70, "popularity": 100,
            "isAdult": false, "description": null, "updatedAt": 1_700_000_000,
            "nextAiringEpisode": null
        }));
        id
    }

    /// `who` (an index into the members) rates the show for the first time.
    pub async fn rate(&self, space: &Space, who: usize, anime: &WatchSpaceAnimeDto, score: f64) {
        self.tracking
            .rate_anime(
                space.members[who],
                space.id,
                anime.id,
                RateAnime {
                    version: 0,
                    rating_score: score,
                    rating_notes: None,
                },
            )
            .await
            .unwrap();
    }

    /// Everyone watched `episodes` together, `days_ago` before now.
    pub async fn watch(
        &self,
        space: &Space,
        anime: &WatchSpaceAnimeDto,
        episodes: (i32, i32),
        days_ago: i64,
    ) {
        self.tracking
            .record_session(
                space.members[0],
                space.id,
                anime.id,
                RecordWatchSession {
                    session_date_utc: self.clock.now() - Duration::days(days_ago),
                    start_episode: episodes.0,
                    end_episode: episodes.1,
                    notes: None,
                    attendee_user_ids: None,
                },
            )
            .await
            .unwrap();
    }

    /// Grows the space to `shows` generated shows: every third stays in the backlog, the
    /// others were watched together; two members (in turn) rate each show.
    pub async fn seed(&self, space: &Space, from: usize, shows: usize) {
        for index in from..shows {
            let anime = self.add(space, index).await;
            let score = f64::from(u8::try_from(index % 20).unwrap() + 1) / 2.0;
            let members = space.members.len();
            self.rate(space, index % members, &anime, score).await;
            if members > 1 {
                let other = (index + 1) % members;
                self.rate(space, other, &anime, (11.0 - score).min(10.0))
                    .await;
            }
            if index % 3 != 0 {
                let last = 1 + i32::try_from(index % 4).unwrap();
                self.watch(space, &anime, (1, last), i64::try_from(index % 60).unwrap())
                    .await;
            }
        }
    }
}
