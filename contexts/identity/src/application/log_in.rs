use sea_orm::TransactionTrait;

use super::{Error, Identity, RATE_LIMITS};
use crate::contracts::{Email, IdentityError, LoginUser, UserDto};
use crate::domain::login_throttle::{Decision, Scope};
use crate::domain::user::User;
use crate::infrastructure::login_throttle_repo::{self, Key};
use crate::infrastructure::users_repo;

/// The throttle's counters for a password guess on `email` from `client_address`.
pub(super) fn throttle_keys(email: &str, client_address: &str) -> [Key; 3] {
    Scope::ALL.map(|scope| (scope, scope.subject(email, client_address)))
}

impl Identity {
    /// Checks an email and password, throttling repeated failures per account and per client
    /// address. Failures never reveal whether the email has an account.
    ///
    /// # Errors
    /// `InvalidCredentials` (also for unknown or inactive accounts and malformed emails);
    /// `TooManyAttempts` with the seconds to wait; `Internal`.
    #[tracing::instrument(skip_all)]
    pub async fn verify_credentials(
        &self,
        login: LoginUser,
        client_address: &str,
    ) -> Result<UserDto, IdentityError> {
        self.authenticate(login, client_address)
            .await
            .map(|user| user.to_dto())
            .map_err(Error::into_public)
    }

    pub(crate) async fn authenticate(
        &self,
        login: LoginUser,
        client_address: &str,
    ) -> Result<User, Error> {
        // A malformed email is just a failed login: validation detail would leak nothing,
        // but one uniform answer keeps clients simple.
        let keys = throttle_keys(&login.email.trim().to_lowercase(), client_address);
        self.count_attempt(&keys).await?;

        let user = match Email::parse(&login.email) {
            Ok(email) => users_repo::find_by_email(&self.db, &email).await?,
            Err(_) => None,
        };
        let user = user.filter(|user| user.is_active);
        let verified = self
            .hasher
            .verify(
                &login.password,
                user.as_ref().map(|user| &user.password_hash),
            )
            .await?;
        match user {
            Some(user) if verified => {
                self.forgive_attempt(&keys).await?;
                tracing::info!(user_id = %user.id, "user logged in");
                Ok(user)
            }
            _ => {
                tracing::info!("failed login");
                Err(IdentityError::InvalidCredentials.into())
            }
        }
    }

    /// Counts the attempt as failed before its password is checked, or refuses it (uncounted)
    /// while one of its counters blocks. Counting first is what keeps a burst of concurrent
    /// guesses from all passing a limit that none of them has reached yet.
    pub(super) async fn count_attempt(&self, keys: &[Key; 3]) -> Result<(), Error> {
        let now = self.clock.now();
        let transaction = self.db.begin().await?;
        let counters = login_throttle_repo::lock(&transaction, keys, now).await?;
        match self.settings.login_throttle.attempt(counters, now) {
            Decision::Allowed(counted) => {
                for (key, (_, counter)) in keys.iter().zip(counted) {
                    login_throttle_repo::store(&transaction, key, Some(counter)).await?;
                }
                transaction.commit().await?;
                Ok(())
            }
            Decision::Refused {
                retry_after_seconds,
            } => {
                transaction.commit().await?;
                tracing::warn!(retry_after_seconds, "login throttled");
                Err(IdentityError::TooManyAttempts {
                    retry_after_seconds,
                }
                .into())
            }
        }
    }

    /// A successful attempt was not a failure after all.
    pub(super) async fn forgive_attempt(&self, keys: &[Key; 3]) -> Result<(), Error> {
        let transaction = self.db.begin().await?;
        let counters = login_throttle_repo::lock(&transaction, keys, self.clock.now()).await?;
        for (key, (scope, counter)) in keys.iter().zip(counters) {
            let forgiven =
                counter.and_then(|counter| self.settings.login_throttle.succeeded(scope, counter));
            login_throttle_repo::store(&transaction, key, forgiven).await?;
        }
        transaction.commit().await?;
        Ok(())
    }

    /// Forgets login counters and registration limits that have run out: they would count
    /// from zero again anyway. Returns how many rows went. Safe on several servers at once.
    ///
    /// # Errors
    /// `Internal`.
    pub async fn prune_throttles(&self) -> Result<u64, IdentityError> {
        async {
            let now = self.clock.now();
            let quiet_since = now - self.settings.login_throttle.quiet_period;
            let counters = login_throttle_repo::prune(&self.db, quiet_since, now).await?;
            let limits = RATE_LIMITS.prune(&self.db, now).await?;
            Ok(counters + limits)
        }
        .await
        .map_err(Error::into_public)
    }

    /// The account behind a session, if it still exists and is active.
    pub(crate) async fn load_active_user(
        &self,
        id: crate::contracts::UserId,
    ) -> Result<Option<User>, Error> {
        Ok(users_repo::find_by_id(&self.db, id)
            .await?
            .filter(|user| user.is_active))
    }
}
