//! `GET|PATCH /api/me`: the caller's own account.

use app::services::ClientAddress;
use axum::extract::State;
use axum::{Extension, Json};
use identity::contracts::{UpdateProfile, UserDto};

use super::extract::{ApiJson, ApiUser};
use super::problem::{ApiError, Problem};
use crate::state::AppState;

/// The signed-in user.
#[utoipa::path(get, path = "/api/me", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = UserDto), (status = 401, body = Problem)))]
pub async fn get_me(ApiUser(user): ApiUser) -> Json<UserDto> {
    Json(user)
}

/// Change display name, theme, email or password (the last two need `currentPassword`;
/// a password change revokes every bearer token, this one included).
#[utoipa::path(patch, path = "/api/me", tag = "me", security(("bearer" = [])), request_body = UpdateProfile,
    responses((status = 200, body = UserDto), (status = 400, body = Problem), (status = 401, body = Problem), (status = 409, body = Problem),
        (status = 429, body = Problem)))]
pub async fn update_profile(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Extension(ClientAddress(client)): Extension<ClientAddress>,
    ApiJson(command): ApiJson<UpdateProfile>,
) -> Result<Json<UserDto>, ApiError> {
    Ok(Json(
        state
            .services
            .identity
            .update_profile(user.id, command, &client.to_string())
            .await?,
    ))
}
