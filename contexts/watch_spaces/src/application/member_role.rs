use identity::contracts::UserId;

use super::{Error, WatchSpaces};
use crate::contracts::{Role, WatchSpaceId, WatchSpacesError};
use crate::infrastructure::members_repo;

impl WatchSpaces {
    /// `actor`'s role in the space, for other contexts that let only members in (one query).
    ///
    /// # Errors
    /// `SpaceNotFound` when there is no such space or `actor` is not a member; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space_id))]
    pub async fn member_role(
        &self,
        actor: UserId,
        space_id: WatchSpaceId,
    ) -> Result<Role, WatchSpacesError> {
        members_repo::role_of(&self.db, space_id, actor)
            .await
            .map_err(Error::into_public)?
            .ok_or(WatchSpacesError::SpaceNotFound)
    }
}
