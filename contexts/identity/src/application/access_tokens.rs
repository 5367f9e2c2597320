use super::{Error, Identity};
use crate::contracts::{AccessTokenDto, IdentityError, UserDto, UserId};
use crate::domain::access_token;
use crate::infrastructure::api_tokens_repo;

impl Identity {
    /// Issues an API bearer token for a user whose credentials were just verified.
    ///
    /// # Errors
    /// `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %user))]
    pub async fn issue_access_token(&self, user: UserId) -> Result<AccessTokenDto, IdentityError> {
        let now = self.clock.now();
        let expires_at_utc = now + self.settings.access_token_lifetime;
        let token = access_token::mint();
        api_tokens_repo::insert(&self.db, user, token.hash, now, expires_at_utc)
            .await
            .map_err(Error::into_public)?;
        Ok(AccessTokenDto {
            access_token: token.secret,
            expires_at_utc,
        })
    }

    /// The active user a live bearer token belongs to.
    ///
    /// # Errors
    /// `Unauthenticated` for unknown, revoked or expired tokens and inactive users; `Internal`.
    pub async fn authenticate_access_token(&self, secret: &str) -> Result<UserDto, IdentityError> {
        api_tokens_repo::find_live_owner(&self.db, &access_token::hash(secret), self.clock.now())
            .await
            .map_err(Error::into_public)?
            .filter(|user| user.is_active)
            .map(|user| user.to_dto())
            .ok_or(IdentityError::Unauthenticated)
    }

    /// Revokes a bearer token; revoking an unknown or already revoked token does nothing.
    ///
    /// # Errors
    /// `Internal`.
    pub async fn revoke_access_token(&self, secret: &str) -> Result<(), IdentityError> {
        api_tokens_repo::revoke(&self.db, &access_token::hash(secret), self.clock.now())
            .await
            .map_err(Error::into_public)
    }
}
