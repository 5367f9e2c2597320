//! Identity's use cases behind one facade, `Identity`. Every method parses its input into
//! domain types, runs the rule, persists, and converts internal failures into
//! `IdentityError::Internal` (logged here with their cause, never shown to clients).

mod access_tokens;
mod external_accounts;
mod log_in;
mod profile;
mod register_user;

use std::sync::Arc;

use kernel::rate_limit::{Rate, RateLimits};
use kernel::{Clock, EventSink};
use sea_orm::{DatabaseConnection, DbErr};
use time::Duration;

use crate::contracts::{DisplayNameChanged, ExternalAccountChanged, IdentityError};
use crate::domain::login_throttle::LoginThrottle;
pub use crate::infrastructure::password_hasher::HashingCost;
use crate::infrastructure::password_hasher::PasswordHasher;
use crate::infrastructure::session_store::PgSessionStore;
pub use crate::infrastructure::token_cipher::TokenKeys;

/// Identity's rate-limit table.
const RATE_LIMITS: RateLimits = RateLimits {
    table: "identity.rate_limits",
};

/// Tunables of the Identity context.
#[derive(Debug, Clone)]
pub struct IdentitySettings {
    pub hashing_cost: HashingCost,
    pub login_throttle: LoginThrottle,
    /// New accounts per client address.
    pub registrations: Rate,
    /// How long a browser session lasts from sign-in, however active (the idle limit is the
    /// session layer's).
    pub session_absolute_lifetime: Duration,
    /// How long an API access token lives.
    pub access_token_lifetime: Duration,
    /// The keys that seal third-party tokens at rest; without them no account can be linked.
    pub token_keys: Option<Arc<TokenKeys>>,
}

impl Default for IdentitySettings {
    fn default() -> Self {
        Self {
            hashing_cost: HashingCost::default(),
            login_throttle: LoginThrottle::default(),
            registrations: Rate::per_hour(10),
            session_absolute_lifetime: Duration::days(30),
            access_token_lifetime: Duration::days(30),
            token_keys: None,
        }
    }
}

/// The Identity facade: accounts, credentials, profile and API tokens.
#[derive(Clone)]
pub struct Identity {
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
    settings: IdentitySettings,
    hasher: PasswordHasher,
    renames: Arc<dyn EventSink<DisplayNameChanged>>,
    links: Arc<dyn EventSink<ExternalAccountChanged>>,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identity")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl Identity {
    /// Builds the facade on the shared pool, the clock, the settings and where renames and
    /// account links are published.
    ///
    /// # Errors
    /// `IdentityError::Internal` when the hashing parameters are invalid.
    pub fn new(
        db: DatabaseConnection,
        clock: Arc<dyn Clock>,
        settings: IdentitySettings,
        renames: Arc<dyn EventSink<DisplayNameChanged>>,
        links: Arc<dyn EventSink<ExternalAccountChanged>>,
    ) -> Result<Self, IdentityError> {
        let hasher = PasswordHasher::new(settings.hashing_cost).map_err(Error::into_public)?;
        Ok(Self {
            db,
            clock,
            settings,
            hasher,
            renames,
            links,
        })
    }

    /// The PostgreSQL-backed store for browser sessions.
    pub fn session_store(&self) -> PgSessionStore {
        PgSessionStore::new(self.db.clone(), self.settings.session_absolute_lifetime)
    }
}

/// What can go wrong inside Identity, with enough context for the logs.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    #[error(transparent)]
    Public(#[from] IdentityError),
    #[error("database: {0}")]
    Db(#[from] DbErr),
    #[error("corrupt row: {0}")]
    CorruptRow(String),
    #[error("password hashing: {0}")]
    Hashing(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl Error {
    pub(crate) fn into_public(self) -> IdentityError {
        match self {
            Self::Public(error) => error,
            Self::Db(error) if kernel::db::is_unreachable(&error) => {
                tracing::warn!(%error, "PostgreSQL unreachable");
                IdentityError::DatabaseUnavailable
            }
            internal => {
                tracing::error!(error = ?internal, "identity internal error");
                IdentityError::Internal
            }
        }
    }
}

impl Identity {
    /// Whether PostgreSQL answers (for readiness probes).
    ///
    /// # Errors
    /// The database error, as text.
    pub async fn ping_database(&self) -> Result<(), String> {
        self.db.ping().await.map_err(|error| error.to_string())
    }
}
