//! Extractors of the REST API whose failures are problem+json: JSON bodies and the caller.

use app::error::AppError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use identity::contracts::UserDto;
use kernel::paging::{PageCursor, PageLimit};
use kernel::{ErrorKind, FieldErrors};

use super::problem::ApiError;
use crate::state::AppState;

/// A JSON body; malformed, mistyped or oversized bodies become precise problems.
pub struct ApiJson<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(json_problem(&rejection)),
        }
    }
}

fn json_problem(rejection: &JsonRejection) -> ApiError {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => ApiError::new(
            ErrorKind::UnsupportedMediaType,
            "Send the body as JSON with `Content-Type: application/json`.",
        ),
        JsonRejection::BytesRejection(_) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::new(
                ErrorKind::PayloadTooLarge,
                "The request body is larger than this server accepts.",
            )
        }
        JsonRejection::JsonDataError(error) => ApiError::new(
            ErrorKind::Validation,
            format!(
                "The JSON does not have the expected fields: {}",
                error.body_text()
            ),
        ),
        _ => ApiError::new(
            ErrorKind::Validation,
            format!("The body is not valid JSON: {}", rejection.body_text()),
        ),
    }
}

/// The caller: a bearer token (`Authorization: Bearer ...`) or a browser session.
pub struct ApiUser(pub UserDto);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(secret) = bearer_token(&parts.headers)? {
            return Ok(Self(
                state
                    .services
                    .identity
                    .authenticate_access_token(&secret)
                    .await?,
            ));
        }
        let session = parts.extensions.get::<app::services::AuthSession>();
        match session.and_then(|session| session.user.clone()) {
            Some(session_user) => Ok(Self(session_user.user)),
            None => Err(ApiError::new(ErrorKind::Unauthenticated, "Log in first: send `Authorization: Bearer <accessToken>` from POST /api/auth/login.")),
        }
    }
}

/// The bearer secret, if an `Authorization` header is present; other schemes are refused.
pub fn bearer_token(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|token| !token.is_empty());
    match token {
        Some(token) => Ok(Some(token.to_owned())),
        None => Err(ApiError::new(
            ErrorKind::Unauthenticated,
            "The Authorization header must be `Bearer <accessToken>`.",
        )),
    }
}

/// Path parameters; a malformed id is a problem, not a plain-text 400.
pub struct ApiPath<T>(pub T);

impl<T: serde::de::DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Self(value)),
            Err(rejection) => Err(ApiError::new(
                ErrorKind::Validation,
                format!("The address has a malformed id: {}", rejection.body_text()),
            )),
        }
    }
}

/// Query-string parameters; a malformed query is a problem, not a plain-text 400.
pub struct ApiQuery<T>(pub T);

impl<T: serde::de::DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Self(value)),
            Err(rejection) => Err(ApiError::new(
                ErrorKind::Validation,
                format!("The query string is not valid: {}", rejection.body_text()),
            )),
        }
    }
}

/// Which page of a list: `limit` items after `cursor`. A limit that is no number from 1 to 100
/// is a validation problem on the `limit` field.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Items per page: 1 to 100 (50 when absent).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    limit: Option<String>,
    /// The `nextCursor` of the page before; the first page when absent.
    cursor: Option<String>,
}

impl PageParams {
    /// # Errors
    /// A validation problem naming `limit` when it is out of range or not a number.
    pub fn parse(self) -> Result<(PageLimit, Option<PageCursor>), ApiError> {
        let limit = match self.limit {
            None => PageLimit::default(),
            Some(raw) => raw
                .trim()
                .parse::<u32>()
                .map_err(|_| format!("The limit is a whole number of items: “{raw}” is not."))
                .and_then(PageLimit::new)
                .map_err(|message| {
                    let mut error = AppError::new(ErrorKind::Validation, message.clone());
                    error.field_errors = FieldErrors::single("limit", message);
                    ApiError::from(error)
                })?,
        };
        Ok((limit, self.cursor.map(PageCursor::from_client)))
    }
}
