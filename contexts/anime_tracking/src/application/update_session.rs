use identity::contracts::UserId;
use watch_spaces::contracts::WatchSpaceId;

use super::{AnimeTracking, Error};
use crate::contracts::{
    AnimeTrackingError, Notes, UpdateWatchSession, WatchSessionDto, WatchSessionId,
    WatchSpaceAnimeId,
};
use sea_orm::TransactionTrait;

use crate::infrastructure::sessions_repo;

impl AnimeTracking {
    /// Replaces a session's notes. Its creator only.
    ///
    /// # Errors
    /// `Validation` (field `notes`); `SpaceNotFound` when there is no such space or `actor`
    /// is not a member; `AnimeNotFound`; `SessionNotFound`; `NotSessionCreator`; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space, anime_id = %anime, session_id = %session))]
    pub async fn update_session(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        anime: WatchSpaceAnimeId,
        session: WatchSessionId,
        command: UpdateWatchSession,
    ) -> Result<WatchSessionDto, AnimeTrackingError> {
        self.update_session_inner(actor, space, anime, session, command)
            .await
            .map_err(Error::into_public)
    }

    async fn update_session_inner(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        anime: WatchSpaceAnimeId,
        id: WatchSessionId,
        command: UpdateWatchSession,
    ) -> Result<WatchSessionDto, Error> {
        let members = self.members(actor, space).await?;
        let mut session = self.session(space, anime, id).await?;
        let notes = Notes::parse(command.notes.as_deref().unwrap_or_default())
            .map_err(|error| AnimeTrackingError::field("notes", error.to_string()))?;
        session
            .update_notes(actor, notes)
            .map_err(|_| AnimeTrackingError::NotSessionCreator)?;
        let transaction = self.db.begin().await?;
        sessions_repo::update_notes(&transaction, &session).await?;
        self.publish_changes(&transaction, vec![space]).await?;
        transaction.commit().await?;
        Ok(self
            .session_dtos(&members, std::slice::from_ref(&session))
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| anyhow::anyhow!("an updated session has no DTO"))?)
    }
}
