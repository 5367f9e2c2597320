//! `POST /api/auth/register|login|logout`: accounts and bearer tokens for API clients.

use app::services::ClientAddress;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::{Extension, Json};
use identity::contracts::{AccessTokenDto, LoginUser, RegisterUser, UserDto};

use super::extract::{bearer_token, ApiJson};
use super::problem::{ApiError, Problem};
use crate::state::AppState;

/// Create an account.
#[utoipa::path(post, path = "/api/auth/register", tag = "auth", request_body = RegisterUser,
    responses((status = 201, body = UserDto), (status = 400, body = Problem), (status = 409, body = Problem), (status = 429, body = Problem)))]
pub async fn register_user(
    State(state): State<AppState>,
    Extension(ClientAddress(client)): Extension<ClientAddress>,
    ApiJson(command): ApiJson<RegisterUser>,
) -> Result<(StatusCode, Json<UserDto>), ApiError> {
    let user = state
        .services
        .identity
        .register(command, &client.to_string())
        .await?;
    Ok((StatusCode::CREATED, Json(user)))
}

/// Exchange an email and password for a bearer token (30 days). Repeated failures are throttled.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginUser,
    responses((status = 200, body = AccessTokenDto), (status = 401, body = Problem), (status = 429, body = Problem)))]
pub async fn log_in(
    State(state): State<AppState>,
    Extension(ClientAddress(client)): Extension<ClientAddress>,
    ApiJson(command): ApiJson<LoginUser>,
) -> Result<Json<AccessTokenDto>, ApiError> {
    let identity = &state.services.identity;
    let user = identity
        .verify_credentials(command, &client.to_string())
        .await?;
    Ok(Json(identity.issue_access_token(user.id).await?))
}

/// Revoke the bearer token sent with this request (and end a browser session, if any).
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth", responses((status = 204), (status = 401, body = Problem)))]
pub async fn log_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: Option<Extension<app::services::AuthSession>>,
) -> Result<StatusCode, ApiError> {
    if let Some(secret) = bearer_token(&headers)? {
        state.services.identity.revoke_access_token(&secret).await?;
    }
    if let Some(Extension(mut session)) = session {
        session.logout().await.map_err(|_| {
            ApiError::new(
                kernel::ErrorKind::Internal,
                "We could not end your session. Please try again.",
            )
        })?;
    }
    Ok(StatusCode::NO_CONTENT)
}
