use identity::contracts::UserId;
use watch_spaces::contracts::WatchSpaceId;

use super::{AnimeTracking, Error};
use crate::contracts::{AnimeTrackingError, SpaceRevisionDto};
use crate::infrastructure::revisions_repo;

impl AnimeTracking {
    /// The space's revision with its members: what a reader needs to tell whether something
    /// it derived from the space earlier is still current. The membership check's queries and
    /// one that reads a single row.
    ///
    /// # Errors
    /// `SpaceNotFound` when there is no such space or `actor` is not a member; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space))]
    pub async fn space_revision(
        &self,
        actor: UserId,
        space: WatchSpaceId,
    ) -> Result<SpaceRevisionDto, AnimeTrackingError> {
        self.space_revision_inner(actor, space)
            .await
            .map_err(Error::into_public)
    }

    async fn space_revision_inner(
        &self,
        actor: UserId,
        space: WatchSpaceId,
    ) -> Result<SpaceRevisionDto, Error> {
        let members = self.members(actor, space).await?;
        let revision = revisions_repo::read(&self.db, space).await?;
        Ok(SpaceRevisionDto { revision, members })
    }
}
