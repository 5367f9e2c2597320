use identity::contracts::UserId;
use kernel::FieldErrors;
use watch_spaces::contracts::WatchSpaceId;

use super::{refuse_invalid, AnimeTracking, Error, Expected};
use crate::contracts::{
    AnimeTrackingError, UpdateParticipantProgress, WatchSpaceAnimeDto, WatchSpaceAnimeId,
};

impl AnimeTracking {
    /// Changes the actor's own status and progress (0 to the episode count when it is known;
    /// it may go down). The first change creates their entry (`version` 0).
    ///
    /// # Errors
    /// `Validation` (fields `episodesWatched`, `version`); `SpaceNotFound` when there is no
    /// such space or `actor` is not a member; `AnimeNotFound`; `StaleEdit` when their entry
    /// changed since `version` (another tab, or a session someone recorded); `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space, anime_id = %anime))]
    pub async fn update_participant_progress(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        anime: WatchSpaceAnimeId,
        command: UpdateParticipantProgress,
    ) -> Result<WatchSpaceAnimeDto, AnimeTrackingError> {
        let now = self.clock.now();
        self.change_anime(
            actor,
            space,
            anime,
            Expected::OwnEntry(command.version),
            |anime| {
                let mut errors = FieldErrors::new();
                let episodes = command
                    .episodes_watched
                    .and_then(|raw| errors.collect("episodesWatched", anime.progress(raw)));
                refuse_invalid(errors)?;
                anime.update_progress(actor, command.individual_status, episodes, now);
                Ok(())
            },
        )
        .await
        .map_err(Error::into_public)
    }
}
