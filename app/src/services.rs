//! Server-only plumbing for server functions: the application services provided as Leptos
//! context by the server crate, and the signed-in user from the axum-login session.

use std::net::SocketAddr;

use analytics::Analytics;
use anilist_sync::AniListSync;
use anime_tracking::AnimeTracking;
use axum::extract::ConnectInfo;
use identity::contracts::UserDto;
use identity::web::AuthBackend;
use identity::Identity;
use leptos::prelude::use_context;
use watch_spaces::WatchSpaces;

use crate::error::AppError;

/// The contexts' facades, built once in the server's composition root.
#[derive(Clone, Debug)]
pub struct AppServices {
    pub identity: Identity,
    pub watch_spaces: WatchSpaces,
    pub anilist: AniListSync,
    pub anime_tracking: AnimeTracking,
    pub analytics: Analytics,
}

pub type AuthSession = axum_login::AuthSession<AuthBackend>;

/// The services from context; an error (not a panic) when the server forgot to provide them.
pub fn services() -> Result<AppServices, AppError> {
    use_context::<AppServices>().ok_or_else(|| {
        tracing::error!("AppServices missing from the Leptos context");
        AppError::new(
            kernel::ErrorKind::Internal,
            "Something went wrong on our side. Please try again.",
        )
    })
}

/// The request's auth session. Extract it once per server function and use that same value
/// for authenticate + login (axum-login #144: separate extractions can lose the login).
pub async fn auth_session() -> Result<AuthSession, AppError> {
    leptos_axum::extract::<AuthSession>()
        .await
        .map_err(|error| {
            tracing::error!(%error, "auth session missing");
            AppError::new(
                kernel::ErrorKind::Internal,
                "Something went wrong on our side. Please try again.",
            )
        })
}

/// The signed-in user, or `Unauthenticated`.
pub async fn current_user() -> Result<UserDto, AppError> {
    auth_session()
        .await?
        .user
        .map(|session_user| session_user.user)
        .ok_or_else(AppError::unauthenticated)
}

/// The peer address, for login throttling.
pub async fn client_address() -> String {
    leptos_axum::extract::<ConnectInfo<SocketAddr>>()
        .await
        .map_or_else(
            |_| "unknown".to_owned(),
            |ConnectInfo(address)| address.ip().to_string(),
        )
}

/// Runs `work` as the signed-in user (or fails with `Unauthenticated`), answering any
/// failure with its HTTP status: the shape of every server function that acts for a user.
pub async fn for_signed_in_user<T, Work>(
    work: impl FnOnce(AppServices, UserDto) -> Work,
) -> Result<T, AppError>
where
    Work: std::future::Future<Output = Result<T, AppError>>,
{
    let result = async { work(services()?, current_user().await?).await }.await;
    crate::server_status::with_status(result)
}
