use identity::contracts::UserId;
use kernel::FieldErrors;
use sea_orm::TransactionTrait;
use watch_spaces::contracts::WatchSpaceId;

use super::{AnimeTracking, Error};
use crate::contracts::{
    AnimeTrackingError, Notes, RecordWatchSession, WatchSessionDto, WatchSpaceAnimeId,
    MAX_SESSIONS_PER_ANIME,
};
use crate::domain::session::{Attendees, EpisodeRange};
use crate::infrastructure::anime_repo::{self, Lock};
use crate::infrastructure::sessions_repo;

impl AnimeTracking {
    /// Records a watch session: episodes `start` to `end` (within the episode count when it
    /// is known), watched by the given members (every current member when none are named).
    /// The shared progress and each attendee's progress move forward to `end` (never
    /// backwards), with their statuses (backlog or paused becomes watching; reaching the last
    /// episode, finished). Any member may record. Sessions on one anime are recorded one at a
    /// time, so concurrent sessions never lose progress.
    ///
    /// # Errors
    /// `Validation` (fields `startEpisode`, `endEpisode`, `notes`, `attendeeUserIds`);
    /// `SpaceNotFound` when there is no such space or `actor` is not a member;
    /// `AnimeNotFound`; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space, anime_id = %anime))]
    pub async fn record_session(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        anime: WatchSpaceAnimeId,
        command: RecordWatchSession,
    ) -> Result<WatchSessionDto, AnimeTrackingError> {
        self.record_session_inner(actor, space, anime, command)
            .await
            .map_err(Error::into_public)
    }

    async fn record_session_inner(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        id: WatchSpaceAnimeId,
        command: RecordWatchSession,
    ) -> Result<WatchSessionDto, Error> {
        let members = self.members(actor, space).await?;
        let member_ids: Vec<UserId> = members.iter().map(|member| member.user_id).collect();
        let transaction = self.db.begin().await?;
        let mut anime = self.anime(&transaction, space, id, Lock::Exclusive).await?;
        // The row lock above makes this count exact: sessions are recorded one at a time.
        if sessions_repo::count_for_anime(&transaction, id).await? >= MAX_SESSIONS_PER_ANIME {
            return Err(AnimeTrackingError::SessionLimit {
                limit: MAX_SESSIONS_PER_ANIME,
            }
            .into());
        }

        let mut errors = FieldErrors::new();
        let start = errors.collect("startEpisode", anime.episode(command.start_episode));
        let end = errors.collect("endEpisode", anime.episode(command.end_episode));
        let episodes = match (start, end) {
            (Some(start), Some(end)) => errors.collect("endEpisode", EpisodeRange::new(start, end)),
            _ => None,
        };
        let notes = errors.collect(
            "notes",
            Notes::parse(command.notes.as_deref().unwrap_or_default()),
        );
        let attendees = errors.collect(
            "attendeeUserIds",
            Attendees::choose(&member_ids, command.attendee_user_ids),
        );
        let (Some(episodes), Some(notes), Some(attendees)) = (episodes, notes, attendees) else {
            return Err(AnimeTrackingError::Validation(errors).into());
        };

        let before = anime.clone();
        let now = self.clock.now();
        let session = anime.record_session(
            episodes,
            attendees,
            command.session_date_utc,
            notes,
            actor,
            now,
        );
        if let Err(stale) = anime_repo::save(&transaction, &before, &anime).await? {
            transaction.rollback().await?;
            return Err(self.explain_stale(actor, space, id, &members, stale).await);
        }
        sessions_repo::insert(&transaction, &session).await?;
        self.publish_entry_changes(&transaction, &before, &anime)
            .await?;
        self.publish_changes(&transaction, vec![space]).await?;
        transaction.commit().await?;
        tracing::info!(session_id = %session.id, "watch session recorded");
        Ok(self
            .session_dtos(&members, std::slice::from_ref(&session))
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| anyhow::anyhow!("a recorded session has no DTO"))?)
    }
}
