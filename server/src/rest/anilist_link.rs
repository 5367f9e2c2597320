//! The caller's AniList link (`/api/me/anilist...`) and their sync status per anime
//! (`/api/watch-spaces/{id}/anime/{animeId}/anilist-sync...`): thin adapters over
//! AniListSync's facade. Nobody sees or acts on another member's link, tokens or history:
//! every route works on the caller's own.

use anilist_sync::contracts::{
    AniListAccountDto, AniListError, AuthorizeUrlDto, CompleteAniListLink, EntrySyncDto,
    SyncHistoryPageDto, UpdateSyncSwitches,
};
use anime_tracking::contracts::WatchSpaceAnimeId;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Redirect;
use axum::Json;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use watch_spaces::contracts::WatchSpaceId;

use super::extract::{ApiJson, ApiPath, ApiQuery, ApiUser, PageParams};
use super::problem::{ApiError, Problem};
use crate::state::AppState;

/// Where the browser lands after AniList, with the outcome for the settings page to word.
pub const SETTINGS_PAGE: &str = "/settings/linked-accounts";

/// Whether this server can link AniList, and the caller's link: name, avatar, score format,
/// expiry, switches, last sync.
#[utoipa::path(get, path = "/api/me/anilist", tag = "anilist link", security(("bearer" = [])),
    responses((status = 200, body = AniListAccountDto), (status = 401, body = Problem)))]
pub async fn get_link(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<AniListAccountDto>, ApiError> {
    Ok(Json(state.services.anilist.account(user.id).await?))
}

/// Starts linking: the address of AniList's approval page, carrying a one-time `state` that
/// is the caller's for ten minutes.
#[utoipa::path(post, path = "/api/me/anilist/link", tag = "anilist link", security(("bearer" = [])),
    responses((status = 200, body = AuthorizeUrlDto), (status = 401, body = Problem), (status = 503, body = Problem, description = "No AniList client is configured on this server")))]
pub async fn start_link(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<AuthorizeUrlDto>, ApiError> {
    Ok(Json(state.services.anilist.start_link(user.id).await?))
}

/// Finishes linking with what AniList handed back (for API clients; browsers come back
/// through the GET twin).
#[utoipa::path(post, path = "/api/me/anilist/callback", tag = "anilist link", security(("bearer" = [])), request_body = CompleteAniListLink,
    responses((status = 200, body = AniListAccountDto), (status = 400, body = Problem, description = "Unknown, used, expired or someone else's state; or AniList refused the code"),
        (status = 401, body = Problem), (status = 409, body = Problem, description = "That AniList account is linked to another BloomWatch account"),
        (status = 503, body = Problem)))]
pub async fn complete_link(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(callback): ApiJson<CompleteAniListLink>,
) -> Result<Json<AniListAccountDto>, ApiError> {
    Ok(Json(
        state
            .services
            .anilist
            .complete_link(user.id, callback)
            .await?,
    ))
}

/// What AniList puts on the browser's way back.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AniListReturn {
    code: Option<String>,
    state: Option<String>,
    /// Set instead of `code` when the member declined (`access_denied`).
    error: Option<String>,
}

/// The browser's return from AniList: finishes the link and sends the member to their
/// settings page with the outcome (`?anilist=linked`, `denied`, `expired`, `taken`,
/// `unavailable`, `unconfigured` or `failed`); signed out, to the login page first.
#[utoipa::path(get, path = "/api/me/anilist/callback", tag = "anilist link", params(AniListReturn),
    responses((status = 303, description = "To the settings page with the outcome, or to the login page")))]
pub async fn browser_return(
    State(state): State<AppState>,
    user: Result<ApiUser, ApiError>,
    ApiQuery(back): ApiQuery<AniListReturn>,
) -> Redirect {
    let Ok(ApiUser(user)) = user else {
        // The state is bound to the member: starting again after logging in is the way.
        return Redirect::to(&format!("/login?next={SETTINGS_PAGE}%3Fanilist%3Dexpired"));
    };
    let outcome = match (back.code, back.state, back.error) {
        (_, _, Some(_)) | (None, _, None) => "denied",
        (Some(_), None, None) => "expired",
        (Some(code), Some(state_param), None) => {
            let callback = CompleteAniListLink {
                code,
                state: state_param,
            };
            match state
                .services
                .anilist
                .complete_link(user.id, callback)
                .await
            {
                Ok(_) => "linked",
                Err(error) => outcome_of(&error),
            }
        }
    };
    Redirect::to(&format!("{SETTINGS_PAGE}?anilist={outcome}"))
}

/// The settings page's word for a failed link.
fn outcome_of(error: &AniListError) -> &'static str {
    match error {
        AniListError::LinkStateInvalid => "expired",
        AniListError::LinkDenied => "denied",
        AniListError::AccountTaken => "taken",
        AniListError::NotConfigured => "unconfigured",
        AniListError::Unavailable | AniListError::RateLimited { .. } => "unavailable",
        _ => "failed",
    }
}

/// Changes which of the caller's changes are pushed to AniList.
#[utoipa::path(patch, path = "/api/me/anilist", tag = "anilist link", security(("bearer" = [])), request_body = UpdateSyncSwitches,
    responses((status = 200, body = AniListAccountDto), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem, description = "No AniList account is linked")))]
pub async fn update_switches(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(update): ApiJson<UpdateSyncSwitches>,
) -> Result<Json<AniListAccountDto>, ApiError> {
    Ok(Json(
        state
            .services
            .anilist
            .update_switches(user.id, update)
            .await?,
    ))
}

/// Unlinks the caller's AniList account: the link and its token are deleted, changes still
/// waiting are cancelled.
#[utoipa::path(delete, path = "/api/me/anilist/link", tag = "anilist link", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem, description = "No AniList account is linked")))]
pub async fn unlink(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<StatusCode, ApiError> {
    state.services.anilist.unlink(user.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// One page of the caller's attempts to update their AniList list, newest first (kept 90
/// days). Pass `nextCursor` back as `cursor` for the next page.
#[utoipa::path(get, path = "/api/me/anilist/sync-log", tag = "anilist link", security(("bearer" = [])),
    params(PageParams),
    responses((status = 200, body = SyncHistoryPageDto), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub async fn sync_log(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(page): ApiQuery<PageParams>,
) -> Result<Json<SyncHistoryPageDto>, ApiError> {
    let (limit, after) = page.parse()?;
    Ok(Json(
        state
            .services
            .anilist
            .sync_history(user.id, limit, after)
            .await?,
    ))
}

/// Where the caller's own entry of the anime stands with their AniList list.
#[utoipa::path(get, path = "/api/watch-spaces/{id}/anime/{animeId}/anilist-sync", tag = "anilist link", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Watch space id"), ("animeId" = uuid::Uuid, Path, description = "Watch space anime id")),
    responses((status = 200, body = EntrySyncDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn entry_sync(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((space, anime)): ApiPath<(WatchSpaceId, WatchSpaceAnimeId)>,
) -> Result<Json<EntrySyncDto>, ApiError> {
    Ok(Json(
        state.services.entry_sync(user.id, space, anime).await?,
    ))
}

/// `PATCH .../anilist-sync`.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SetEntrySync {
    /// Keep this title off the caller's AniList list (cancels what waits).
    pub excluded: bool,
}

/// Keeps the anime off the caller's AniList list, or lets it back on (from their next change).
#[utoipa::path(patch, path = "/api/watch-spaces/{id}/anime/{animeId}/anilist-sync", tag = "anilist link", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Watch space id"), ("animeId" = uuid::Uuid, Path, description = "Watch space anime id")),
    request_body = SetEntrySync,
    responses((status = 200, body = EntrySyncDto), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn set_entry_sync(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((space, anime)): ApiPath<(WatchSpaceId, WatchSpaceAnimeId)>,
    ApiJson(set): ApiJson<SetEntrySync>,
) -> Result<Json<EntrySyncDto>, ApiError> {
    Ok(Json(
        state
            .services
            .set_entry_sync_excluded(user.id, space, anime, set.excluded)
            .await?,
    ))
}

/// Sends the caller's failed change of the anime to AniList again.
#[utoipa::path(post, path = "/api/watch-spaces/{id}/anime/{animeId}/anilist-sync/retry", tag = "anilist link", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Watch space id"), ("animeId" = uuid::Uuid, Path, description = "Watch space anime id")),
    responses((status = 200, body = EntrySyncDto), (status = 401, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem, description = "Nothing failed to retry")))]
pub async fn retry_entry_sync(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((space, anime)): ApiPath<(WatchSpaceId, WatchSpaceAnimeId)>,
) -> Result<Json<EntrySyncDto>, ApiError> {
    Ok(Json(
        state
            .services
            .retry_entry_sync(user.id, space, anime)
            .await?,
    ))
}
