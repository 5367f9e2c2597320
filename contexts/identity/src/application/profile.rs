use super::log_in::throttle_keys;
use super::register_user::{email_taken, map_email_conflict};
use super::{Error, Identity};
use crate::contracts::{
    DisplayName, DisplayNameChanged, Email, IdentityError, NewPassword, UpdateProfile, UserDto,
    UserId, UserSummary,
};
use crate::infrastructure::{api_tokens_repo, users_repo};
use kernel::FieldErrors;
use sea_orm::TransactionTrait;

impl Identity {
    /// The user's own view of their account.
    ///
    /// # Errors
    /// `Unauthenticated` when the account no longer exists or is inactive; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %id))]
    pub async fn get_user(&self, id: UserId) -> Result<UserDto, IdentityError> {
        self.load_active_user(id)
            .await
            .map_err(Error::into_public)?
            .map(|user| user.to_dto())
            .ok_or(IdentityError::Unauthenticated)
    }

    /// How the given users appear to others, in one query. Unknown ids are left out.
    ///
    /// # Errors
    /// `Internal`.
    pub async fn find_users(&self, ids: &[UserId]) -> Result<Vec<UserSummary>, IdentityError> {
        users_repo::find_summaries(&self.db, ids)
            .await
            .map_err(Error::into_public)
    }

    /// Changes any of display name, theme, email and password. Email and password changes
    /// need the current password; a password change revokes every API token (browser
    /// sessions end through their session auth hash).
    ///
    /// # Errors
    /// `Validation` per field (including a wrong `currentPassword`); `TooManyAttempts` while
    /// the login throttle blocks this account from `client_address` (wrong current passwords
    /// count as failed logins); `EmailTaken`; `Unauthenticated` when the account is gone;
    /// `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %id))]
    pub async fn update_profile(
        &self,
        id: UserId,
        command: UpdateProfile,
        client_address: &str,
    ) -> Result<UserDto, IdentityError> {
        self.update_profile_inner(id, command, client_address)
            .await
            .map_err(Error::into_public)
    }

    async fn update_profile_inner(
        &self,
        id: UserId,
        command: UpdateProfile,
        client_address: &str,
    ) -> Result<UserDto, Error> {
        let mut errors = FieldErrors::new();
        let display_name = command
            .display_name
            .as_deref()
            .and_then(|raw| errors.collect("displayName", DisplayName::parse(raw)));
        let email = command
            .email
            .as_deref()
            .and_then(|raw| errors.collect("email", Email::parse(raw)));
        let new_password = command
            .new_password
            .as_deref()
            .and_then(|raw| errors.collect("newPassword", NewPassword::parse(raw)));
        let sensitive = command.email.is_some() || command.new_password.is_some();
        if sensitive
            && command
                .current_password
                .as_deref()
                .unwrap_or_default()
                .is_empty()
        {
            errors.add(
                "currentPassword",
                "Please enter your current password to change your email or password.",
            );
        }
        if !errors.is_empty() {
            return Err(IdentityError::Validation(errors).into());
        }

        let mut user = self
            .load_active_user(id)
            .await?
            .ok_or(IdentityError::Unauthenticated)?;
        if sensitive {
            // A guess at the current password is a guess at the login: the same counters
            // throttle both, so a stolen session cannot try passwords at leisure.
            let keys = throttle_keys(user.email.as_str(), client_address);
            self.count_attempt(&keys).await?;
            let current = command.current_password.as_deref().unwrap_or_default();
            if !self
                .hasher
                .verify(current, Some(&user.password_hash))
                .await?
            {
                return Err(IdentityError::field(
                    "currentPassword",
                    "That is not your current password.",
                )
                .into());
            }
            self.forgive_attempt(&keys).await?;
        }
        let now = self.clock.now();
        let renamed = display_name
            .as_ref()
            .is_some_and(|name| *name != user.display_name);
        if let Some(display_name) = display_name {
            user.rename(display_name, now);
        }
        if let Some(theme) = command.theme {
            user.choose_theme(theme, now);
        }
        if let Some(show) = command.show_adult_content {
            user.choose_adult_content(show, now);
        }
        if let Some(email) = email.filter(|email| *email != user.email) {
            if users_repo::find_by_email(&self.db, &email).await?.is_some() {
                return Err(email_taken().into());
            }
            user.change_email(email, now);
        }
        let password_changed = match new_password {
            Some(password) => {
                user.change_password(self.hasher.hash(password.expose()).await?, now);
                true
            }
            None => false,
        };

        let transaction = self.db.begin().await?;
        users_repo::update(&transaction, &user)
            .await
            .map_err(map_email_conflict)?;
        if password_changed {
            api_tokens_repo::revoke_all_of(&transaction, user.id, now).await?;
        }
        if renamed {
            let event = DisplayNameChanged { user: user.id };
            self.renames.publish(&transaction, &event).await?;
        }
        transaction.commit().await?;
        tracing::info!(password_changed, "profile updated");
        Ok(user.to_dto())
    }
}
