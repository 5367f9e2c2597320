//! `/api/watch-spaces/{id}/analytics/...`: shared taste at a glance. Thin adapters over the
//! `Analytics` facade.

use analytics::contracts::{CompatibilityDto, RatingGapsDto};
use axum::extract::State;
use axum::Json;
use watch_spaces::contracts::WatchSpaceId;

use super::extract::{ApiPath, ApiUser};
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
