use identity::contracts::UserId;
use kernel::FieldErrors;
use watch_spaces::contracts::WatchSpaceId;

use super::{refuse_invalid, text_edit, AnimeTracking, Error, Expected};
use crate::contracts::{
    AnimeTrackingError, UpdateWatchSpaceAnime, WatchSpaceAnimeDto, WatchSpaceAnimeId,
};
use crate::domain::anime::SharedEdit;

impl AnimeTracking {
    /// Changes the space's shared state: status, progress (0 to the episode count when it is
    /// known; it may go down), mood, vibe and pitch. Any member may edit; the edit must be
    /// based on the current `version`.
    ///
    /// # Errors
    /// `Validation` (fields `sharedEpisodesWatched`, `mood`, `vibe`, `pitch`);
    /// `SpaceNotFound` when there is no such space or `actor` is not a member;
    /// `AnimeNotFound`; `StaleEdit` when someone changed it since `version`; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space, anime_id = %anime))]
    pub async fn update_anime(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        anime: WatchSpaceAnimeId,
        command: UpdateWatchSpaceAnime,
    ) -> Result<WatchSpaceAnimeDto, AnimeTrackingError> {
        let now = self.clock.now();
        self.change_anime(
            actor,
            space,
            anime,
            Expected::Shared(command.version),
            |anime| {
                let mut errors = FieldErrors::new();
                let edit = SharedEdit {
                    status: command.shared_status,
                    episodes_watched: command.shared_episodes_watched.and_then(|raw| {
                        errors.collect("sharedEpisodesWatched", anime.progress(raw))
                    }),
                    mood: text_edit(&mut errors, "mood", command.mood),
                    vibe: text_edit(&mut errors, "vibe", command.vibe),
                    pitch: text_edit(&mut errors, "pitch", command.pitch),
                };
                refuse_invalid(errors)?;
                anime.edit_shared(edit, actor, now);
                Ok(())
            },
        )
        .await
        .map_err(Error::into_public)
    }
}
