//! Server-only plumbing for server functions: the application services provided as Leptos
//! context by the server crate, and the signed-in user from the axum-login session.

use std::net::SocketAddr;

use analytics::Analytics;
use anilist_sync::contracts::{
    AniListError, AppliedCounts, EntrySyncDto, ListTitle, MemberListEntry, SpaceLists, SpaceTitle,
};
use anilist_sync::AniListSync;
use anime_tracking::contracts::{
    AnimeListQuery, AnimeTrackingError, ImportEntry, ImportMerge, RatingScore, WatchSpaceAnimeId,
    WatchStatus,
};
use anime_tracking::AnimeTracking;
use axum::extract::ConnectInfo;
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

/// Where AniListSync's imports bring titles: the spaces, through AnimeTracking's and
/// WatchSpaces' facades. Server functions, the REST API and the server's import worker share
/// this one adapter.
#[derive(Clone, Debug)]
pub struct SpacesForImport {
    pub anime_tracking: AnimeTracking,
    pub watch_spaces: WatchSpaces,
}

impl AppServices {
    /// The spaces as AniListSync's imports reach them.
    pub fn spaces_for_import(&self) -> SpacesForImport {
        SpacesForImport {
            anime_tracking: self.anime_tracking.clone(),
            watch_spaces: self.watch_spaces.clone(),
        }
    }
}

#[async_trait::async_trait]
impl anilist_sync::ImportTarget for SpacesForImport {
    async fn space_lists(
        &self,
        actor: UserId,
        space: WatchSpaceId,
    ) -> Result<SpaceLists, AniListError> {
        let members =
            self.watch_spaces
                .members(actor, space)
                .await
                .map_err(|error| match error {
                    watch_spaces::contracts::WatchSpacesError::SpaceNotFound => {
                        AniListError::SpaceNotFound
                    }
                    other => import_failure("reading the space's members", &other),
                })?;
        let anime = self
            .anime_tracking
            .list_anime(actor, space, AnimeListQuery::default())
            .await
            .map_err(tracking_failure)?;
        let titles = anime
            .into_iter()
            .map(|anime| SpaceTitle {
                media: anime.anilist_media_id,
                entries: anime
                    .participants
                    .into_iter()
                    // Members who never touched the title have no entry of their own.
                    .filter(|entry| entry.current_member && entry.version > 0)
                    .map(|entry| MemberListEntry {
                        user: entry.user_id,
                        display_name: entry.display_name,
                        status: entry.individual_status.to_anilist(),
                        progress: entry.episodes_watched,
                        score_raw: entry.rating_score.map(RatingScore::to_score_raw),
                        notes: entry.rating_notes,
                    })
                    .collect(),
            })
            .collect();
        Ok(SpaceLists {
            members: members
                .into_iter()
                .map(|member| (member.user_id, member.display_name))
                .collect(),
            titles,
        })
    }

    async fn apply(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        titles: Vec<ListTitle>,
        overwrite: bool,
    ) -> Result<AppliedCounts, AniListError> {
        let entries = titles
            .into_iter()
            .map(|title| ImportEntry {
                status: WatchStatus::from_anilist(title.status),
                episodes_watched: title.progress,
                rating: title.score_raw.and_then(RatingScore::from_score_raw),
                notes: title.notes,
                media: title.media,
            })
            .collect();
        let merge = if overwrite {
            ImportMerge::Overwrite
        } else {
            ImportMerge::Forward
        };
        let applied = self
            .anime_tracking
            .import_entries(actor, space, entries, merge)
            .await
            .map_err(tracking_failure)?;
        Ok(AppliedCounts {
            added: applied.added,
            changed: applied.changed,
            unchanged: applied.unchanged,
        })
    }
}

fn tracking_failure(error: AnimeTrackingError) -> AniListError {
    match error {
        AnimeTrackingError::SpaceNotFound => AniListError::SpaceNotFound,
        other => import_failure("bringing titles into the space", &other),
    }
}

fn import_failure(what: &str, error: &dyn std::fmt::Display) -> AniListError {
    tracing::error!(%error, "{what} for an import failed");
    AniListError::Internal
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
