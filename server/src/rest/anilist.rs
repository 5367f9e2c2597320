//! `/api/anilist/...`: AniList search and media details, through BloomWatch's cache and rate
//! limiter. Thin adapters over the `AniListSync` facade.

use anilist_sync::contracts::{AniListMediaId, AskedBy, MediaDto, MediaSearchResultsDto};
use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

use super::extract::{ApiPath, ApiQuery, ApiUser};
use super::problem::{ApiError, Problem};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// 2 to 100 characters of a title (romaji, English or native).
    query: String,
}

/// Search AniList's anime by title. When AniList is unavailable the answer still succeeds,
/// with matching titles from BloomWatch's cache and `source.kind = "cache"` saying why.
/// Searches that reach AniList count against the caller's share of AniList calls (429 with
/// `Retry-After` beyond it).
/// Adult titles appear only for users who opted in (`PATCH /api/me`, `showAdultContent`).
#[utoipa::path(get, path = "/api/anilist/search", tag = "anilist", security(("bearer" = [])), params(SearchParams),
    responses((status = 200, body = MediaSearchResultsDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 429, body = Problem)))]
pub async fn search(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> Result<Json<MediaSearchResultsDto>, ApiError> {
    Ok(Json(
        state
            .services
            .anilist
            .search(
                AskedBy::Member(user.id),
                &params.query,
                user.show_adult_content,
            )
            .await?,
    ))
}

/// One anime's AniList details (cached; refreshed when stale; the cached copy when AniList
/// is unavailable).
#[utoipa::path(get, path = "/api/anilist/media/{anilistMediaId}", tag = "anilist", security(("bearer" = [])),
    params(("anilistMediaId" = i32, Path, description = "AniList media id")),
    responses((status = 200, body = MediaDto), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 429, body = Problem), (status = 503, body = Problem)))]
pub async fn media(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<AniListMediaId>,
) -> Result<Json<MediaDto>, ApiError> {
    Ok(Json(
        state
            .services
            .anilist
            .media(AskedBy::Member(user.id), id)
            .await?,
    ))
}
