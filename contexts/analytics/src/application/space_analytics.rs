use identity::contracts::UserId;
use watch_spaces::contracts::WatchSpaceId;

use super::compatibility::compatibility_of;
use super::rating_gaps::rating_gaps_of;
use super::shared_stats::shared_stats_of;
use super::{Analytics, Error};
use crate::contracts::{AnalyticsError, SpaceAnalyticsDto};

impl Analytics {
    /// Compatibility, every rating gap and the shared stats together, from one read of the
    /// space's anime, sessions and cached media: what the analytics page shows.
    ///
    /// # Errors
    /// `SpaceNotFound` when there is no such space or `actor` is not a member; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space))]
    pub async fn space_analytics(
        &self,
        actor: UserId,
        space: WatchSpaceId,
    ) -> Result<SpaceAnalyticsDto, AnalyticsError> {
        self.space_analytics_inner(actor, space)
            .await
            .map_err(Error::into_public)
    }

    async fn space_analytics_inner(
        &self,
        actor: UserId,
        space: WatchSpaceId,
    ) -> Result<SpaceAnalyticsDto, Error> {
        let (anime, sessions) = self.anime_and_sessions(actor, space).await?;
        let media = self.cached_media(&anime).await?;
        Ok(SpaceAnalyticsDto {
            compatibility: compatibility_of(space, &anime),
            rating_gaps: rating_gaps_of(space, &anime),
            stats: shared_stats_of(&anime, &sessions, &media, self.clock.now()),
        })
    }
}
