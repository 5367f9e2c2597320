//! Server-only plumbing for server functions: the application services provided as Leptos
//! context by the server crate, and the signed-in user from the axum-login session.

use std::net::IpAddr;

use analytics::Analytics;
use anilist_sync::contracts::EntrySyncDto;
use anilist_sync::AniListSync;
use anime_tracking::contracts::WatchSpaceAnimeId;
use anime_tracking::AnimeTracking;
use axum::Extension;
use identity::contracts::{UserDto, UserId};
use identity::web::AuthBackend;
use identity::Identity;
use leptos::prelude::use_context;
use watch_spaces::contracts::WatchSpaceId;
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

impl AppServices {
    /// Where `user`'s own entry of the space's anime stands with their AniList list (their
    /// own only: the space check comes from AnimeTracking, the rest is theirs).
    ///
    /// # Errors
    /// `SpaceNotFound`/`AnimeNotFound` for non-members and unknown anime; `Internal`.
    pub async fn entry_sync(
        &self,
        user: UserId,
        space: WatchSpaceId,
        anime: WatchSpaceAnimeId,
    ) -> Result<EntrySyncDto, AppError> {
        let media = self
            .anime_tracking
            .tracked_media(user, space, anime)
            .await?;
        Ok(self.anilist.entry_sync(user, media).await?)
    }

    /// Sends `user`'s failed change of the space's anime to AniList again.
    ///
    /// # Errors
    /// As [`Self::entry_sync`]; `NotLinked`; `NothingToRetry`.
    pub async fn retry_entry_sync(
        &self,
        user: UserId,
        space: WatchSpaceId,
        anime: WatchSpaceAnimeId,
    ) -> Result<EntrySyncDto, AppError> {
        let media = self
            .anime_tracking
            .tracked_media(user, space, anime)
            .await?;
        Ok(self.anilist.retry_entry_sync(user, media).await?)
    }

    /// Keeps the space's anime off `user`'s AniList list, or lets it back on.
    ///
    /// # Errors
    /// As [`Self::entry_sync`]; `NotLinked`.
    pub async fn set_entry_sync_excluded(
        &self,
        user: UserId,
        space: WatchSpaceId,
        anime: WatchSpaceAnimeId,
        excluded: bool,
    ) -> Result<EntrySyncDto, AppError> {
        let media = self
            .anime_tracking
            .tracked_media(user, space, anime)
            .await?;
        Ok(self
            .anilist
            .set_entry_excluded(user, media, excluded)
            .await?)
    }
}

impl AppServices {
    /// The spaces as AniListSync's imports reach them (AnimeTracking is their
    /// `ImportTarget`). Server functions, the REST API and the server's import worker share
    /// it.
    pub fn spaces_for_import(&self) -> AnimeTracking {
        self.anime_tracking.clone()
    }
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

/// The address a request comes from (the server's middleware works it out: the peer, or
/// the client behind a trusted proxy), for login throttling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

/// This request's `ClientAddress`, as text.
pub async fn client_address() -> String {
    leptos_axum::extract::<Extension<ClientAddress>>()
        .await
        .map_or_else(
            |_| "unknown".to_owned(),
            |Extension(ClientAddress(address))| address.to_string(),
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
