use identity::contracts::UserId;

use super::{Error, WatchSpaces};
use crate::contracts::{
    RenameWatchSpace, SpaceName, WatchSpaceDetailsDto, WatchSpaceId, WatchSpacesError,
};

impl WatchSpaces {
    /// Gives the space a new name. Owners only.
    ///
    /// # Errors
    /// `Validation` (field `name`); `SpaceNotFound` when there is no such space or `actor`
    /// is not a member; `NotOwner`; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space_id))]
    pub async fn rename_space(
        &self,
        actor: UserId,
        space_id: WatchSpaceId,
        cmd: RenameWatchSpace,
    ) -> Result<WatchSpaceDetailsDto, WatchSpacesError> {
        self.rename_space_inner(actor, space_id, cmd)
            .await
            .map_err(Error::into_public)
    }

    async fn rename_space_inner(
        &self,
        actor: UserId,
        space_id: WatchSpaceId,
        cmd: RenameWatchSpace,
    ) -> Result<WatchSpaceDetailsDto, Error> {
        let name = SpaceName::parse(&cmd.name)
            .map_err(|error| WatchSpacesError::field("name", error.to_string()))?;
        let now = self.clock.now();
        let (space, ()) = self
            .change_space(space_id, |space| space.rename(actor, name, now))
            .await?;
        tracing::info!("watch space renamed");
        self.details(&space, actor).await
    }
}
