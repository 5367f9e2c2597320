//! RFC 9457 problem details: the one error body of the REST API. Built from the same
//! `AppError` (kind, message, field errors) the UI renders, so both surfaces agree.

use app::error::AppError;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kernel::{ErrorKind, FieldError, PublicError};
use serde::Serialize;
use utoipa::ToSchema;

/// An error response of the REST API.
#[derive(Debug)]
pub struct ApiError {
    error: AppError,
    retry_after_seconds: Option<u64>,
}

impl ApiError {
    pub fn new(kind: ErrorKind, detail: impl Into<String>) -> Self {
        AppError::new(kind, detail).into()
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        Self {
            error,
            retry_after_seconds: None,
        }
    }
}

impl ApiError {
    /// A context's public error, keeping its Retry-After hint.
    fn from_public<E: PublicError + Into<AppError>>(error: E) -> Self {
        Self {
            retry_after_seconds: error.retry_after_seconds(),
            error: error.into(),
        }
    }
}

/// Every context's public error becomes a problem the same way, keeping its Retry-After hint.
macro_rules! problem_from_public {
    ($($error:ty),+ $(,)?) => {
        $(impl From<$error> for ApiError {
            fn from(error: $error) -> Self {
                Self::from_public(error)
            }
        })+
    };
}

problem_from_public!(
    identity::contracts::IdentityError,
    watch_spaces::contracts::WatchSpacesError,
    anilist_sync::contracts::AniListError,
    analytics::contracts::AnalyticsError,
    anime_tracking::contracts::AnimeTrackingError,
);

/// The JSON body (`application/problem+json`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// Stable URI per kind of problem, e.g. `https://bloomwatch.app/problems/validation`.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// Short, stable summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong this time, for people.
    pub detail: String,
    /// Per-field messages, for validation problems.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemFieldError>,
}

/// One field's message inside a problem.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemFieldError {
    /// The camelCase name of the request field.
    pub field: String,
    pub message: String,
}

impl From<&FieldError> for ProblemFieldError {
    fn from(error: &FieldError) -> Self {
        Self {
            field: error.field.clone(),
            message: error.message.clone(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let kind = self.error.kind;
        let status =
            StatusCode::from_u16(kind.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = Problem {
            problem_type: kind.problem_type(),
            title: kind.title().to_owned(),
            status: status.as_u16(),
            detail: self.error.message,
            errors: self
                .error
                .field_errors
                .iter()
                .map(ProblemFieldError::from)
                .collect(),
        };
        let json = serde_json::to_vec(&body).unwrap_or_default();
        let mut response = (status, json).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(seconds) = self.retry_after_seconds {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// Middleware outside the API (body limit, timeout) answers with bare statuses; under `/api`
/// they become problems too, so API clients always get one error shape.
pub async fn problems_for_bare_api_errors(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let bare = !response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/problem+json"));
    match ErrorKind::from_status(response.status().as_u16()) {
        Some(kind) if is_api && bare => ApiError::new(kind, kind.title()).into_response(),
        _ => response,
    }
}
