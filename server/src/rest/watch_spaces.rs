//! `/api/watch-spaces/...`: spaces, members and invitations. Thin adapters over the
//! `WatchSpaces` facade; every rule lives there.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use identity::contracts::UserId;
use watch_spaces::contracts::{
    ChangeMemberRole, CreateWatchSpace, CreatedInvitationDto, InvitationId, InviteMember,
    RenameWatchSpace, TransferOwnership, WatchSpaceDetailsDto, WatchSpaceId, WatchSpacePageDto,
};

use super::extract::{ApiJson, ApiPath, ApiQuery, ApiUser, PageParams};
use super::problem::{ApiError, Problem};
use crate::state::AppState;

/// One page of the spaces I am a member of, by name. Pass `nextCursor` back as `cursor` for
/// the next page.
#[utoipa::path(get, path = "/api/watch-spaces", tag = "watch-spaces", security(("bearer" = [])),
    params(PageParams),
    responses((status = 200, body = WatchSpacePageDto), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub async fn list_my_spaces(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(page): ApiQuery<PageParams>,
) -> Result<Json<WatchSpacePageDto>, ApiError> {
    let (limit, after) = page.parse()?;
    Ok(Json(
        state
            .services
            .watch_spaces
            .list_my_spaces(user.id, limit, after)
            .await?,
    ))
}

/// Create a space; the creator becomes its owner.
#[utoipa::path(post, path = "/api/watch-spaces", tag = "watch-spaces", security(("bearer" = [])), request_body = CreateWatchSpace,
    responses((status = 201, body = WatchSpaceDetailsDto), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub async fn create_space(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(command): ApiJson<CreateWatchSpace>,
) -> Result<(StatusCode, Json<WatchSpaceDetailsDto>), ApiError> {
    let space = state
        .services
        .watch_spaces
        .create_space(user.id, command)
        .await?;
    Ok((StatusCode::CREATED, Json(space)))
}

/// A space with its members (and, for owners, its pending invitations).
#[utoipa::path(get, path = "/api/watch-spaces/{id}", tag = "watch-spaces", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Watch space id")),
    responses((status = 200, body = WatchSpaceDetailsDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_space(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<WatchSpaceId>,
) -> Result<Json<WatchSpaceDetailsDto>, ApiError> {
    Ok(Json(
        state.services.watch_spaces.get_space(user.id, id).await?,
    ))
}

/// Rename a space (owners).
#[utoipa::path(patch, path = "/api/watch-spaces/{id}", tag = "watch-spaces", security(("bearer" = [])), request_body = RenameWatchSpace,
    params(("id" = uuid::Uuid, Path, description = "Watch space id")),
    responses((status = 200, body = WatchSpaceDetailsDto), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn rename_space(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<WatchSpaceId>,
    ApiJson(command): ApiJson<RenameWatchSpace>,
) -> Result<Json<WatchSpaceDetailsDto>, ApiError> {
    Ok(Json(
        state
            .services
            .watch_spaces
            .rename_space(user.id, id, command)
            .await?,
    ))
}

/// Invite someone by email (owners). The response carries the shareable `url`.
#[utoipa::path(post, path = "/api/watch-spaces/{id}/invitations", tag = "watch-spaces", security(("bearer" = [])), request_body = InviteMember,
    params(("id" = uuid::Uuid, Path, description = "Watch space id")),
    responses((status = 201, body = CreatedInvitationDto), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn invite_member(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<WatchSpaceId>,
    ApiJson(command): ApiJson<InviteMember>,
) -> Result<(StatusCode, Json<CreatedInvitationDto>), ApiError> {
    let invitation = state
        .services
        .watch_spaces
        .invite_member(user.id, id, command)
        .await?;
    Ok((StatusCode::CREATED, Json(invitation)))
}

/// Withdraw a pending invitation (owners).
#[utoipa::path(delete, path = "/api/watch-spaces/{id}/invitations/{invitationId}", tag = "watch-spaces", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Watch space id"), ("invitationId" = uuid::Uuid, Path, description = "Invitation id")),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn revoke_invitation(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, invitation_id)): ApiPath<(WatchSpaceId, InvitationId)>,
) -> Result<StatusCode, ApiError> {
    state
        .services
        .watch_spaces
        .revoke_invitation(user.id, id, invitation_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Join a space with an invitation token. Accepting twice is harmless.
#[utoipa::path(post, path = "/api/watch-spaces/invitations/{token}/accept", tag = "watch-spaces", security(("bearer" = [])),
    params(("token" = String, Path, description = "Invitation token")),
    responses((status = 200, body = WatchSpaceDetailsDto), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 410, body = Problem)))]
pub async fn accept_invitation(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(token): ApiPath<String>,
) -> Result<Json<WatchSpaceDetailsDto>, ApiError> {
    Ok(Json(
        state
            .services
            .watch_spaces
            .accept_invitation(user.id, &token)
            .await?,
    ))
}

/// Remove a member (owners; not the last owner, not yourself).
#[utoipa::path(delete, path = "/api/watch-spaces/{id}/members/{userId}", tag = "watch-spaces", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Watch space id"), ("userId" = uuid::Uuid, Path, description = "Member's user id")),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn remove_member(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, member)): ApiPath<(WatchSpaceId, UserId)>,
) -> Result<StatusCode, ApiError> {
    state
        .services
        .watch_spaces
        .remove_member(user.id, id, member)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Promote a member to owner or make an owner a member (owners; a space keeps one owner).
#[utoipa::path(patch, path = "/api/watch-spaces/{id}/members/{userId}", tag = "watch-spaces", security(("bearer" = [])), request_body = ChangeMemberRole,
    params(("id" = uuid::Uuid, Path, description = "Watch space id"), ("userId" = uuid::Uuid, Path, description = "Member's user id")),
    responses((status = 200, body = WatchSpaceDetailsDto), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn change_member_role(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath((id, member)): ApiPath<(WatchSpaceId, UserId)>,
    ApiJson(command): ApiJson<ChangeMemberRole>,
) -> Result<Json<WatchSpaceDetailsDto>, ApiError> {
    Ok(Json(
        state
            .services
            .watch_spaces
            .change_member_role(user.id, id, member, command)
            .await?,
    ))
}

/// Hand the space over: the member named becomes an owner and the caller a plain member, in
/// one step (owners; naming yourself changes nothing).
#[utoipa::path(post, path = "/api/watch-spaces/{id}/transfer-ownership", tag = "watch-spaces", security(("bearer" = [])), request_body = TransferOwnership,
    params(("id" = uuid::Uuid, Path, description = "Watch space id")),
    responses((status = 200, body = WatchSpaceDetailsDto), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn transfer_ownership(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<WatchSpaceId>,
    ApiJson(command): ApiJson<TransferOwnership>,
) -> Result<Json<WatchSpaceDetailsDto>, ApiError> {
    Ok(Json(
        state
            .services
            .watch_spaces
            .transfer_ownership(user.id, id, command.user_id)
            .await?,
    ))
}

/// Leave a space (the last owner must promote someone first).
#[utoipa::path(post, path = "/api/watch-spaces/{id}/leave", tag = "watch-spaces", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Watch space id")),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn leave_space(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiPath(id): ApiPath<WatchSpaceId>,
) -> Result<StatusCode, ApiError> {
    state.services.watch_spaces.leave_space(user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
