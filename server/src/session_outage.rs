//! Signed-in requests while PostgreSQL is unreachable. The session layer (tower-sessions under
//! axum-login) loads the browser's session before any handler runs, and answers a store failure
//! with a bare 500; this turns that into what it is, a 503 with `Retry-After` (a problem under
//! `/api`, a short page elsewhere), when PostgreSQL does not answer a ping.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use kernel::{ErrorKind, DATABASE_RETRY_AFTER_SECONDS, DATABASE_UNAVAILABLE};

use crate::rest::problem::ApiError;
use crate::state::AppState;

/// Wraps the session layer: a bare 500 (no body type: ours always have one) is checked.
pub async fn explain_session_failures(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let bare_500 = response.status() == StatusCode::INTERNAL_SERVER_ERROR
        && !response.headers().contains_key(header::CONTENT_TYPE);
    if !bare_500 || state.services.identity.ping_database().await.is_ok() {
        return response;
    }
    tracing::warn!("a session could not be loaded: PostgreSQL is unreachable");
    let mut unavailable = if is_api {
        ApiError::new(ErrorKind::Unavailable, DATABASE_UNAVAILABLE).into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Html(format!(
                "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
                 <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
                 <title>BloomWatch is unavailable</title></head><body><main>\
                 <h1>BloomWatch is unavailable for a moment</h1><p>{DATABASE_UNAVAILABLE}</p>\
                 <p><a href=\"\">Try again</a></p></main></body></html>"
            )),
        )
            .into_response()
    };
    unavailable.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from(DATABASE_RETRY_AFTER_SECONDS),
    );
    unavailable
}
