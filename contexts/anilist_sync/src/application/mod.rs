//! AniListSync's use cases behind one facade, `AniListSync`, one file per use case: title
//! search (AniList first, the cache when AniList cannot answer), one media by id (the cache
//! first while fresh), cached media in bulk, linking members' AniList accounts, and pushing
//! their list changes through the outbox (with the worker every server instance runs).
//! Concurrent identical calls share one AniList request; internal failures become
//! `AniListError::Internal` (logged here with their cause), AniList's failures
//! `Unavailable`/`RateLimited`. Depends on the domain, the infrastructure and Identity's
//! facade (which keeps the links and their sealed tokens).

mod cached_media;
mod export_list;
mod import_list;
mod link_account;
mod link_subscriber;
mod list_sync;
mod media;
mod recent_searches;
mod search;
mod single_flight;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use anyhow::Context as _;
use identity::Identity;
use kernel::rate_limit::{Limited, Rate, RateLimits};
use kernel::{Clock, EventSink};
use sea_orm::{DatabaseConnection, DbErr, TransactionTrait};

use self::recent_searches::RecentSearches;
use self::single_flight::SingleFlight;
use crate::contracts::{AniListError, AniListMediaId, AskedBy, MediaDto, MetadataChanged};
use crate::infrastructure::anilist_api::FetchError;
use crate::infrastructure::anilist_client::{AniListClient, ClientSettings};
use crate::infrastructure::anilist_oauth::OAuthClient;
pub use crate::infrastructure::anilist_oauth::OAuthClientSettings;
use crate::infrastructure::media_cache_repo;
pub use import_list::ImportTarget;
pub use link_subscriber::AccountLinkSubscriber;
pub use list_sync::DeliveryReport;

/// Tunables of the AniListSync context.
#[derive(Debug, Clone)]
pub struct AniListSettings {
    /// AniList's GraphQL endpoint (the fake AniList's in tests and the offline demo).
    pub api_url: String,
    /// How long one request to AniList may take, answer body included.
    pub request_timeout: std::time::Duration,
    /// How old a cached media may be before `media` asks AniList again.
    pub media_stale_after: time::Duration,
    /// How long a search's results are reused without asking AniList.
    pub search_cache_ttl: std::time::Duration,
    /// The request budget until AniList's `X-RateLimit-Limit` header says otherwise.
    pub initial_requests_per_minute: u32,
    /// How often a timed-out or failed (5xx) request is retried.
    pub max_retries: u32,
    /// The AniList calls one member's searches and lookups may cost: a burst of this many,
    /// then this many a minute, so no one account spends the whole server's budget.
    pub requests_per_member_per_minute: u32,
    /// BloomWatch's AniList client, without which members cannot link their accounts.
    pub oauth: Option<OAuthClientSettings>,
}

impl Default for AniListSettings {
    /// The real AniList, 5 s per request, media refreshed weekly, searches reused for
    /// 10 minutes, AniList's degraded 30 requests a minute, 2 retries, 10 calls a minute
    /// per member.
    fn default() -> Self {
        Self {
            api_url: "https://graphql.anilist.co".to_owned(),
            request_timeout: std::time::Duration::from_secs(5),
            media_stale_after: time::Duration::days(7),
            search_cache_ttl: std::time::Duration::from_secs(10 * 60),
            initial_requests_per_minute: 30,
            max_retries: 2,
            requests_per_member_per_minute: 10,
            oauth: None,
        }
    }
}

/// AniListSync's rate-limit table, and its bucket of members' AniList calls.
const RATE_LIMITS: RateLimits = RateLimits {
    table: "anilist_sync.rate_limits",
};
const MEMBER_CALLS: &str = "member_calls";

/// How many searches' results are kept in memory.
const RECENT_SEARCHES: usize = 500;

/// What an AniList call shared by concurrent callers ends with.
type Shared<T> = Result<T, Arc<Error>>;

/// The AniListSync facade: search, media by id, cached media. Cheap to clone; all clones
/// share one rate limiter, one search cache and the in-flight calls.
#[derive(Clone)]
pub struct AniListSync {
    inner: Arc<Inner>,
}

struct Inner {
    db: DatabaseConnection,
    identity: Identity,
    clock: Arc<dyn Clock>,
    settings: AniListSettings,
    client: AniListClient,
    oauth: Option<OAuthClient>,
    /// Wakes this instance's sync worker when a change is queued.
    wake_worker: tokio::sync::Notify,
    searches: SingleFlight<String, Shared<Vec<MediaDto>>>,
    lookups: SingleFlight<AniListMediaId, Shared<MediaDto>>,
    recent_searches: Mutex<RecentSearches>,
    metadata_changes: Arc<dyn EventSink<MetadataChanged>>,
}

impl std::fmt::Debug for AniListSync {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AniListSync")
            .field("settings", &self.inner.settings)
            .finish_non_exhaustive()
    }
}

impl AniListSync {
    /// Builds the facade on the shared pool, Identity's facade (account links and their
    /// tokens), the clock, the settings and where metadata changes are published.
    ///
    /// # Errors
    /// When `api_url` or an OAuth address is not an http(s) URL, a duration is not positive,
    /// or an HTTP client cannot be built.
    pub fn new(
        db: DatabaseConnection,
        identity: Identity,
        clock: Arc<dyn Clock>,
        settings: AniListSettings,
        metadata_changes: Arc<dyn EventSink<MetadataChanged>>,
    ) -> anyhow::Result<Self> {
        let url = reqwest::Url::parse(&settings.api_url)
            .with_context(|| format!("AniList api_url {:?} is not a URL", settings.api_url))?;
        anyhow::ensure!(
            matches!(url.scheme(), "http" | "https"),
            "AniList api_url must be http(s), not {:?}",
            url.scheme()
        );
        anyhow::ensure!(
            !settings.request_timeout.is_zero(),
            "AniList request_timeout must be positive"
        );
        anyhow::ensure!(
            settings.media_stale_after.is_positive(),
            "AniList media_stale_after must be positive"
        );
        let client = AniListClient::new(ClientSettings {
            endpoint: settings.api_url.clone(),
            request_timeout: settings.request_timeout,
            initial_requests_per_minute: settings.initial_requests_per_minute,
            max_retries: settings.max_retries,
        })
        .context("building the AniList HTTP client")?;
        let oauth = settings
            .oauth
            .clone()
            .map(|oauth| OAuthClient::new(oauth, settings.request_timeout))
            .transpose()
            .context("setting up the AniList OAuth client")?;
        Ok(Self {
            inner: Arc::new(Inner {
                db,
                identity,
                clock,
                oauth,
                wake_worker: tokio::sync::Notify::new(),
                recent_searches: Mutex::new(RecentSearches::new(
                    settings.search_cache_ttl,
                    RECENT_SEARCHES,
                )),
                settings,
                client,
                searches: SingleFlight::default(),
                lookups: SingleFlight::default(),
                metadata_changes,
            }),
        })
    }

    /// How many HTTP requests this facade (and its clones) has sent to AniList, retries
    /// included: for observability and tests.
    pub async fn upstream_calls(&self) -> u64 {
        self.inner.client.requests_sent()
    }

    /// Saves what AniList just said into the media cache, publishing `MetadataChanged` in
    /// the same transaction when any genres or episode length are new.
    async fn remember(&self, media: &[MediaDto]) -> Result<(), Error> {
        let transaction = self.inner.db.begin().await?;
        if let Some(generation) = media_cache_repo::upsert(&transaction, media).await? {
            let event = MetadataChanged { generation };
            self.inner
                .metadata_changes
                .publish(&transaction, &event)
                .await?;
        }
        transaction.commit().await?;
        Ok(())
    }

    /// Charges one AniList call to whoever asked: refused while a member is over their
    /// share (BloomWatch's own refreshes are never refused).
    async fn charge(&self, asked_by: AskedBy) -> Result<(), Error> {
        let AskedBy::Member(member) = asked_by else {
            return Ok(());
        };
        let rate = Rate::per_minute(self.inner.settings.requests_per_member_per_minute);
        match RATE_LIMITS
            .take(
                &self.inner.db,
                MEMBER_CALLS,
                member.0.as_bytes(),
                rate,
                self.inner.clock.now(),
            )
            .await?
        {
            Ok(()) => Ok(()),
            Err(Limited {
                retry_after_seconds,
            }) => {
                tracing::warn!(%member, retry_after_seconds, "member over their AniList share");
                Err(AniListError::TooManyRequests {
                    retry_after_seconds,
                }
                .into())
            }
        }
    }

    fn recent_searches(&self) -> MutexGuard<'_, RecentSearches> {
        self.inner
            .recent_searches
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// What can go wrong inside AniListSync, with enough context for the logs.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    #[error(transparent)]
    Public(#[from] AniListError),
    #[error("AniList: {0}")]
    Upstream(#[from] FetchError),
    #[error("database: {0}")]
    Db(#[from] DbErr),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
    /// A failure of a call that concurrent callers shared.
    #[error(transparent)]
    Shared(Arc<Error>),
}

impl Error {
    /// For an event subscriber, whose failure fails the publisher's write.
    pub(crate) fn into_db(self) -> DbErr {
        match self {
            Self::Db(error) => error,
            other => {
                tracing::error!(error = ?other, "anilist_sync subscriber failed");
                DbErr::Custom(other.to_string())
            }
        }
    }

    /// AniList's failure, if that is what this is.
    fn upstream(&self) -> Option<&FetchError> {
        match self {
            Self::Upstream(failure) => Some(failure),
            Self::Shared(shared) => shared.upstream(),
            _ => None,
        }
    }

    pub(crate) fn into_public(self) -> AniListError {
        match self {
            Self::Public(error) => error,
            Self::Upstream(failure) => {
                tracing::warn!(error = %failure, "AniList could not answer");
                match failure {
                    FetchError::NotFound => AniListError::MediaNotFound,
                    failure => match failure.retry_after() {
                        Some(wait) => AniListError::RateLimited {
                            retry_after_seconds: whole_seconds(wait),
                        },
                        None => AniListError::Unavailable,
                    },
                }
            }
            Self::Shared(shared) => match Arc::try_unwrap(shared) {
                Ok(error) => error.into_public(),
                Err(shared) => shared.to_public(),
            },
            Self::Db(error) if kernel::db::is_unreachable(&error) => {
                tracing::warn!(%error, "PostgreSQL unreachable");
                AniListError::DatabaseUnavailable
            }
            internal => {
                tracing::error!(error = ?internal, "anilist_sync internal error");
                AniListError::Internal
            }
        }
    }

    fn to_public(&self) -> AniListError {
        match self {
            Self::Public(error) => error.clone(),
            Self::Upstream(failure) => Self::Upstream(failure.clone()).into_public(),
            Self::Shared(shared) => shared.to_public(),
            Self::Db(error) if kernel::db::is_unreachable(error) => {
                AniListError::DatabaseUnavailable
            }
            internal => {
                tracing::error!(error = ?internal, "anilist_sync internal error");
                AniListError::Internal
            }
        }
    }
}

/// Seconds to tell a user to wait: rounded up, at least one.
fn whole_seconds(wait: std::time::Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn anilist_failures_become_public_errors() {
        let public = |failure: FetchError| Error::Upstream(failure).into_public();
        assert_eq!(public(FetchError::NotFound), AniListError::MediaNotFound);
        assert_eq!(
            public(FetchError::RateLimited {
                retry_after: Duration::from_millis(59_100)
            }),
            AniListError::RateLimited {
                retry_after_seconds: 60
            }
        );
        assert_eq!(
            public(FetchError::Throttled {
                retry_after: Duration::from_millis(100)
            }),
            AniListError::RateLimited {
                retry_after_seconds: 1
            }
        );
        for failure in [
            FetchError::Disabled,
            FetchError::Timeout,
            FetchError::Server { status: 502 },
            FetchError::Malformed("x".into()),
            FetchError::GraphQl("x".into()),
        ] {
            assert_eq!(public(failure), AniListError::Unavailable);
        }
    }

    #[test]
    fn shared_failures_keep_their_meaning() {
        let shared = Arc::new(Error::Upstream(FetchError::NotFound));
        let kept = Arc::clone(&shared);
        let error = Error::Shared(shared);
        assert!(error.upstream().is_some());
        assert_eq!(error.into_public(), AniListError::MediaNotFound);
        assert_eq!(
            Error::Shared(kept).into_public(),
            AniListError::MediaNotFound
        );
        let internal = Error::Shared(Arc::new(Error::Db(DbErr::Custom("down".into()))));
        assert!(internal.upstream().is_none());
        assert_eq!(internal.into_public(), AniListError::Internal);
    }

    #[test]
    fn settings_default_to_anilist_as_documented() {
        let settings = AniListSettings::default();
        assert_eq!(settings.api_url, "https://graphql.anilist.co");
        assert_eq!(settings.request_timeout, Duration::from_secs(5));
        assert_eq!(settings.media_stale_after, time::Duration::days(7));
        assert_eq!(settings.search_cache_ttl, Duration::from_secs(600));
        assert_eq!(settings.initial_requests_per_minute, 30);
        assert_eq!(settings.max_retries, 2);
    }
}
