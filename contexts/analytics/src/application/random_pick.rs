use anime_tracking::contracts::WatchStatus;
use anyhow::anyhow;
use identity::contracts::UserId;
use watch_spaces::contracts::WatchSpaceId;

use super::{current_members, Analytics, Error};
use crate::contracts::{AnalyticsError, RandomPickDto, RandomPickQuery};
use crate::domain::count;
use crate::domain::random_pick::{
    candidates, choose, remaining_episodes, repeat_message, Candidates, PickFilters, Show,
};
use crate::infrastructure::random_picks_repo::{self, Remembered};

impl Analytics {
    /// One backlog show for tonight, chosen uniformly among those matching the filters that
    /// no current member dropped, never the space's previous pick while there is another
    /// candidate (the pick is remembered per space). Without candidates, no pick and a
    /// message saying why.
    ///
    /// # Errors
    /// `InvalidFilters` with a message per invalid filter; `SpaceNotFound` when there is no
    /// such space or `actor` is not a member; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space))]
    pub async fn random_pick(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        query: RandomPickQuery,
    ) -> Result<RandomPickDto, AnalyticsError> {
        self.random_pick_inner(actor, space, query)
            .await
            .map_err(Error::into_public)
    }

    async fn random_pick_inner(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        query: RandomPickQuery,
    ) -> Result<RandomPickDto, Error> {
        let anime = self.tracked_anime(actor, space).await?;
        let filters = PickFilters::parse(&query).map_err(AnalyticsError::InvalidFilters)?;
        let media = self
            .cached_media(
                anime
                    .iter()
                    .filter(|anime| anime.shared_status == WatchStatus::Backlog),
            )
            .await?;
        let shows: Vec<Show<'_>> = anime
            .iter()
            .map(|anime| Show {
                id: anime.id,
                in_backlog: anime.shared_status == WatchStatus::Backlog,
                dropped_by_a_member: current_members(anime)
                    .any(|entry| entry.individual_status == WatchStatus::Dropped),
                genres: media.genres(anime),
                remaining_episodes: remaining_episodes(
                    anime.episode_count_snapshot,
                    anime.shared_episodes_watched,
                ),
                minutes_per_episode: media.minutes_per_episode(anime),
                mood: anime.mood.as_deref(),
            })
            .collect();

        let found = candidates(&shows, &filters);
        let Candidates::Found(ids) = &found else {
            return Ok(RandomPickDto {
                watch_space_id: space,
                pick: None,
                candidates: 0,
                genres: Vec::new(),
                remaining_minutes: None,
                message: found.message(&filters),
            });
        };
        let previous = random_picks_repo::last_pick(&self.db, space).await?;
        let choice = choose(ids, previous, &mut rand::thread_rng())
            .ok_or_else(|| anyhow!("the random pick had candidates but chose none"))?;
        let (Some(show), Some(picked)) = (
            shows.iter().find(|show| show.id == choice.pick),
            anime.iter().find(|anime| anime.id == choice.pick),
        ) else {
            return Err(anyhow!("the random pick chose a show it was not given").into());
        };
        let remembered =
            random_picks_repo::remember(&self.db, space, choice.pick, self.clock.now()).await?;
        if remembered == Remembered::Gone {
            // Removed a moment ago: the pick is still a fair answer to what was asked.
            tracing::info!(anime_id = %choice.pick, "the picked show was removed meanwhile");
        }
        Ok(RandomPickDto {
            watch_space_id: space,
            pick: Some(picked.clone()),
            candidates: count(ids.len()),
            genres: show.genres.map(<[String]>::to_vec).unwrap_or_default(),
            remaining_minutes: show
                .remaining_minutes()
                .map(|minutes| u32::try_from(minutes).unwrap_or(u32::MAX)),
            message: choice
                .repeated
                .then(|| repeat_message(picked.display_title())),
        })
    }
}
