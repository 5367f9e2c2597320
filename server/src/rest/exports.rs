//! Taking data out (`/api/watch-spaces/{id}/export...`): the whole space as JSON or CSV,
//! every member side by side, and a member's own list as a MyAnimeList export. Downloads:
//! each answer names a file to save.

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

/// The caller's own entries in the space as a MyAnimeList export (MAL XML), which AniList's
/// and MyAnimeList's importers read; titles without a MyAnimeList id are named in a comment at
/// the top. Members only.
#[utoipa::path(get, path = "/api/watch-spaces/{id}/export/mal.xml", tag = "exports", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Watch space id")),
    responses((status = 200, content_type = "application/xml", body = String), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn export_mal_xml(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(space): ApiPath<WatchSpaceId>,
) -> Result<Response, ApiError> {
    let target = state.services.spaces_for_import();
    let xml = state
        .services
        .anilist
        .export_mal_list(&target, user.id, space)
        .await?;
    let response = (
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        xml,
    )
        .into_response();
    let name = format!(
        "bloomwatch-{}-myanimelist-{}.xml",
        slug(&user.display_name),
        time::OffsetDateTime::now_utc().date()
    );
    Ok(download(response, &name))
}

/// `bloomwatch-<space name as a slug>-<date>.<extension>`.
fn file_name(export: &SpaceExportDto, extension: &str) -> String {
    format!(
        "bloomwatch-{}-{}.{extension}",
        slug(&export.space_name),
        export.exported_at_utc.date()
    )
}

/// `text` for a file name: ASCII letters and digits, words joined by `-` (`space` when
/// nothing is left).
fn slug(text: &str) -> String {
    let slug = text
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
    if slug.is_empty() {
        "space".to_owned()
    } else {
        slug
    }
}

/// `response`, saved by browsers as `name` (ASCII only, so it needs no quoting beyond `"`).
fn download(mut response: Response, name: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    response
}
