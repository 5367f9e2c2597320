//! Importing a member's own list into a space (`/api/watch-spaces/{id}/imports...`): a
//! preview that writes nothing, the import as a background job (202), and where it stands.
//! AniList sources come as JSON; a MyAnimeList export comes as `multipart/form-data` (a
//! `file` part, and the options as a JSON `options` part), on routes whose body limit is the
//! upload's, not the API's.

use anilist_sync::contracts::{ImportJobDto, ImportOptions, ImportPreviewDto, ImportSource};
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use kernel::ErrorKind;
use serde::Deserialize;
use utoipa::ToSchema;
use watch_spaces::contracts::WatchSpaceId;

use super::extract::{ApiJson, ApiPath, ApiUser};
use super::problem::{ApiError, Problem};
use crate::state::AppState;

/// The most an upload may be (MyAnimeList's own export of a long list is well under 1 MB).
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;

/// An AniList import: where from, and what to bring.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AniListImport {
    #[serde(flatten)]
    pub source: ImportSource,
    #[serde(default)]
    pub options: ImportOptions,
}

/// What a request to import carries: the source, the file (for MyAnimeList) and the options.
pub struct ImportRequest {
    source: ImportSource,
    file: Option<Vec<u8>>,
    options: ImportOptions,
}

impl FromRequest<AppState> for ImportRequest {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, ApiError> {
        let multipart = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("multipart/form-data"));
        if !multipart {
            let ApiJson(import) = ApiJson::<AniListImport>::from_request(request, state).await?;
            return Ok(Self {
                source: import.source,
                file: None,
                options: import.options,
            });
        }
        let mut form = Multipart::from_request(request, state)
            .await
            .map_err(|rejection| ApiError::new(ErrorKind::Validation, rejection.body_text()))?;
        let (mut file, mut options) = (None, ImportOptions::default());
        while let Some(field) = form
            .next_field()
            .await
            .map_err(|error| upload_problem(&error))?
        {
            match field.name() {
                Some("file") => {
                    file = Some(
                        field
                            .bytes()
                            .await
                            .map_err(|error| upload_problem(&error))?
                            .to_vec(),
                    );
                }
                Some("options") => {
                    let text = field.text().await.map_err(|error| upload_problem(&error))?;
                    options = serde_json::from_str(&text).map_err(|error| {
                        ApiError::new(
                            ErrorKind::Validation,
                            format!("The `options` part is not valid import options: {error}"),
                        )
                    })?;
                }
                Some(other) => {
                    return Err(ApiError::new(
                        ErrorKind::Validation,
                        format!(
                            "Unexpected part {other:?}: send `file` and, if you like, `options`."
                        ),
                    ))
                }
                None => {}
            }
        }
        Ok(Self {
            source: ImportSource::MyAnimeList,
            file,
            options,
        })
    }
}

fn upload_problem(error: &axum::extract::multipart::MultipartError) -> ApiError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        ApiError::new(
            ErrorKind::Validation,
            format!("The upload is broken: {}", error.body_text()),
        )
    }
}

fn too_large() -> ApiError {
    ApiError::new(
        ErrorKind::PayloadTooLarge,
        format!(
            "The file is larger than {} MB.",
            MAX_UPLOAD_BYTES / (1024 * 1024)
        ),
    )
}

/// An upload whose `Content-Length` is over the limit is refused by the body-limit layer
/// before any handler runs, with a bare 413: it gets the same problem as one found too large
/// while reading, so the member learns the limit either way.
pub async fn explain_too_large(response: Response) -> Response {
    let bare = !response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/problem+json"));
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && bare {
        too_large().into_response()
    } else {
        response
    }
}

/// What importing the list would do: counts per status, what is new to the space, what it
/// tracks already, conflicts with your own entries, titles without an AniList match, and the
/// overlap with every other member. Nothing is written.
#[utoipa::path(post, path = "/api/watch-spaces/{id}/imports/preview", tag = "imports", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Watch space id")),
    request_body(content = AniListImport, description = "JSON for AniList; `multipart/form-data` with a `file` (and an `options` JSON part) for a MyAnimeList export"),
    responses((status = 200, body = ImportPreviewDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem, description = "No such space, or an unknown or private AniList user"), (status = 413, body = Problem),
        (status = 429, body = Problem), (status = 503, body = Problem)))]
pub async fn preview_import(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(space): ApiPath<WatchSpaceId>,
    request: ImportRequest,
) -> Result<Json<ImportPreviewDto>, ApiError> {
    let target = state.services.spaces_for_import();
    Ok(Json(
        state
            .services
            .anilist
            .preview_import(
                &target,
                user.id,
                space,
                &request.source,
                request.file.as_deref(),
                &request.options,
            )
            .await?,
    ))
}

/// Starts importing the list into the space as a background job; follow it with
/// `GET .../imports/{importId}`.
#[utoipa::path(post, path = "/api/watch-spaces/{id}/imports", tag = "imports", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Watch space id")),
    request_body(content = AniListImport, description = "As for the preview"),
    responses((status = 202, body = ImportJobDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 413, body = Problem)))]
pub async fn start_import(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(space): ApiPath<WatchSpaceId>,
    request: ImportRequest,
) -> Result<(StatusCode, Json<ImportJobDto>), ApiError> {
    let target = state.services.spaces_for_import();
    let job = state
        .services
        .anilist
        .start_import(
            &target,
            user.id,
            space,
            &request.source,
            request.file.as_deref(),
            request.options,
        )
        .await?;
    Ok((StatusCode::ACCEPTED, Json(job)))
}

/// Where your import stands: its state and counts.
#[utoipa::path(get, path = "/api/watch-spaces/{id}/imports/{importId}", tag = "imports", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Watch space id"), ("importId" = uuid::Uuid, Path, description = "Import id")),
    responses((status = 200, body = ImportJobDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_import(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((space, import)): ApiPath<(WatchSpaceId, uuid::Uuid)>,
) -> Result<Json<ImportJobDto>, ApiError> {
    Ok(Json(
        state
            .services
            .anilist
            .import_job(user.id, space, import)
            .await?,
    ))
}
