//! A fresh database, a fake AniList and an `AniListSync` per test, a clock the test moves,
//! and short timeouts so that faults cost little time.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use anilist_sync::contracts::{
    AniListMediaId, MediaSearchResultsDto, MetadataChanged, SearchSource,
};
use anilist_sync::{AniListSettings, AniListSync};
use fake_anilist::FakeAniList;
use kernel::Clock;
use sea_orm::{ConnectionTrait, DbErr, Statement};
use testkit::{RecordedEvents, TestDb};
use time::macros::datetime;
use time::OffsetDateTime;

pub const START: OffsetDateTime = datetime!(2026-11-25 12:00 UTC);
pub const FRIEREN: i32 = 154_587;
pub const BLOOM_INTO_YOU: i32 = 101_573;
pub const JUJUTSU_KAISEN: i32 = 113_415;
pub const ONE_PIECE: i32 = 21;

/// A clock that stands still until the test moves it.
#[derive(Debug)]
pub struct TestClock(Mutex<OffsetDateTime>);

impl Clock for TestClock {
    fn now(&self) -> OffsetDateTime {
        *self.0.lock().unwrap()
    }
}

pub struct World {
    pub db: TestDb,
    pub fake: FakeAniList,
    pub anilist: AniListSync,
    /// What `anilist` published.
    pub metadata_changes: Arc<RecordedEvents<MetadataChanged>>,
    clock: Arc<TestClock>,
}

/// The defaults, with a request timeout short enough for timeout tests.
pub fn test_settings(api_url: String) -> AniListSettings {
    AniListSettings {
        api_url,
        request_timeout: Duration::from_millis(300),
        ..AniListSettings::default()
    }
}

impl World {
    pub async fn new() -> Self {
        Self::with_settings(|_| {}).await
    }

    pub async fn with_settings(tune: impl FnOnce(&mut AniListSettings)) -> Self {
        let db = TestDb::new().await;
        let fake = FakeAniList::start().await.unwrap();
        let clock = Arc::new(TestClock(Mutex::new(START)));
        let mut settings = test_settings(fake.url());
        tune(&mut settings);
        let metadata_changes = Arc::new(RecordedEvents::default());
        let anilist = AniListSync::new(
            db.connection.clone(),
            clock.clone(),
            settings,
            metadata_changes.clone(),
        )
        .unwrap();
        Self {
            db,
            fake,
            anilist,
            metadata_changes,
            clock,
        }
    }

    pub fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    pub fn advance(&self, by: time::Duration) {
        *self.clock.0.lock().unwrap() += by;
    }

    pub async fn calls(&self) -> u64 {
        self.anilist.upstream_calls().await
    }

    /// Caches these media by looking each up once.
    pub async fn warm(&self, ids: &[i32]) {
        for id in ids {
            self.anilist.media(id_of(*id)).await.unwrap();
        }
    }

    pub async fn sql(&self, sql: &str) -> Result<(), DbErr> {
        self.db.connection.execute_unprepared(sql).await.map(|_| ())
    }

    /// The first column of the first row, as a number.
    pub async fn number(&self, sql: &str) -> i64 {
        let row = self
            .db
            .connection
            .query_one_raw(Statement::from_string(
                self.db.connection.get_database_backend(),
                sql,
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get_by_index::<i64>(0).unwrap()
    }

    pub async fn cached_rows(&self) -> i64 {
        self.number("SELECT count(*) FROM anilist_sync.media_cache")
            .await
    }
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

/// Asserts that a database error names the constraint that refused the row.
pub fn refused_by(result: Result<(), DbErr>, constraint: &str) {
    let error = result.expect_err("the database accepted an invalid row");
    assert!(
        error.to_string().contains(constraint),
        "expected {constraint}, got: {error}"
    );
}
