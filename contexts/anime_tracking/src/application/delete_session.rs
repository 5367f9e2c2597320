use identity::contracts::UserId;
use watch_spaces::contracts::WatchSpaceId;

use super::{AnimeTracking, Error};
use crate::contracts::{AnimeTrackingError, WatchSessionId, WatchSpaceAnimeId};
use sea_orm::TransactionTrait;

use crate::infrastructure::sessions_repo;

impl AnimeTracking {
    /// Deletes a session. Its creator only. Progress stays where the session moved it.
    ///
    /// # Errors
    /// `SpaceNotFound` when there is no such space or `actor` is not a member;
    /// `AnimeNotFound`; `SessionNotFound`; `NotSessionCreator`; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space, anime_id = %anime, session_id = %session))]
    pub async fn delete_session(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        anime: WatchSpaceAnimeId,
        session: WatchSessionId,
    ) -> Result<(), AnimeTrackingError> {
        self.delete_session_inner(actor, space, anime, session)
            .await
            .map_err(Error::into_public)
    }

    async fn delete_session_inner(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        anime: WatchSpaceAnimeId,
        id: WatchSessionId,
    ) -> Result<(), Error> {
        self.role(actor, space).await?;
        let session = self.session(space, anime, id).await?;
        session
            .ensure_creator(actor)
            .map_err(|_| AnimeTrackingError::NotSessionCreator)?;
        let transaction = self.db.begin().await?;
        sessions_repo::delete(&transaction, id).await?;
        self.publish_changes(&transaction, vec![space]).await?;
        transaction.commit().await?;
        tracing::info!("watch session deleted");
        Ok(())
    }
}
