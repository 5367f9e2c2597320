use identity::contracts::UserId;

use super::{Error, WatchSpaces};
use crate::contracts::{MemberDto, WatchSpaceDetailsDto, WatchSpaceId, WatchSpacesError};
use crate::infrastructure::{members_repo, spaces_repo};

impl WatchSpaces {
    /// The space with its members (display names, no emails) and, for owners, its open
    /// invitations.
    ///
    /// # Errors
    /// `SpaceNotFound` when there is no such space or `actor` is not a member; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space_id))]
    pub async fn get_space(
        &self,
        actor: UserId,
        space_id: WatchSpaceId,
    ) -> Result<WatchSpaceDetailsDto, WatchSpacesError> {
        self.get_space_inner(actor, space_id)
            .await
            .map_err(Error::into_public)
    }

    /// The space's members (display names, no emails), as `get_space` lists them, without
    /// the rest of the space: two queries, for contexts that only need to know who is in it.
    ///
    /// # Errors
    /// `SpaceNotFound` when there is no such space or `actor` is not a member; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space_id))]
    pub async fn members(
        &self,
        actor: UserId,
        space_id: WatchSpaceId,
    ) -> Result<Vec<MemberDto>, WatchSpacesError> {
        async {
            let members = members_repo::members_of(&self.db, space_id).await?;
            if !members.iter().any(|member| member.user_id == actor) {
                return Err(WatchSpacesError::SpaceNotFound.into());
            }
            self.member_dtos(&members).await
        }
        .await
        .map_err(Error::into_public)
    }

    async fn get_space_inner(
        &self,
        actor: UserId,
        space_id: WatchSpaceId,
    ) -> Result<WatchSpaceDetailsDto, Error> {
        let space = spaces_repo::find(&self.db, space_id)
            .await?
            .ok_or(WatchSpacesError::SpaceNotFound)?;
        self.details(&space, actor).await
    }
}
