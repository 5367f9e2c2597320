use identity::contracts::UserId;

use super::{Error, WatchSpaces};
use crate::contracts::{InvitationId, WatchSpaceId, WatchSpacesError};

impl WatchSpaces {
    /// Withdraws an invitation so its link no longer works. Owners only. Revoking an
    /// invitation that is already revoked or expired changes nothing.
    ///
    /// # Errors
    /// `SpaceNotFound` when there is no such space or `actor` is not a member; `NotOwner`;
    /// `InvitationNotFound` when the space has no such invitation; `InvitationAlreadyUsed`
    /// when it was accepted; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space_id, invitation_id = %invitation_id))]
    pub async fn revoke_invitation(
        &self,
        actor: UserId,
        space_id: WatchSpaceId,
        invitation_id: InvitationId,
    ) -> Result<(), WatchSpacesError> {
        self.change_space(space_id, |space| {
            space.revoke_invitation(actor, invitation_id)
        })
        .await
        .map_err(Error::into_public)?;
        tracing::info!("invitation revoked");
        Ok(())
    }
}
