use identity::contracts::UserId;
use kernel::FieldErrors;
use watch_spaces::contracts::WatchSpaceId;

use super::{AnimeTracking, Error, Expected};
use crate::contracts::{
    AnimeTrackingError, Notes, RateAnime, RatingScore, WatchSpaceAnimeDto, WatchSpaceAnimeId,
};

impl AnimeTracking {
    /// Sets the actor's own rating (0.5 to 10 in steps of 0.5) and notes. The first change
    /// creates their entry (`version` 0).
    ///
    /// # Errors
    /// `Validation` (fields `ratingScore`, `ratingNotes`, `version`); `SpaceNotFound` when
    /// there is no such space or `actor` is not a member; `AnimeNotFound`; `StaleEdit` when
    /// their entry changed since `version`; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space, anime_id = %anime))]
    pub async fn rate_anime(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        anime: WatchSpaceAnimeId,
        command: RateAnime,
    ) -> Result<WatchSpaceAnimeDto, AnimeTrackingError> {
        let now = self.clock.now();
        self.change_anime(
            actor,
            space,
            anime,
            Expected::OwnEntry(command.version),
            |anime| {
                let mut errors = FieldErrors::new();
                let score = errors.collect("ratingScore", RatingScore::new(command.rating_score));
                let notes = errors.collect(
                    "ratingNotes",
                    Notes::parse(command.rating_notes.as_deref().unwrap_or_default()),
                );
                let (Some(score), Some(notes)) = (score, notes) else {
                    return Err(AnimeTrackingError::Validation(errors).into());
                };
                anime.rate(actor, Some((score, notes)), now);
                Ok(())
            },
        )
        .await
        .map_err(Error::into_public)
    }

    /// Removes the actor's own rating and notes. Clearing a rating that is not there changes
    /// nothing.
    ///
    /// # Errors
    /// `SpaceNotFound` when there is no such space or `actor` is not a member;
    /// `AnimeNotFound`; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space, anime_id = %anime))]
    pub async fn clear_rating(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        anime: WatchSpaceAnimeId,
    ) -> Result<WatchSpaceAnimeDto, AnimeTrackingError> {
        let now = self.clock.now();
        self.change_anime(actor, space, anime, Expected::Nothing, |anime| {
            let rated = anime
                .entry(actor)
                .is_some_and(|entry| entry.rating.is_some() || entry.rating_notes.is_some());
            if rated {
                anime.rate(actor, None, now);
            }
            Ok(())
        })
        .await
        .map_err(Error::into_public)
    }
}
