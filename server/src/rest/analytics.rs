//! `/api/watch-spaces/{id}/analytics/...` and `/api/watch-spaces/{id}/dashboard`: shared
//! taste and progress at a glance. Thin adapters over the `Analytics` facade.

use analytics::contracts::{
    CompatibilityDto, DashboardDto, RandomPickDto, RandomPickQuery, RatingGapsDto, SharedStatsDto,
};
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use watch_spaces::contracts::WatchSpaceId;

use super::extract::{ApiPath, ApiQuery, ApiUser};
use super::problem::{ApiError, Problem};
use crate::state::AppState;

/// Compatibility: for every pair of members, `max(0, round(100 - averageGap * 10))` over the
/// titles both rated (from 3 such titles; before that an `unlockHint`), with a warm label and,
/// from 5 titles, Pearson's correlation; the space's score is the mean over scored pairs.
#[utoipa::path(get, path = "/api/watch-spaces/{id}/analytics/compatibility", tag = "analytics", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Watch space id")),
    responses((status = 200, body = CompatibilityDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn compatibility(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(space): ApiPath<WatchSpaceId>,
) -> Result<Json<CompatibilityDto>, ApiError> {
    Ok(Json(
        state
            .services
            .analytics
            .compatibility(user.id, space)
            .await?,
    ))
}

/// Rating gaps: every title at least two members rated, with everyone's rating and notes,
/// the biggest gaps and the most aligned titles (5 each).
#[utoipa::path(get, path = "/api/watch-spaces/{id}/analytics/rating-gaps", tag = "analytics", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Watch space id")),
    responses((status = 200, body = RatingGapsDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn rating_gaps(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(space): ApiPath<WatchSpaceId>,
) -> Result<Json<RatingGapsDto>, ApiError> {
    Ok(Json(
        state.services.analytics.rating_gaps(user.id, space).await?,
    ))
}

/// Shared stats: shows by shared status, episodes and hours watched together (overlapping
/// sessions count each episode once), sessions per month over the last 12 months, the weekly
/// streak, the completion rate and the genre mix.
#[utoipa::path(get, path = "/api/watch-spaces/{id}/analytics/shared-stats", tag = "analytics", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Watch space id")),
    responses((status = 200, body = SharedStatsDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn shared_stats(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(space): ApiPath<WatchSpaceId>,
) -> Result<Json<SharedStatsDto>, ApiError> {
    Ok(Json(
        state
            .services
            .analytics
            .shared_stats(user.id, space)
            .await?,
    ))
}

/// Draws a random pick from the backlog: uniformly among the shows matching the filters
/// that no current member dropped, never the previous pick while there is another
/// candidate. A POST, since the draw is remembered (the next one avoids it). No match is not
/// an error: `pick` is `null` and `message` says why.
#[utoipa::path(post, path = "/api/watch-spaces/{id}/analytics/random-pick", tag = "analytics", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Watch space id"), RandomPickQuery),
    responses((status = 200, body = RandomPickDto), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn random_pick(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(space): ApiPath<WatchSpaceId>,
    ApiQuery(query): ApiQuery<RandomPickQuery>,
) -> Result<Json<RandomPickDto>, ApiError> {
    Ok(Json(
        state
            .services
            .analytics
            .random_pick(user.id, space, query)
            .await?,
    ))
}

/// The dashboard: shared stats, compatibility, what the space is watching, backlog
/// highlights, rating gap highlights and recent sessions, in a fixed number of SQL statements
/// however big the space is. The facade's JSON is passed on as it is (a stored snapshot is
/// never decoded here).
#[utoipa::path(get, path = "/api/watch-spaces/{id}/dashboard", tag = "analytics", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Watch space id")),
    responses((status = 200, body = DashboardDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn dashboard(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(space): ApiPath<WatchSpaceId>,
) -> Result<impl IntoResponse, ApiError> {
    let json = state
        .services
        .analytics
        .dashboard_json(user.id, space)
        .await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], json))
}
