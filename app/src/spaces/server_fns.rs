//! Watch spaces, members and invitations: thin adapters over the WatchSpaces facade. Each
//! acts as the signed-in user; the facade enforces who may do what.

use identity::contracts::UserId;
use kernel::paging::PageCursor;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use watch_spaces::contracts::{
    InvitationId, InvitationPreviewDto, Role, WatchSpaceDetailsDto, WatchSpaceId, WatchSpacePageDto,
};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::services::for_signed_in_user;

/// A page of the spaces the signed-in user belongs to (as many as a page holds), after
/// `after` (the first page when `None`).
#[server(endpoint = "list_my_spaces")]
pub async fn list_my_spaces(after: Option<PageCursor>) -> Result<WatchSpacePageDto, AppError> {
    for_signed_in_user(|services, user| async move {
        Ok(services
            .watch_spaces
            .list_my_spaces(user.id, kernel::paging::PageLimit::LARGEST, after)
            .await?)
    })
    .await
}

/// Creates a space owned by the signed-in user; answers its id, to go to.
#[server(endpoint = "create_space")]
pub async fn create_space(name: String) -> Result<WatchSpaceId, AppError> {
    for_signed_in_user(|services, user| async move {
        let command = watch_spaces::contracts::CreateWatchSpace { name };
        let space = services.watch_spaces.create_space(user.id, command).await?;
        crate::navigation::redirect_plain_form(&format!("/spaces/{}", space.id));
        Ok(space.id)
    })
    .await
}

/// One space as the signed-in member sees it.
#[server(endpoint = "get_space")]
pub async fn get_space(space_id: WatchSpaceId) -> Result<WatchSpaceDetailsDto, AppError> {
    for_signed_in_user(|services, user| async move {
        Ok(services.watch_spaces.get_space(user.id, space_id).await?)
    })
    .await
}

/// Gives a space a new name (owners).
#[server(endpoint = "rename_space")]
pub async fn rename_space(space_id: WatchSpaceId, name: String) -> Result<(), AppError> {
    for_signed_in_user(|services, user| async move {
        let command = watch_spaces::contracts::RenameWatchSpace { name };
        services
            .watch_spaces
            .rename_space(user.id, space_id, command)
            .await?;
        Ok(())
    })
    .await
}

/// A new invitation as the owner sees it: the link to share, and until when it works.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedInvitationView {
    pub invited_email: String,
    pub url: String,
    /// The last day it can be accepted, as shown ("2 Dec 2026").
    pub expires_on: String,
}

/// Invites someone by email (owners); the answer carries the link to share.
#[server(endpoint = "invite_member")]
pub async fn invite_member(
    space_id: WatchSpaceId,
    email: String,
) -> Result<CreatedInvitationView, AppError> {
    for_signed_in_user(|services, user| async move {
        let command = watch_spaces::contracts::InviteMember { email };
        let invitation = services
            .watch_spaces
            .invite_member(user.id, space_id, command)
            .await?;
        Ok(CreatedInvitationView {
            invited_email: invitation.invited_email,
            url: invitation.url,
            expires_on: crate::components::format_date(invitation.expires_at_utc),
        })
    })
    .await
}

/// Withdraws a pending invitation (owners).
#[server(endpoint = "revoke_invitation")]
pub async fn revoke_invitation(
    space_id: WatchSpaceId,
    invitation_id: InvitationId,
) -> Result<(), AppError> {
    for_signed_in_user(|services, user| async move {
        Ok(services
            .watch_spaces
            .revoke_invitation(user.id, space_id, invitation_id)
            .await?)
    })
    .await
}

/// Removes another member (owners).
#[server(endpoint = "remove_member")]
pub async fn remove_member(space_id: WatchSpaceId, user_id: UserId) -> Result<(), AppError> {
    for_signed_in_user(|services, user| async move {
        Ok(services
            .watch_spaces
            .remove_member(user.id, space_id, user_id)
            .await?)
    })
    .await
}

/// Makes a member an owner or an owner a member (owners).
#[server(endpoint = "change_member_role")]
pub async fn change_member_role(
    space_id: WatchSpaceId,
    user_id: UserId,
    role: Role,
) -> Result<(), AppError> {
    for_signed_in_user(|services, user| async move {
        let command = watch_spaces::contracts::ChangeMemberRole { role };
        services
            .watch_spaces
            .change_member_role(user.id, space_id, user_id, command)
            .await?;
        Ok(())
    })
    .await
}

/// Hands the space over to a member: they become an owner, the signed-in owner a member.
#[server(endpoint = "transfer_ownership")]
pub async fn transfer_ownership(space_id: WatchSpaceId, user_id: UserId) -> Result<(), AppError> {
    for_signed_in_user(|services, user| async move {
        services
            .watch_spaces
            .transfer_ownership(user.id, space_id, user_id)
            .await?;
        Ok(())
    })
    .await
}

/// Leaves a space (refused for its last owner).
#[server(endpoint = "leave_space")]
pub async fn leave_space(space_id: WatchSpaceId) -> Result<(), AppError> {
    for_signed_in_user(|services, user| async move {
        services.watch_spaces.leave_space(user.id, space_id).await?;
        crate::navigation::redirect_plain_form("/spaces");
        Ok(())
    })
    .await
}

/// What an invitation link leads to; anyone holding the link may look.
#[server(endpoint = "preview_invitation")]
pub async fn preview_invitation(token: String) -> Result<InvitationPreviewDto, AppError> {
    crate::server_status::with_status(
        async move {
            let services = crate::services::services()?;
            Ok(services.watch_spaces.preview_invitation(&token).await?)
        }
        .await,
    )
}

/// Joins the space of the invitation (the signed-in account must have the invited email);
/// answers the space's id, to go to.
#[server(endpoint = "accept_invitation")]
pub async fn accept_invitation(token: String) -> Result<WatchSpaceId, AppError> {
    for_signed_in_user(|services, user| async move {
        let space = services
            .watch_spaces
            .accept_invitation(user.id, &token)
            .await?;
        crate::navigation::redirect_plain_form(&format!("/spaces/{}", space.id));
        Ok(space.id)
    })
    .await
}
