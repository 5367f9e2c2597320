//! `/api/watch-spaces/{id}/anime/...`: the anime a space tracks, each member's own progress
//! and rating, and watch sessions. Thin adapters over the `AnimeTracking` facade.

use anime_tracking::contracts::{
    AddAnime, AnimeListQuery, AnimePageDto, AnimeSort, AnimeTrackingError, RateAnime,
    RecordWatchSession, UpdateParticipantProgress, UpdateWatchSession, UpdateWatchSpaceAnime,
    WatchSessionDto, WatchSessionId, WatchSessionPageDto, WatchSpaceAnimeDetailsDto,
    WatchSpaceAnimeDto, WatchSpaceAnimeId, WatchStatus,
};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use kernel::paging::{PageCursor, PageLimit};
use kernel::FieldErrors;
use serde::Deserialize;
use utoipa::IntoParams;
use watch_spaces::contracts::WatchSpaceId;

use super::extract::{ApiJson, ApiPath, ApiQuery, ApiUser, PageParams};
use super::problem::{ApiError, Problem};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Only these shared statuses, comma-separated (`paused,dropped`); all when absent.
    status: Option<String>,
    /// `recentlyUpdated` (default), `title` or `addedDate`.
    sort: Option<String>,
}

impl ListParams {
    pub(super) fn parse(
        self,
        (limit, after): (PageLimit, Option<PageCursor>),
    ) -> Result<AnimeListQuery, AnimeTrackingError> {
        let mut errors = FieldErrors::new();
        let mut statuses = Vec::new();
        for raw in self.status.iter().flat_map(|raw| raw.split(',')) {
            match WatchStatus::parse(raw.trim()) {
                Some(status) => statuses.push(status),
                None => errors.add(
                    "status",
                    format!("“{raw}” is not a status; use backlog, watching, finished, paused or dropped."),
                ),
            }
        }
        let sort = match self.sort.as_deref() {
            None => AnimeSort::default(),
            Some(raw) => AnimeSort::parse(raw).unwrap_or_else(|| {
                errors.add(
                    "sort",
                    format!(
                        "“{raw}” is not a sort order; use recentlyUpdated, title or addedDate."
                    ),
                );
                AnimeSort::default()
            }),
        };
        if errors.is_empty() {
            Ok(AnimeListQuery {
                statuses,
                sort,
                limit,
                after,
            })
        } else {
            Err(AnimeTrackingError::Validation(errors))
        }
    }
}

/// One page of the anime the space tracks, each with every member's progress and rating, and
/// the space's totals by shared status. Pass `nextCursor` back as `cursor` for the next page
/// (with the same `sort`).
#[utoipa::path(get, path = "/api/watch-spaces/{id}/anime", tag = "anime", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Watch space id"), ListParams, PageParams),
    responses((status = 200, body = AnimePageDto), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn list_anime(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(space): ApiPath<WatchSpaceId>,
    ApiQuery(params): ApiQuery<ListParams>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> Result<Json<AnimePageDto>, ApiError> {
    let query = params.parse(page.parse()?)?;
    Ok(Json(
        state
            .services
            .anime_tracking
            .list_anime(user.id, space, query)
            .await?,
    ))
}

/// Track an AniList anime in the space (any member). The same anime twice is a 409.
#[utoipa::path(post, path = "/api/watch-spaces/{id}/anime", tag = "anime", security(("bearer" = [])), request_body = AddAnime,
    params(("id" = uuid::Uuid, Path, description = "Watch space id")),
    responses((status = 201, body = WatchSpaceAnimeDto), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 429, body = Problem), (status = 503, body = Problem)))]
pub async fn add_anime(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(space): ApiPath<WatchSpaceId>,
    ApiJson(command): ApiJson<AddAnime>,
) -> Result<(StatusCode, Json<WatchSpaceAnimeDto>), ApiError> {
    let anime = state
        .services
        .anime_tracking
        .add_anime(user.id, space, command)
        .await?;
    Ok((StatusCode::CREATED, Json(anime)))
}

/// One tracked anime with its participant entries and sessions (newest first).
#[utoipa::path(get, path = "/api/watch-spaces/{id}/anime/{animeId}", tag = "anime", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Watch space id"), ("animeId" = uuid::Uuid, Path, description = "Watch space anime id")),
    responses((status = 200, body = WatchSpaceAnimeDetailsDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_anime(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((space, anime)): ApiPath<(WatchSpaceId, WatchSpaceAnimeId)>,
) -> Result<Json<WatchSpaceAnimeDetailsDto>, ApiError> {
    Ok(Json(
        state
            .services
            .anime_tracking
            .get_anime(user.id, space, anime)
            .await?,
    ))
}

/// Change the shared status, shared progress, mood, vibe or pitch. Send the `version` you
/// saw: a newer change by someone else is a 409 naming them, never a silent overwrite.
#[utoipa::path(patch, path = "/api/watch-spaces/{id}/anime/{animeId}", tag = "anime", security(("bearer" = [])), request_body = UpdateWatchSpaceAnime,
    params(("id" = uuid::Uuid, Path, description = "Watch space id"), ("animeId" = uuid::Uuid, Path, description = "Watch space anime id")),
    responses((status = 200, body = WatchSpaceAnimeDto), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn update_anime(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((space, anime)): ApiPath<(WatchSpaceId, WatchSpaceAnimeId)>,
    ApiJson(command): ApiJson<UpdateWatchSpaceAnime>,
) -> Result<Json<WatchSpaceAnimeDto>, ApiError> {
    Ok(Json(
        state
            .services
            .anime_tracking
            .update_anime(user.id, space, anime, command)
            .await?,
    ))
}

/// Stop tracking an anime (owners, or the member who added it), with its entries and sessions.
#[utoipa::path(delete, path = "/api/watch-spaces/{id}/anime/{animeId}", tag = "anime", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Watch space id"), ("animeId" = uuid::Uuid, Path, description = "Watch space anime id")),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn remove_anime(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((space, anime)): ApiPath<(WatchSpaceId, WatchSpaceAnimeId)>,
) -> Result<StatusCode, ApiError> {
    state
        .services
        .anime_tracking
        .remove_anime(user.id, space, anime)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's own status and episodes watched (version 0 before their first edit).
#[utoipa::path(patch, path = "/api/watch-spaces/{id}/anime/{animeId}/participant-progress", tag = "anime", security(("bearer" = [])), request_body = UpdateParticipantProgress,
    params(("id" = uuid::Uuid, Path, description = "Watch space id"), ("animeId" = uuid::Uuid, Path, description = "Watch space anime id")),
    responses((status = 200, body = WatchSpaceAnimeDto), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn update_participant_progress(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((space, anime)): ApiPath<(WatchSpaceId, WatchSpaceAnimeId)>,
    ApiJson(command): ApiJson<UpdateParticipantProgress>,
) -> Result<Json<WatchSpaceAnimeDto>, ApiError> {
    Ok(Json(
        state
            .services
            .anime_tracking
            .update_participant_progress(user.id, space, anime, command)
            .await?,
    ))
}

/// The caller's own rating (0.5 to 10 in steps of 0.5) and notes.
#[utoipa::path(patch, path = "/api/watch-spaces/{id}/anime/{animeId}/participant-rating", tag = "anime", security(("bearer" = [])), request_body = RateAnime,
    params(("id" = uuid::Uuid, Path, description = "Watch space id"), ("animeId" = uuid::Uuid, Path, description = "Watch space anime id")),
    responses((status = 200, body = WatchSpaceAnimeDto), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn rate_anime(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((space, anime)): ApiPath<(WatchSpaceId, WatchSpaceAnimeId)>,
    ApiJson(command): ApiJson<RateAnime>,
) -> Result<Json<WatchSpaceAnimeDto>, ApiError> {
    Ok(Json(
        state
            .services
            .anime_tracking
            .rate_anime(user.id, space, anime, command)
            .await?,
    ))
}

/// Clear the caller's rating and its notes (harmless when there is none).
#[utoipa::path(delete, path = "/api/watch-spaces/{id}/anime/{animeId}/participant-rating", tag = "anime", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Watch space id"), ("animeId" = uuid::Uuid, Path, description = "Watch space anime id")),
    responses((status = 200, body = WatchSpaceAnimeDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn clear_rating(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((space, anime)): ApiPath<(WatchSpaceId, WatchSpaceAnimeId)>,
) -> Result<Json<WatchSpaceAnimeDto>, ApiError> {
    Ok(Json(
        state
            .services
            .anime_tracking
            .clear_rating(user.id, space, anime)
            .await?,
    ))
}

/// One page of the anime's watch sessions, newest first. Pass `nextCursor` back as `cursor`
/// for the next page.
#[utoipa::path(get, path = "/api/watch-spaces/{id}/anime/{animeId}/sessions", tag = "anime", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Watch space id"), ("animeId" = uuid::Uuid, Path, description = "Watch space anime id"), PageParams),
    responses((status = 200, body = WatchSessionPageDto), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn list_sessions(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((space, anime)): ApiPath<(WatchSpaceId, WatchSpaceAnimeId)>,
    ApiQuery(page): ApiQuery<PageParams>,
) -> Result<Json<WatchSessionPageDto>, ApiError> {
    let (limit, after) = page.parse()?;
    Ok(Json(
        state
            .services
            .anime_tracking
            .list_sessions(user.id, space, anime, limit, after)
            .await?,
    ))
}

/// Record a watch session. Shared progress and each attendee's progress move forward to its
/// end episode (never backwards); attendees default to every member.
#[utoipa::path(post, path = "/api/watch-spaces/{id}/anime/{animeId}/sessions", tag = "anime", security(("bearer" = [])), request_body = RecordWatchSession,
    params(("id" = uuid::Uuid, Path, description = "Watch space id"), ("animeId" = uuid::Uuid, Path, description = "Watch space anime id")),
    responses((status = 201, body = WatchSessionDto), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn record_session(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((space, anime)): ApiPath<(WatchSpaceId, WatchSpaceAnimeId)>,
    ApiJson(command): ApiJson<RecordWatchSession>,
) -> Result<(StatusCode, Json<WatchSessionDto>), ApiError> {
    let session = state
        .services
        .anime_tracking
        .record_session(user.id, space, anime, command)
        .await?;
    Ok((StatusCode::CREATED, Json(session)))
}

/// Change a session's notes (its creator).
#[utoipa::path(patch, path = "/api/watch-spaces/{id}/anime/{animeId}/sessions/{sessionId}", tag = "anime", security(("bearer" = [])), request_body = UpdateWatchSession,
    params(("id" = uuid::Uuid, Path, description = "Watch space id"), ("animeId" = uuid::Uuid, Path, description = "Watch space anime id"), ("sessionId" = uuid::Uuid, Path, description = "Watch session id")),
    responses((status = 200, body = WatchSessionDto), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn update_session(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((space, anime, session)): ApiPath<(WatchSpaceId, WatchSpaceAnimeId, WatchSessionId)>,
    ApiJson(command): ApiJson<UpdateWatchSession>,
) -> Result<Json<WatchSessionDto>, ApiError> {
    Ok(Json(
        state
            .services
            .anime_tracking
            .update_session(user.id, space, anime, session, command)
            .await?,
    ))
}

/// Delete a session (its creator). Progress it moved stays where it is.
#[utoipa::path(delete, path = "/api/watch-spaces/{id}/anime/{animeId}/sessions/{sessionId}", tag = "anime", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Watch space id"), ("animeId" = uuid::Uuid, Path, description = "Watch space anime id"), ("sessionId" = uuid::Uuid, Path, description = "Watch session id")),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_session(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((space, anime, session)): ApiPath<(WatchSpaceId, WatchSpaceAnimeId, WatchSessionId)>,
) -> Result<StatusCode, ApiError> {
    state
        .services
        .anime_tracking
        .delete_session(user.id, space, anime, session)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
