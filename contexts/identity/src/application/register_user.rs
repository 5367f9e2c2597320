use kernel::db::violated_constraint;
use kernel::rate_limit::Limited;
use sha2::{Digest, Sha256};

use super::{Error, Identity, RATE_LIMITS};
use crate::contracts::{DisplayName, Email, IdentityError, NewPassword, RegisterUser, UserDto};
use crate::domain::user::User;
use crate::infrastructure::users_repo;
use kernel::FieldErrors;

/// The rate-limit bucket of new accounts, per client address (its SHA-256).
const REGISTRATIONS: &str = "registrations";

pub(crate) fn email_taken() -> IdentityError {
    IdentityError::EmailTaken(FieldErrors::single(
        "email",
        "An account with that email already exists.",
    ))
}

/// Maps the unique index on `identity.users(email)` to its business meaning: the database
/// decides when two registrations race.
pub(crate) fn map_email_conflict(error: Error) -> Error {
    match &error {
        Error::Db(db) if violated_constraint(db) == Some("users_email_key") => {
            Error::Public(email_taken())
        }
        _ => error,
    }
}

impl Identity {
    /// Creates an account.
    ///
    /// # Errors
    /// `Validation` with per-field messages for a bad email, display name or password;
    /// `TooManyRegistrations` beyond the registrations allowed from `client_address`;
    /// `EmailTaken` when the email already has an account; `Internal`.
    #[tracing::instrument(skip_all)]
    pub async fn register(
        &self,
        command: RegisterUser,
        client_address: &str,
    ) -> Result<UserDto, IdentityError> {
        self.register_inner(command, client_address)
            .await
            .map_err(Error::into_public)
    }

    async fn register_inner(
        &self,
        command: RegisterUser,
        client_address: &str,
    ) -> Result<UserDto, Error> {
        let mut errors = FieldErrors::new();
        let email = errors.collect("email", Email::parse(&command.email));
        let display_name = errors.collect("displayName", DisplayName::parse(&command.display_name));
        let password = errors.collect("password", NewPassword::parse(&command.password));
        let (Some(email), Some(display_name), Some(password)) = (email, display_name, password)
        else {
            return Err(IdentityError::Validation(errors).into());
        };
        // Counted before the email is looked up or the password hashed: both are what a
        // flood of sign-ups would be after.
        let subject = Sha256::digest(client_address.as_bytes());
        if let Err(Limited {
            retry_after_seconds,
        }) = RATE_LIMITS
            .take(
                &self.db,
                REGISTRATIONS,
                &subject,
                self.settings.registrations,
                self.clock.now(),
            )
            .await?
        {
            tracing::warn!(retry_after_seconds, "registrations throttled");
            return Err(IdentityError::TooManyRegistrations {
                retry_after_seconds,
            }
            .into());
        }
        if users_repo::find_by_email(&self.db, &email).await?.is_some() {
            return Err(email_taken().into());
        }
        let hash = self.hasher.hash(password.expose()).await?;
        let user = User::register(email, display_name, hash, self.clock.now());
        users_repo::insert(&self.db, &user)
            .await
            .map_err(map_email_conflict)?;
        tracing::info!(user_id = %user.id, "user registered");
        metrics::counter!("bloomwatch_registrations_total").increment(1);
        Ok(user.to_dto())
    }
}
