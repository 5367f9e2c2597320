use identity::contracts::UserId;

use super::{Error, WatchSpaces};
use crate::contracts::{WatchSpaceDetailsDto, WatchSpaceId, WatchSpacesError};

impl WatchSpaces {
    /// Makes `to_user` an owner and `actor` a plain member, in one step. Owners only;
    /// transferring to oneself changes nothing.
    ///
    /// # Errors
    /// `SpaceNotFound` when there is no such space or `actor` is not a member; `NotOwner`;
    /// `MemberNotFound` when `to_user` is not a member; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space_id, to_user_id = %to_user))]
    pub async fn transfer_ownership(
        &self,
        actor: UserId,
        space_id: WatchSpaceId,
        to_user: UserId,
    ) -> Result<WatchSpaceDetailsDto, WatchSpacesError> {
        self.transfer_ownership_inner(actor, space_id, to_user)
            .await
            .map_err(Error::into_public)
    }

    async fn transfer_ownership_inner(
        &self,
        actor: UserId,
        space_id: WatchSpaceId,
        to_user: UserId,
    ) -> Result<WatchSpaceDetailsDto, Error> {
        let (space, ()) = self
            .change_space(space_id, |space| space.transfer_ownership(actor, to_user))
            .await?;
        tracing::info!("ownership transferred");
        self.details(&space, actor).await
    }
}
