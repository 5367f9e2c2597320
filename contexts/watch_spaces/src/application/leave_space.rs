use identity::contracts::UserId;

use super::{Error, WatchSpaces};
use crate::contracts::{WatchSpaceId, WatchSpacesError};

impl WatchSpaces {
    /// `actor` leaves the space. The last owner must promote someone first; the only
    /// member cannot leave, since a space keeps an owner.
    ///
    /// # Errors
    /// `SpaceNotFound` when there is no such space or `actor` is not a member; `LastOwner`;
    /// `LastMember`; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space_id))]
    pub async fn leave_space(
        &self,
        actor: UserId,
        space_id: WatchSpaceId,
    ) -> Result<(), WatchSpacesError> {
        self.change_space(space_id, |space| space.leave(actor))
            .await
            .map_err(Error::into_public)?;
        tracing::info!("member left");
        Ok(())
    }
}
