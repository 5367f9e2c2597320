//! Accounts and browser sessions: thin adapters over Identity and the axum-login session.
//! Their endpoints are named rather than hashed, so they stay stable for tests and tools.

use identity::contracts::UserDto;
use leptos::prelude::*;

use crate::error::AppError;

/// The signed-in user, or `None` for visitors.
#[server(endpoint = "get_me")]
pub async fn get_me() -> Result<Option<UserDto>, AppError> {
    crate::server_status::with_status(
        async move {
            let auth = crate::services::auth_session().await?;
            Ok(auth.user.map(|session_user| session_user.user))
        }
        .await,
    )
}

/// Creates an account and signs it in; `next` is where a browser without JavaScript goes.
#[server(endpoint = "register")]
pub async fn register(
    email: String,
    display_name: String,
    password: String,
    next: Option<String>,
) -> Result<UserDto, AppError> {
    crate::server_status::with_status(
        async move {
            use identity::contracts::{LoginUser, RegisterUser};

            let services = crate::services::services()?;
            let mut auth = crate::services::auth_session().await?;
            let user = services
                .identity
                .register(
                    RegisterUser {
                        email,
                        display_name,
                        password: password.clone(),
                    },
                    &crate::services::client_address().await,
                )
                .await?;
            let user = ssr::start_session(
                &mut auth,
                LoginUser {
                    email: user.email,
                    password,
                },
            )
            .await?;
            crate::navigation::redirect_plain_form(&crate::navigation::safe_next(next.as_deref()));
            Ok(user)
        }
        .await,
    )
}

/// Signs in with email and password.
#[server(endpoint = "log_in")]
pub async fn log_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<UserDto, AppError> {
    crate::server_status::with_status(
        async move {
            use identity::contracts::LoginUser;

            let mut auth = crate::services::auth_session().await?;
            let user = ssr::start_session(&mut auth, LoginUser { email, password }).await?;
            crate::navigation::redirect_plain_form(&crate::navigation::safe_next(next.as_deref()));
            Ok(user)
        }
        .await,
    )
}

/// Ends this browser's session.
#[server(endpoint = "log_out")]
pub async fn log_out() -> Result<(), AppError> {
    crate::server_status::with_status(
        async move {
            let mut auth = crate::services::auth_session().await?;
            auth.logout()
                .await
                .map_err(|error| ssr::session_failure(&error))?;
            crate::navigation::redirect_plain_form("/");
            Ok(())
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use identity::contracts::{IdentityError, LoginUser, UserDto};
    use identity::web::LoginAttempt;

    use crate::error::AppError;
    use crate::services::{client_address, AuthSession};

    /// Checks the credentials (with login throttling) and attaches the user to `auth`, the
    /// request's one auth session.
    pub async fn start_session(
        auth: &mut AuthSession,
        login: LoginUser,
    ) -> Result<UserDto, AppError> {
        let attempt = LoginAttempt {
            login,
            client_address: client_address().await,
        };
        let user = match auth.authenticate(attempt).await {
            Ok(Some(user)) => user,
            Ok(None) => return Err(IdentityError::InvalidCredentials.into()),
            Err(axum_login::Error::Backend(error)) => return Err(error.into()),
            Err(error) => return Err(session_failure(&error)),
        };
        // A fresh session id at every sign-in: axum-login draws one only for a session that
        // had no user, and re-signing in after a password change must not keep the old id.
        if auth.user.is_some() {
            auth.session
                .cycle_id()
                .await
                .map_err(|error| session_failure(&error))?;
        }
        auth.login(&user)
            .await
            .map_err(|error| session_failure(&error))?;
        Ok(user.user)
    }

    /// A session store failure: logged here, shown as a generic error.
    pub fn session_failure(error: &impl std::fmt::Display) -> AppError {
        tracing::error!(%error, "session store failure");
        AppError::from(IdentityError::Internal)
    }
}
