use identity::contracts::UserId;
use watch_spaces::contracts::WatchSpaceId;

use super::{AnimeTracking, Error};
use crate::contracts::{AnimeTrackingError, WatchSessionDto, WatchSpaceAnimeId};
use crate::infrastructure::anime_repo::Lock;
use crate::infrastructure::sessions_repo;

impl AnimeTracking {
    /// The anime's watch sessions with their attendees, newest first.
    ///
    /// # Errors
    /// `SpaceNotFound` when there is no such space or `actor` is not a member;
    /// `AnimeNotFound`; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space, anime_id = %anime))]
    pub async fn list_sessions(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        anime: WatchSpaceAnimeId,
    ) -> Result<Vec<WatchSessionDto>, AnimeTrackingError> {
        self.list_sessions_inner(actor, space, anime)
            .await
            .map_err(Error::into_public)
    }

    async fn list_sessions_inner(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        id: WatchSpaceAnimeId,
    ) -> Result<Vec<WatchSessionDto>, Error> {
        let members = self.members(actor, space).await?;
        self.anime(&self.db, space, id, Lock::None).await?;
        let sessions = sessions_repo::list(&self.db, id).await?;
        self.session_dtos(&members, &sessions).await
    }
}
