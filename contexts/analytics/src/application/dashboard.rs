use std::collections::HashMap;

use anime_tracking::contracts::{WatchSpaceAnimeDto, WatchSpaceAnimeId, WatchStatus};
use identity::contracts::UserId;
use watch_spaces::contracts::WatchSpaceId;

use super::compatibility::compatibility_of;
use super::rating_gaps::rating_gaps_of;
use super::shared_stats::shared_stats_of;
use super::{Analytics, Error};
use crate::contracts::{AnalyticsError, DashboardDto, RecentSessionDto};

/// How many shows the dashboard lists as currently watching, and as backlog highlights.
const SHOWS_LISTED: usize = 6;
/// How many recent sessions the dashboard lists.
const RECENT_SESSIONS: usize = 5;

impl Analytics {
    /// The dashboard: the shared stats, compatibility, what the space is watching, backlog
    /// highlights, rating gap highlights and the latest sessions, all from one read of the
    /// space's anime, one of its sessions and one of AniList's cached metadata, so the number
    /// of SQL statements does not grow with the space. It reads only: no random pick here.
    ///
    /// # Errors
    /// `SpaceNotFound` when there is no such space or `actor` is not a member; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space))]
    pub async fn dashboard(
        &self,
        actor: UserId,
        space: WatchSpaceId,
    ) -> Result<DashboardDto, AnalyticsError> {
        self.dashboard_inner(actor, space)
            .await
            .map_err(Error::into_public)
    }

    async fn dashboard_inner(
        &self,
        actor: UserId,
        space: WatchSpaceId,
    ) -> Result<DashboardDto, Error> {
        let (anime, sessions) = self.anime_and_sessions(actor, space).await?;
        let media = self.cached_media(&anime).await?;
        let stats = shared_stats_of(&anime, &sessions, &media, self.clock.now());
        let gaps = rating_gaps_of(space, &anime);

        // `anime` comes most recently updated first.
        let currently_watching: Vec<WatchSpaceAnimeDto> = anime
            .iter()
            .filter(|anime| anime.shared_status == WatchStatus::Watching)
            .take(SHOWS_LISTED)
            .cloned()
            .collect();
        let mut backlog: Vec<&WatchSpaceAnimeDto> = anime
            .iter()
            .filter(|anime| anime.shared_status == WatchStatus::Backlog)
            .collect();
        backlog.sort_by(|a, b| b.added_at_utc.cmp(&a.added_at_utc).then(a.id.cmp(&b.id)));
        let backlog_highlights = backlog.into_iter().take(SHOWS_LISTED).cloned().collect();

        let by_id: HashMap<WatchSpaceAnimeId, &WatchSpaceAnimeDto> =
            anime.iter().map(|anime| (anime.id, anime)).collect();
        let recent_sessions = sessions
            .into_iter()
            .filter_map(|session| {
                let anime = by_id.get(&session.watch_space_anime_id)?;
                Some(RecentSessionDto {
                    watch_space_anime_id: anime.id,
                    title: anime.display_title().to_owned(),
                    cover_image_url: anime.cover_image_url_snapshot.clone(),
                    session,
                })
            })
            .take(RECENT_SESSIONS)
            .collect();

        Ok(DashboardDto {
            watch_space_id: space,
            stats,
            compatibility: compatibility_of(space, &anime),
            currently_watching,
            backlog_highlights,
            rating_gap_highlights: gaps.biggest_gaps,
            most_aligned: gaps.most_aligned,
            recent_sessions,
        })
    }
}
