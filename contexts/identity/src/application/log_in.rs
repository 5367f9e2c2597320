use super::{Error, Identity};
use crate::contracts::{Email, IdentityError, LoginUser, UserDto};
use crate::domain::user::User;
use crate::infrastructure::login_failures_repo::{self, Subject};
use crate::infrastructure::users_repo;

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
        let normalised = login.email.trim().to_lowercase();
        self.refuse_if_throttled(&normalised, client_address)
            .await?;

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
                login_failures_repo::forget_account(&self.db, user.email.as_str()).await?;
                tracing::info!(user_id = %user.id, "user logged in");
                Ok(user)
            }
            _ => {
                login_failures_repo::record(
                    &self.db,
                    &normalised,
                    client_address,
                    self.clock.now(),
                )
                .await?;
                tracing::info!("failed login");
                Err(IdentityError::InvalidCredentials.into())
            }
        }
    }

    async fn refuse_if_throttled(&self, email: &str, client_address: &str) -> Result<(), Error> {
        let throttle = self.settings.login_throttle;
        let now = self.clock.now();
        let since = now - throttle.window;
        let account = login_failures_repo::nth_most_recent(
            &self.db,
            Subject::Account(email),
            throttle.max_failures_per_account,
            since,
        )
        .await?;
        let address = login_failures_repo::nth_most_recent(
            &self.db,
            Subject::Address(client_address),
            throttle.max_failures_per_address,
            since,
        )
        .await?;
        let wait = [account, address]
            .into_iter()
            .filter_map(|limiting| throttle.retry_after_seconds(limiting, now))
            .max();
        match wait {
            Some(retry_after_seconds) => {
                tracing::warn!(retry_after_seconds, "login throttled");
                Err(IdentityError::TooManyAttempts {
                    retry_after_seconds,
                }
                .into())
            }
            None => Ok(()),
        }
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
