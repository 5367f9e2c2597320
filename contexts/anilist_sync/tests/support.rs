//! A fresh database, a fake AniList and an `AniListSync` per test, a clock the test moves,
//! and short timeouts so that faults cost little time.

use std::sync::Arc;
use std::time::Duration;

use anilist_sync::contracts::{
    AniListAccountDto, AniListError, AniListMediaId, AskedBy, CompleteAniListLink, ImportJobDto,
    ImportOptions, ImportPreviewDto, ImportSource, ListEntryChange, MediaDto, MediaListStatus,
    MediaSearchResultsDto, MetadataChanged, ScoreRaw, SearchSource,
};
use anilist_sync::{
    AccountLinkSubscriber, AniListSettings, AniListSync, ImportTarget, OAuthClientSettings,
};
use anime_tracking::contracts::{AnimeSort, RatingScore, WatchStatus};
use anime_tracking::{AnimeTracking, MediaCatalog};
use fake_anilist::FakeAniList;
use identity::contracts::UserId;
use identity::{Identity, TokenKeys};
use kernel::Clock;
use sea_orm::TransactionTrait;
use testkit::{people, RecordedEvents, TestClock, TestDb};
use time::macros::datetime;
use time::OffsetDateTime;
use watch_spaces::contracts::WatchSpaceId;
use watch_spaces::{WatchSpaces, WatchSpacesSettings};

pub const START: OffsetDateTime = datetime!(2026-11-25 12:00 UTC);
pub const FRIEREN: i32 = 154_587;
pub const BLOOM_INTO_YOU: i32 = 101_573;
pub const JUJUTSU_KAISEN: i32 = 113_415;
pub const ONE_PIECE: i32 = 21;

/// The key tests seal tokens with.
pub const TOKEN_KEYS: &str = "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

pub struct World {
    pub db: TestDb,
    pub fake: FakeAniList,
    pub anilist: AniListSync,
    pub identity: Identity,
    pub spaces: WatchSpaces,
    /// Where imports bring titles, as the server wires it.
    pub tracking: AnimeTracking,
    /// What `anilist` published.
    pub metadata_changes: Arc<RecordedEvents<MetadataChanged>>,
    clock: Arc<TestClock>,
}

/// The defaults, with a request timeout short enough for timeout tests and BloomWatch's
/// client at the fake's OAuth endpoints.
pub fn test_settings(fake: &FakeAniList) -> AniListSettings {
    AniListSettings {
        api_url: fake.url(),
        request_timeout: Duration::from_millis(300),
        oauth: Some(OAuthClientSettings {
            client_id: fake_anilist::OAUTH_CLIENT_ID.to_owned(),
            client_secret: fake_anilist::OAUTH_CLIENT_SECRET.to_owned().into(),
            redirect_uri: "http://bloomwatch.test/api/me/anilist/callback".to_owned(),
            authorize_url: fake.authorize_url(),
            token_url: fake.token_url(),
        }),
        ..AniListSettings::default()
    }
}

/// Identity as the server wires it for AniListSync: cheap hashing, the test key, links
/// followed by AniListSync.
pub fn identity(db: &TestDb, clock: Arc<dyn Clock>) -> Identity {
    let mut settings = people::identity_settings();
    settings.token_keys = Some(Arc::new(TokenKeys::parse(TOKEN_KEYS).unwrap()));
    Identity::new(
        db.connection.clone(),
        clock.clone(),
        settings,
        Arc::new(RecordedEvents::default()),
        Arc::new(AccountLinkSubscriber::new(clock)),
    )
    .unwrap()
}

impl World {
    pub async fn new() -> Self {
        Self::with_settings(|_| {}).await
    }

    /// A world whose AniList budget never gets in the way (for tests about something else).
    pub async fn unthrottled() -> Self {
        let world =
            Self::with_settings(|settings| settings.initial_requests_per_minute = 10_000).await;
        world.fake.set_rate_limit(10_000);
        world
    }

    /// A world for imports: unthrottled, and with AniList's usual timeout, since a chunk of a
    /// 500-entry list is about a megabyte and the 300 ms of the fault tests is too short for it
    /// on a busy machine.
    pub async fn for_imports() -> Self {
        let world = Self::with_settings(|settings| {
            settings.initial_requests_per_minute = 10_000;
            settings.request_timeout = AniListSettings::default().request_timeout;
        })
        .await;
        world.fake.set_rate_limit(10_000);
        world
    }

    pub async fn with_settings(tune: impl FnOnce(&mut AniListSettings)) -> Self {
        let db = TestDb::new().await;
        let fake = FakeAniList::start().await.unwrap();
        let clock = Arc::new(TestClock::starting_at(START));
        let mut settings = test_settings(&fake);
        tune(&mut settings);
        let metadata_changes = Arc::new(RecordedEvents::default());
        let identity = identity(&db, clock.clone());
        let anilist = AniListSync::new(
            db.connection.clone(),
            identity.clone(),
            clock.clone(),
            settings,
            metadata_changes.clone(),
        )
        .unwrap();
        let spaces = WatchSpaces::new(
            db.connection.clone(),
            identity.clone(),
            clock.clone(),
            WatchSpacesSettings::default(),
            Arc::new(RecordedEvents::default()),
        );
        let tracking = AnimeTracking::new(
            db.connection.clone(),
            identity.clone(),
            spaces.clone(),
            Arc::new(AniListCatalog(anilist.clone())),
            clock.clone(),
            Arc::new(RecordedEvents::default()),
            Arc::new(RecordedEvents::default()),
        );
        Self {
            db,
            fake,
            anilist,
            identity,
            spaces,
            tracking,
            metadata_changes,
            clock,
        }
    }

    pub fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    pub fn advance(&self, by: time::Duration) {
        self.clock.advance(by);
    }

    pub async fn calls(&self) -> u64 {
        self.anilist.upstream_calls().await
    }

    /// Caches these media by looking each up once.
    pub async fn warm(&self, ids: &[i32]) {
        for id in ids {
            self.anilist
                .media(AskedBy::BloomWatch, id_of(*id))
                .await
                .unwrap();
        }
    }

    pub async fn cached_rows(&self) -> i64 {
        self.db
            .scalar("SELECT count(*) FROM anilist_sync.media_cache")
            .await
    }
}

impl World {
    /// A BloomWatch account named `name`.
    pub async fn member(&self, name: &str) -> UserId {
        people::register(&self.identity, name).await.id
    }

    /// What AniList hands back after `user` approves BloomWatch there: follows the authorize
    /// URL the way a browser would and reads `code` and `state` off the redirect.
    pub async fn approve_on_anilist(&self, user: UserId) -> CompleteAniListLink {
        let authorize = self.anilist.start_link(user).await.unwrap().authorize_url;
        let redirect = redirect_of(&authorize).await;
        let query: std::collections::HashMap<String, String> = redirect
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        CompleteAniListLink {
            code: query.get("code").cloned().unwrap_or_default(),
            state: query.get("state").cloned().unwrap_or_default(),
        }
    }

    /// Links `user` to a fresh fake AniList account (or `as_user` there).
    pub async fn link(&self, user: UserId, as_user: Option<&str>) -> AniListAccountDto {
        self.fake.approve_as(as_user);
        let callback = self.approve_on_anilist(user).await;
        self.fake.approve_as(None);
        self.anilist.complete_link(user, callback).await.unwrap()
    }

    /// Queues `changes` in a transaction of their own, as a write would.
    pub async fn queue(&self, changes: &[ListEntryChange]) {
        let transaction = self.db.connection.begin().await.unwrap();
        self.anilist
            .queue_list_changes(&transaction, changes)
            .await
            .unwrap();
        transaction.commit().await.unwrap();
    }

    pub async fn pending(&self, user: UserId) -> i64 {
        self.anilist
            .account(user)
            .await
            .unwrap()
            .link
            .map_or(0, |link| link.pending_changes)
    }
}

/// AnimeTracking's AniList port, answered by AniListSync as the server wires it.
struct AniListCatalog(AniListSync);

#[async_trait::async_trait]
impl MediaCatalog for AniListCatalog {
    async fn media(&self, asked_by: AskedBy, id: AniListMediaId) -> Result<MediaDto, AniListError> {
        self.0.media(asked_by, id).await
    }
}

/// One member's own entry of a title in a space, as the space shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnEntry {
    pub media: i32,
    pub shared_status: WatchStatus,
    pub status: WatchStatus,
    pub episodes: i32,
    pub rating: Option<RatingScore>,
    pub notes: Option<String>,
}

impl World {
    /// A space owned by the first of `names`, the others members by invitation; the space
    /// and the members in the order given.
    pub async fn space(&self, names: &[&str]) -> (WatchSpaceId, Vec<UserId>) {
        people::space_of(&self.identity, &self.spaces, names).await
    }

    pub async fn preview(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        source: &ImportSource,
        file: Option<&[u8]>,
        options: &ImportOptions,
    ) -> Result<ImportPreviewDto, AniListError> {
        self.anilist
            .preview_import(&self.tracking, actor, space, source, file, options)
            .await
    }

    /// Starts an import and lets the worker carry it as far as it goes; the job then.
    pub async fn import(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        source: &ImportSource,
        file: Option<&[u8]>,
        options: ImportOptions,
    ) -> Result<ImportJobDto, AniListError> {
        let job = self
            .anilist
            .start_import(&self.tracking, actor, space, source, file, options)
            .await?;
        self.work_imports(&self.tracking).await;
        Ok(self.anilist.import_job(actor, space, job.id).await.unwrap())
    }

    /// What one worker does with the imports it can take up now, through `target`.
    pub async fn work_imports(&self, target: &dyn ImportTarget) {
        while self.anilist.process_next_import(target).await.unwrap() {}
    }

    /// `actor`'s own entries in the space, by AniList id.
    pub async fn own_entries(&self, actor: UserId, space: WatchSpaceId) -> Vec<OwnEntry> {
        let mut entries: Vec<OwnEntry> = self
            .tracking
            .all_anime(actor, space, AnimeSort::default())
            .await
            .unwrap()
            .into_iter()
            .filter_map(|anime| {
                let own = anime
                    .participants
                    .iter()
                    .find(|entry| entry.user_id == actor && entry.version > 0)?;
                Some(OwnEntry {
                    media: anime.anilist_media_id.get(),
                    shared_status: anime.shared_status,
                    status: own.individual_status,
                    episodes: own.episodes_watched,
                    rating: own.rating_score,
                    notes: own.rating_notes.clone(),
                })
            })
            .collect();
        entries.sort_by_key(|entry| entry.media);
        entries
    }

    /// `user`'s whole sync history, newest first, read two attempts a page so that every
    /// test that reads it also walks its cursors.
    pub async fn history(&self, user: UserId) -> Vec<anilist_sync::contracts::SyncAttemptDto> {
        let mut attempts = Vec::new();
        let mut after = None;
        loop {
            let page = self
                .anilist
                .sync_history(user, kernel::paging::PageLimit::new(2).unwrap(), after)
                .await
                .unwrap();
            attempts.extend(page.items);
            match page.next_cursor {
                Some(cursor) => after = Some(cursor),
                None => return attempts,
            }
        }
    }

    /// Titles tracked in the space.
    pub async fn titles(&self, actor: UserId, space: WatchSpaceId) -> usize {
        self.tracking
            .all_anime(actor, space, AnimeSort::default())
            .await
            .unwrap()
            .len()
    }
}

/// An import by AniList user name.
pub fn anilist_user(name: &str) -> ImportSource {
    ImportSource::AniList {
        user_name: Some(name.to_owned()),
    }
}

/// Where a GET of `url` redirects to (the fake's authorize page answers with a 302).
pub async fn redirect_of(url: &str) -> reqwest::Url {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = client.get(url).send().await.unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::FOUND, "{url}");
    let location = response.headers()[reqwest::header::LOCATION]
        .to_str()
        .unwrap();
    reqwest::Url::parse(location).unwrap()
}

/// A change of `user`'s `media` with the given fields.
pub fn change(
    user: UserId,
    media: i32,
    status: Option<MediaListStatus>,
    progress: Option<i32>,
    score: Option<u8>,
) -> ListEntryChange {
    ListEntryChange {
        user,
        media: id_of(media),
        watch_space_anime_id: None,
        status,
        progress,
        score_raw: score.map(|score| ScoreRaw::new(i64::from(score)).unwrap()),
    }
}

pub fn progress(user: UserId, media: i32, episodes: i32) -> ListEntryChange {
    change(user, media, None, Some(episodes), None)
}

pub fn id_of(raw: i32) -> AniListMediaId {
    AniListMediaId::new(i64::from(raw)).unwrap()
}

pub fn ids(results: &MediaSearchResultsDto) -> Vec<i32> {
    results
        .results
        .iter()
        .map(|media| media.anilist_media_id.get())
        .collect()
}

/// Asserts the results came from the cache and returns what AniList's wait was.
pub fn from_cache(results: &MediaSearchResultsDto) -> Option<u64> {
    match &results.source {
        SearchSource::Cache {
            reason,
            retry_after_seconds,
        } => {
            assert!(reason.contains("BloomWatch has seen before"), "{reason}");
            *retry_after_seconds
        }
        SearchSource::AniList => panic!("expected results from the cache, got AniList's"),
    }
}
