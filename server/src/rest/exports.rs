//! Taking a space's data out (`/api/watch-spaces/{id}/export...`): the whole space as JSON or
//! CSV, every member side by side. Downloads: each answer names a file to save.

use anime_tracking::contracts::SpaceExportDto;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use watch_spaces::contracts::WatchSpaceId;

use super::extract::{ApiPath, ApiUser};
use super::problem::{ApiError, Problem};
use crate::state::AppState;

/// The whole space: every anime with every member's status, progress, rating and notes side
/// by side, and every watch session (members only).
#[utoipa::path(get, path = "/api/watch-spaces/{id}/export.json", tag = "exports", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Watch space id")),
    responses((status = 200, body = SpaceExportDto), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn export_json(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(space): ApiPath<WatchSpaceId>,
) -> Result<Response, ApiError> {
    let export = state
        .services
        .anime_tracking
        .export_space(user.id, space)
        .await?;
    let name = file_name(&export, "json");
    Ok(download(Json(export).into_response(), &name))
}

/// The space's anime as a spreadsheet: one row per anime, four columns per member (status,
/// episodes, rating, notes). Members only.
#[utoipa::path(get, path = "/api/watch-spaces/{id}/export.csv", tag = "exports", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Watch space id")),
    responses((status = 200, content_type = "text/csv", body = String), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn export_csv(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(space): ApiPath<WatchSpaceId>,
) -> Result<Response, ApiError> {
    let export = state
        .services
        .anime_tracking
        .export_space(user.id, space)
        .await?;
    let name = file_name(&export, "csv");
    let csv = anime_tracking::space_export_csv(&export);
    let response = ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], csv).into_response();
    Ok(download(response, &name))
}

/// `bloomwatch-<space name as a slug>-<date>.<extension>`.
pub fn file_name(export: &SpaceExportDto, extension: &str) -> String {
    let slug = export
        .space_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let slug = if slug.is_empty() {
        "space".to_owned()
    } else {
        slug
    };
    format!(
        "bloomwatch-{slug}-{}.{extension}",
        export.exported_at_utc.date()
    )
}

/// `response`, saved by browsers as `name` (ASCII only, so it needs no quoting beyond `"`).
pub fn download(mut response: Response, name: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    response
}
