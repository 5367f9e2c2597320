use identity::contracts::UserId;

use super::{Error, WatchSpaces};
use crate::contracts::{WatchSpaceId, WatchSpacesError};

impl WatchSpaces {
    /// Removes `user_id` from the space. Owners only; to go themselves, owners leave.
    ///
    /// # Errors
    /// `SpaceNotFound` when there is no such space or `actor` is not a member; `NotOwner`;
    /// `MemberNotFound`; `CannotRemoveYourself`; `LastOwner`; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space_id, member_id = %user_id))]
    pub async fn remove_member(
        &self,
        actor: UserId,
        space_id: WatchSpaceId,
        user_id: UserId,
    ) -> Result<(), WatchSpacesError> {
        self.change_space(space_id, |space| space.remove_member(actor, user_id))
            .await
            .map_err(Error::into_public)?;
        tracing::info!("member removed");
        Ok(())
    }
}
