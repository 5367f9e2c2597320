use identity::contracts::UserId;

use super::{Error, WatchSpaces};
use crate::contracts::{ChangeMemberRole, WatchSpaceDetailsDto, WatchSpaceId, WatchSpacesError};

impl WatchSpaces {
    /// Gives `user_id` a new role in the space. Owners only; an owner may demote
    /// themselves while another owner remains.
    ///
    /// # Errors
    /// `SpaceNotFound` when there is no such space or `actor` is not a member; `NotOwner`;
    /// `MemberNotFound`; `LastOwner` when it would demote the only owner; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space_id, member_id = %user_id, role = %cmd.role))]
    pub async fn change_member_role(
        &self,
        actor: UserId,
        space_id: WatchSpaceId,
        user_id: UserId,
        cmd: ChangeMemberRole,
    ) -> Result<WatchSpaceDetailsDto, WatchSpacesError> {
        self.change_member_role_inner(actor, space_id, user_id, cmd)
            .await
            .map_err(Error::into_public)
    }

    async fn change_member_role_inner(
        &self,
        actor: UserId,
        space_id: WatchSpaceId,
        user_id: UserId,
        cmd: ChangeMemberRole,
    ) -> Result<WatchSpaceDetailsDto, Error> {
        let (space, ()) = self
            .change_space(space_id, |space| {
                space.change_role(actor, user_id, cmd.role)
            })
            .await?;
        tracing::info!("member role changed");
        self.details(&space, actor).await
    }
}
