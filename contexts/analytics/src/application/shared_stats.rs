use std::collections::HashMap;

use anime_tracking::contracts::{
    WatchSessionDto, WatchSpaceAnimeDto, WatchSpaceAnimeId, WatchStatus,
};
use identity::contracts::UserId;
use time::OffsetDateTime;
use watch_spaces::contracts::WatchSpaceId;

use super::{Analytics, Error, Media};
use crate::contracts::{AnalyticsError, GenreShareDto, MonthlySessionsDto, SharedStatsDto};
use crate::domain::count;
use crate::domain::shared_stats::{
    completion_rate, episodes_per_show, genre_mix, hours_together, sessions_per_month,
    weekly_streak, Session,
};

impl Analytics {
    /// What the space watched together and how its shows are going: shows by shared status,
    /// episodes and hours watched together, sessions per month, the weekly streak, the
    /// completion rate and the genre mix. Three reads however big the space is: its anime,
    /// its sessions, and AniList's cached metadata of its anime.
    ///
    /// # Errors
    /// `SpaceNotFound` when there is no such space or `actor` is not a member; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space))]
    pub async fn shared_stats(
        &self,
        actor: UserId,
        space: WatchSpaceId,
    ) -> Result<SharedStatsDto, AnalyticsError> {
        self.shared_stats_inner(actor, space)
            .await
            .map_err(Error::into_public)
    }

    async fn shared_stats_inner(
        &self,
        actor: UserId,
        space: WatchSpaceId,
    ) -> Result<SharedStatsDto, Error> {
        let (anime, sessions) = self.anime_and_sessions(actor, space).await?;
        let media = self.cached_media(&anime).await?;
        Ok(shared_stats_of(&anime, &sessions, &media, self.clock.now()))
    }
}

/// The stats over already loaded data. Sessions of anime not in `anime` (added between the
/// two reads) are left out, so every figure describes the same shows.
pub(super) fn shared_stats_of(
    anime: &[WatchSpaceAnimeDto],
    sessions: &[WatchSessionDto],
    media: &Media,
    now: OffsetDateTime,
) -> SharedStatsDto {
    let by_id: HashMap<WatchSpaceAnimeId, &WatchSpaceAnimeDto> =
        anime.iter().map(|anime| (anime.id, anime)).collect();
    let sessions: Vec<Session> = sessions
        .iter()
        .filter(|session| by_id.contains_key(&session.watch_space_anime_id))
        .map(|session| Session {
            show: session.watch_space_anime_id,
            date: session.session_date_utc,
            episodes: (session.start_episode, session.end_episode),
        })
        .collect();

    let per_show = episodes_per_show(&sessions);
    let hours = hours_together(per_show.iter().map(|(show, episodes)| {
        let minutes = by_id
            .get(show)
            .and_then(|anime| media.minutes_per_episode(anime));
        (*episodes, minutes)
    }));
    let with_status =
        |status: WatchStatus| count(anime.iter().filter(|a| a.shared_status == status).count());
    let total_shows = count(anime.len());
    let (backlog, finished) = (
        with_status(WatchStatus::Backlog),
        with_status(WatchStatus::Finished),
    );
    let genres = genre_mix(anime.iter().map(|anime| media.genres(anime)));

    SharedStatsDto {
        total_shows,
        currently_watching: with_status(WatchStatus::Watching),
        backlog,
        finished,
        paused: with_status(WatchStatus::Paused),
        dropped: with_status(WatchStatus::Dropped),
        episodes_watched_together: per_show
            .values()
            .fold(0u32, |total, episodes| total.saturating_add(*episodes)),
        hours_together: hours.hours,
        episodes_without_duration: hours.episodes_without_duration,
        total_sessions: count(sessions.len()),
        sessions_per_month: sessions_per_month(&sessions, now)
            .into_iter()
            .map(|month| MonthlySessionsDto {
                month: month.label(),
                sessions: month.sessions,
                episodes: month.episodes,
            })
            .collect(),
        current_weekly_streak: weekly_streak(sessions.iter().map(|session| session.date), now),
        completion_rate: completion_rate(total_shows, backlog, finished),
        genre_mix: genres
            .shares
            .into_iter()
            .map(|share| GenreShareDto {
                genre: share.genre,
                shows: share.shows,
                share: share.share,
            })
            .collect(),
        shows_without_genres: genres.shows_without_genres,
    }
}
