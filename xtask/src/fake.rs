//! The bundled fake AniList, run inside xtask for `run --demo`, the end-to-end tests and the
//! benchmark.

use anyhow::{Context, Result};
use fake_anilist::FakeAniList;
use serde_json::Value;
use tokio::runtime::Runtime;

/// The fake AniList (for `run --demo` and the end-to-end tests), served by a runtime of its
/// own while xtask itself stays synchronous.
pub struct InProcessAniList {
    runtime: Runtime,
    fake: FakeAniList,
}

impl InProcessAniList {
    pub fn start() -> Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .context("starting a tokio runtime for the fake AniList")?;
        let fake = runtime.block_on(FakeAniList::start())?;
        Ok(Self { runtime, fake })
    }

    pub fn url(&self) -> String {
        self.fake.url()
    }

    /// The server settings that make this fake BloomWatch's AniList: the API and the OAuth
    /// client (the fake approves every authorization at once).
    pub fn server_env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("ANILIST_API_URL", self.fake.url()),
            (
                "ANILIST_CLIENT_ID",
                fake_anilist::OAUTH_CLIENT_ID.to_owned(),
            ),
            (
                "ANILIST_CLIENT_SECRET",
                fake_anilist::OAUTH_CLIENT_SECRET.to_owned(),
            ),
            ("ANILIST_AUTHORIZE_URL", self.fake.authorize_url()),
            ("ANILIST_TOKEN_URL", self.fake.token_url()),
        ]
    }

    /// Adds `media` (AniList's Media JSON) to the catalog, beside the bundled anime.
    pub fn insert_media(&self, media: Value) {
        self.fake.insert_media(media);
    }

    /// Adds a user with a generated list ([`fake_anilist::generate_list`]) and its media.
    pub fn insert_generated_user(
        &self,
        spec: &fake_anilist::GeneratedListSpec,
    ) -> Result<fake_anilist::GeneratedList> {
        self.fake.insert_generated_user(spec)
    }

    /// GraphQL requests received so far: all of them, and those of `operation` (a name of
    /// `FakeAniList::operation_counts`).
    pub fn request_counts(&self, operation: &str) -> (usize, usize) {
        (
            self.fake.request_count(),
            self.fake.operation_count(operation),
        )
    }

    /// AniList's requests per minute, which the fake also announces in its headers.
    pub fn set_rate_limit(&self, per_minute: u32) {
        self.fake.set_rate_limit(per_minute);
    }

    /// Runs `work` on the fake's runtime, with the fake.
    pub fn block_on<T>(&self, work: impl AsyncFnOnce(&FakeAniList) -> T) -> T {
        self.runtime.block_on(work(&self.fake))
    }

    pub fn stop(self) {
        let Self { runtime, fake } = self;
        runtime.block_on(fake.stop());
    }
}
