//! A fresh database, Identity, WatchSpaces and AnimeTracking per test, an in-memory AniList
//! catalog, a clock the test moves, and shortcuts for the usual setup.

// Setup that fails cannot test anything: these helpers panic, like the tests calling them.
#![expect(clippy::unwrap_used)]

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use anilist_sync::contracts::{
    AniListError, AniListMediaId, AskedBy, MediaDto, MediaFormat, MediaSeason,
};
use anime_tracking::contracts::{
    AddAnime, AnimeSort, ParticipantEntriesChanged, RecordWatchSession, TrackingChanged,
    WatchSessionDto, WatchSpaceAnimeDto, WatchSpaceAnimeId, WatchStatus,
};
use anime_tracking::{AnimeTracking, MediaCatalog};
use identity::contracts::UserId;
use identity::Identity;
use testkit::{people, RecordedEvents, TestClock, TestDb};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use watch_spaces::contracts::WatchSpaceId;
use watch_spaces::{WatchSpaces, WatchSpacesSettings};

pub const START: OffsetDateTime = datetime!(2026-11-25 12:00 UTC);

/// Bloom Into You: 13 episodes, English title.
pub const BLOOM: i64 = 97_766;
/// One Piece: still airing, episode count unknown, no English title.
pub const ONE_PIECE: i64 = 21;
/// Frieren: 28 episodes.
pub const FRIEREN: i64 = 154_587;
/// Your Name.: a film, one episode, medium cover only.
pub const YOUR_NAME: i64 = 21_519;

pub fn media_id(id: i64) -> AniListMediaId {
    AniListMediaId::new(id).unwrap()
}

/// AniList's description of a show, as the catalog hands it out.
pub fn media(id: i64, romaji: &str, english: Option<&str>, episodes: Option<i32>) -> MediaDto {
    MediaDto {
        anilist_media_id: media_id(id),
        id_mal: None,
        title_romaji: romaji.into(),
        title_english: english.map(Into::into),
        title_native: None,
        episodes,
        duration_minutes: Some(24),
        format: Some(MediaFormat::Tv),
        status: None,
        season: Some(MediaSeason::Fall),
        season_year: Some(2018),
        cover_image_large: Some(format!("https://img.example/{id}/large.jpg")),
        cover_image_medium: Some(format!("https://img.example/{id}/medium.jpg")),
        cover_color: None,
        genres: vec!["Romance".into()],
        average_score: Some(80),
        popularity: Some(1000),
        description: None,
        is_adult: false,
        next_airing_episode: None,
        updated_from_source_at_utc: START,
        cached_at_utc: START,
    }
}

/// An in-memory AniList: a few shows, whose metadata a test may change; it can be told to
/// fail, and counts calls.
#[derive(Debug)]
pub struct FakeCatalog {
    media: Mutex<Vec<MediaDto>>,
    unavailable: AtomicBool,
    calls: AtomicUsize,
}

impl FakeCatalog {
    fn new() -> Self {
        let mut your_name = media(YOUR_NAME, "Kimi no Na wa.", Some("Your Name."), Some(1));
        your_name.format = Some(MediaFormat::Movie);
        your_name.season = Some(MediaSeason::Summer);
        your_name.cover_image_large = None;
        let mut one_piece = media(ONE_PIECE, "ONE PIECE", None, None);
        one_piece.season = None;
        Self {
            media: Mutex::new(vec![
                media(
                    BLOOM,
                    "Yagate Kimi ni Naru",
                    Some("Bloom Into You"),
                    Some(13),
                ),
                one_piece,
                media(
                    FRIEREN,
                    "Sousou no Frieren",
                    Some("Frieren: Beyond Journey's End"),
                    Some(28),
                ),
                your_name,
            ]),
            unavailable: AtomicBool::new(false),
            calls: AtomicUsize::new(0),
        }
    }

    /// AniList now describes the show as `media` says.
    pub fn publish(&self, media: MediaDto) {
        let mut all = self.media.lock().unwrap();
        all.retain(|known| known.anilist_media_id != media.anilist_media_id);
        all.push(media);
    }

    pub fn set_unavailable(&self, unavailable: bool) {
        self.unavailable.store(unavailable, Ordering::SeqCst);
    }

    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

#[async_trait::async_trait]
impl MediaCatalog for FakeCatalog {
    async fn media(
        &self,
        _asked_by: AskedBy,
        id: AniListMediaId,
    ) -> Result<MediaDto, AniListError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if self.unavailable.load(Ordering::SeqCst) {
            return Err(AniListError::Unavailable);
        }
        self.media
            .lock()
            .unwrap()
            .iter()
            .find(|media| media.anilist_media_id == id)
            .cloned()
            .ok_or(AniListError::MediaNotFound)
    }
}

pub struct User {
    pub id: UserId,
}

pub struct World {
    pub db: TestDb,
    pub spaces: WatchSpaces,
    pub tracking: AnimeTracking,
    /// What `tracking` published.
    pub changes: Arc<RecordedEvents<TrackingChanged>>,
    /// What writes changed on members' own entries (AniList sync follows these).
    pub entry_changes: Arc<RecordedEvents<ParticipantEntriesChanged>>,
    pub catalog: Arc<FakeCatalog>,
    identity: Identity,
    clock: Arc<TestClock>,
}

/// A space owned by ann, with kai as a member; eve is a stranger to it.
pub struct Trio {
    pub ann: User,
    pub kai: User,
    pub eve: User,
    pub space: WatchSpaceId,
}

impl World {
    pub async fn new() -> Self {
        let db = TestDb::new().await;
        let clock = Arc::new(TestClock::starting_at(START));
        let identity = people::identity(&db.connection, clock.clone());
        let spaces = WatchSpaces::new(
            db.connection.clone(),
            identity.clone(),
            clock.clone(),
            WatchSpacesSettings::default(),
            Arc::new(RecordedEvents::default()),
        );
        let catalog = Arc::new(FakeCatalog::new());
        let changes = Arc::new(RecordedEvents::default());
        let entry_changes = Arc::new(RecordedEvents::default());
        let tracking = AnimeTracking::new(
            db.connection.clone(),
            identity.clone(),
            spaces.clone(),
            catalog.clone(),
            clock.clone(),
            changes.clone(),
            entry_changes.clone(),
        );
        Self {
            db,
            spaces,
            tracking,
            changes,
            entry_changes,
            catalog,
            identity,
            clock,
        }
    }

    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
    }

    /// Registers `{name}@example.org`, shown as `name` capitalised.
    pub async fn user(&self, name: &str) -> User {
        User {
            id: people::register(&self.identity, name).await.id,
        }
    }

    /// `user` is invited by `owner` and accepts.
    pub async fn join(&self, owner: &User, space: WatchSpaceId, user: &User, email: &str) {
        people::join(&self.spaces, owner.id, space, user.id, email).await;
    }

    /// A new space that `owner` creates.
    pub async fn space_of(&self, owner: &User, name: &str) -> WatchSpaceId {
        people::create_space(&self.spaces, owner.id, name).await.id
    }

    pub async fn trio(&self) -> Trio {
        let ann = self.user("ann").await;
        let kai = self.user("kai").await;
        let eve = self.user("eve").await;
        let space = self.space_of(&ann, "Cozy Club").await;
        self.join(&ann, space, &kai, "kai@example.org").await;
        Trio {
            ann,
            kai,
            eve,
            space,
        }
    }

    pub async fn add(&self, actor: &User, space: WatchSpaceId, id: i64) -> WatchSpaceAnimeDto {
        self.tracking
            .add_anime(
                actor.id,
                space,
                AddAnime {
                    anilist_media_id: media_id(id),
                    shared_status: None,
                },
            )
            .await
            .unwrap()
    }

    /// AniList changes a show's metadata and BloomWatch's cache hands it on, as the media
    /// refresh does.
    pub async fn anilist_now_says(&self, media: MediaDto) {
        self.catalog.publish(media.clone());
        self.tracking.sync_media_snapshot(&media).await.unwrap();
    }

    pub async fn get(
        &self,
        actor: &User,
        space: WatchSpaceId,
        anime: WatchSpaceAnimeId,
    ) -> WatchSpaceAnimeDto {
        self.tracking
            .get_anime(actor.id, space, anime)
            .await
            .unwrap()
            .anime
    }

    pub async fn list(&self, actor: &User, space: WatchSpaceId) -> Vec<WatchSpaceAnimeDto> {
        self.tracking
            .all_anime(actor.id, space, AnimeSort::default())
            .await
            .unwrap()
    }

    pub async fn record(
        &self,
        actor: &User,
        space: WatchSpaceId,
        anime: WatchSpaceAnimeId,
        episodes: (i32, i32),
        attendees: Option<Vec<UserId>>,
    ) -> WatchSessionDto {
        self.tracking
            .record_session(actor.id, space, anime, session(episodes, attendees))
            .await
            .unwrap()
    }

    /// How many rows all of AnimeTracking's tables hold.
    pub async fn rows(&self) -> i64 {
        self.db
            .scalar(
                "SELECT (SELECT count(*) FROM anime_tracking.watch_space_anime) \
             + (SELECT count(*) FROM anime_tracking.participant_entries) \
             + (SELECT count(*) FROM anime_tracking.watch_sessions) \
             + (SELECT count(*) FROM anime_tracking.watch_session_attendees)",
            )
            .await
    }
}

pub fn session(episodes: (i32, i32), attendees: Option<Vec<UserId>>) -> RecordWatchSession {
    RecordWatchSession {
        session_date_utc: START,
        start_episode: episodes.0,
        end_episode: episodes.1,
        notes: None,
        attendee_user_ids: attendees,
    }
}

/// The participant entry of `user`.
pub fn entry_of(
    anime: &WatchSpaceAnimeDto,
    user: &User,
) -> anime_tracking::contracts::ParticipantEntryDto {
    anime
        .participants
        .iter()
        .find(|entry| entry.user_id == user.id)
        .cloned()
        .unwrap()
}

/// The status and progress of `user`.
pub fn progress_of(anime: &WatchSpaceAnimeDto, user: &User) -> (WatchStatus, i32) {
    let entry = entry_of(anime, user);
    (entry.individual_status, entry.episodes_watched)
}

/// The message a validation error has for `field`.
pub fn field_error(error: anime_tracking::contracts::AnimeTrackingError, field: &str) -> String {
    let anime_tracking::contracts::AnimeTrackingError::Validation(fields) = error else {
        panic!("expected a validation error, got {error:?}")
    };
    fields
        .for_field(field)
        .unwrap_or_else(|| panic!("no error on {field}: {fields:?}"))
        .to_owned()
}
