//! Adapters that plug Identity into axum-login: the authentication backend (users by id,
//! credentials with throttling) and the PostgreSQL session store.

use crate::application::{Error, Identity};
use crate::contracts::{IdentityError, LoginUser, UserDto, UserId};
pub use crate::infrastructure::session_store::PgSessionStore;

/// The user attached to a browser session.
#[derive(Clone)]
pub struct SessionUser {
    pub user: UserDto,
    auth_hash: Vec<u8>,
}

impl std::fmt::Debug for SessionUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionUser")
            .field("id", &self.user.id)
            .finish_non_exhaustive()
    }
}

impl axum_login::AuthUser for SessionUser {
    type Id = UserId;

    fn id(&self) -> UserId {
        self.user.id
    }

    fn session_auth_hash(&self) -> &[u8] {
        &self.auth_hash
    }
}

/// A login attempt from a browser: the form plus the client's address for throttling.
pub struct LoginAttempt {
    pub login: LoginUser,
    pub client_address: String,
}

/// axum-login's view of Identity.
#[derive(Clone, Debug)]
pub struct AuthBackend {
    identity: Identity,
}

impl AuthBackend {
    pub fn new(identity: Identity) -> Self {
        Self { identity }
    }
}

impl axum_login::AuthnBackend for AuthBackend {
    type User = SessionUser;
    type Credentials = LoginAttempt;
    type Error = IdentityError;

    /// Wrong credentials are `Ok(None)` (an everyday event, which axum-login would log as an
    /// error otherwise); throttling and internal failures are `Err`.
    async fn authenticate(
        &self,
        attempt: LoginAttempt,
    ) -> Result<Option<SessionUser>, IdentityError> {
        match self
            .identity
            .authenticate(attempt.login, &attempt.client_address)
            .await
        {
            Ok(user) => Ok(Some(SessionUser {
                auth_hash: user.session_auth_hash(),
                user: user.to_dto(),
            })),
            Err(error) => match error.into_public() {
                IdentityError::InvalidCredentials => Ok(None),
                other => Err(other),
            },
        }
    }

    async fn get_user(&self, id: &UserId) -> Result<Option<SessionUser>, IdentityError> {
        let user = self
            .identity
            .load_active_user(*id)
            .await
            .map_err(Error::into_public)?;
        Ok(user.map(|user| SessionUser {
            auth_hash: user.session_auth_hash(),
            user: user.to_dto(),
        }))
    }
}
