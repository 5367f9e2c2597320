use identity::contracts::UserId;
use watch_spaces::contracts::{MemberDto, WatchSpaceId};

use super::{AnimeTracking, Error};
use crate::contracts::{AnimeTrackingError, WatchSessionDto};
use crate::infrastructure::sessions_repo;

impl AnimeTracking {
    /// Every watch session of every anime the space tracks, with their attendees, newest
    /// first: for analytics, in a fixed number of queries however big the space is.
    ///
    /// # Errors
    /// `SpaceNotFound` when there is no such space or `actor` is not a member; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space))]
    pub async fn list_space_sessions(
        &self,
        actor: UserId,
        space: WatchSpaceId,
    ) -> Result<Vec<WatchSessionDto>, AnimeTrackingError> {
        self.list_space_sessions_inner(actor, space)
            .await
            .map_err(Error::into_public)
    }

    async fn list_space_sessions_inner(
        &self,
        actor: UserId,
        space: WatchSpaceId,
    ) -> Result<Vec<WatchSessionDto>, Error> {
        let members = self.members(actor, space).await?;
        self.space_sessions_of(&members, space).await
    }

    /// The sessions, for a caller that has already checked membership and read the members.
    pub(super) async fn space_sessions_of(
        &self,
        members: &[MemberDto],
        space: WatchSpaceId,
    ) -> Result<Vec<WatchSessionDto>, Error> {
        let sessions = sessions_repo::list_in_space(&self.db, space).await?;
        self.session_dtos(members, &sessions).await
    }
}
