//! Analytics' use cases behind one facade, `Analytics`, one file per use case. Reads go
//! through AnimeTracking's facade (which checks membership, so the same rules apply) and
//! AniListSync's cached media (genres, episode lengths); each use case loads what it needs
//! once, in a fixed number of queries, and hands it to the pure formulas in `domain`. The only
//! writes are to Analytics' own tables: the space's latest random pick, and the dashboard's
//! snapshot (served again while nothing it was computed from changed). Internal failures become
//! `AnalyticsError::Internal`, logged here with their cause.

mod compatibility;
mod dashboard;
mod random_pick;
mod rating_gaps;
mod shared_stats;
mod space_analytics;
mod subscriber;

use std::collections::HashMap;
use std::sync::Arc;

use anilist_sync::contracts::{AniListMediaId, MediaDto};
use anilist_sync::AniListSync;
use anime_tracking::contracts::{
    AnimeSort, AnimeTrackingError, ParticipantEntryDto, WatchSessionDto, WatchSpaceAnimeDto,
};
use anime_tracking::AnimeTracking;
use identity::contracts::UserId;
use identity::Identity;
use kernel::Clock;
use sea_orm::{DatabaseConnection, DbErr};
use watch_spaces::contracts::WatchSpaceId;
use watch_spaces::WatchSpaces;

use self::dashboard::HeldPayloads;
pub use self::subscriber::Subscriber;

use crate::contracts::{AnalyticsError, MemberRefDto};

/// The Analytics facade: compatibility, rating gaps, shared stats, the dashboard and the
/// random pick.
#[derive(Clone)]
pub struct Analytics {
    db: DatabaseConnection,
    watch_spaces: WatchSpaces,
    anime_tracking: AnimeTracking,
    anilist: AniListSync,
    identity: Identity,
    clock: Arc<dyn Clock>,
    held: Arc<HeldPayloads>,
}

impl std::fmt::Debug for Analytics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analytics")
            .field("clock", &self.clock)
            .finish_non_exhaustive()
    }
}

impl Analytics {
    /// Builds the facade on the shared pool (for Analytics' own tables), WatchSpaces' facade
    /// (who may read a dashboard snapshot), AnimeTracking's (tracked anime and sessions),
    /// AniListSync's (cached metadata), Identity's (current names of the people a snapshot
    /// shows) and the clock. The other contexts must publish their events to [`Subscriber`].
    pub fn new(
        db: DatabaseConnection,
        watch_spaces: WatchSpaces,
        anime_tracking: AnimeTracking,
        anilist: AniListSync,
        identity: Identity,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            db,
            watch_spaces,
            anime_tracking,
            anilist,
            identity,
            clock,
            held: Arc::default(),
        }
    }

    /// Every anime the space tracks, most recently updated first (one AnimeTracking call,
    /// which checks membership).
    async fn tracked_anime(
        &self,
        actor: UserId,
        space: WatchSpaceId,
    ) -> Result<Vec<WatchSpaceAnimeDto>, Error> {
        self.anime_tracking
            .all_anime(actor, space, AnimeSort::default())
            .await
            .map_err(tracking_failure("listing the space's anime"))
    }

    /// Every session of the space, newest first (one AnimeTracking call).
    async fn space_sessions(
        &self,
        actor: UserId,
        space: WatchSpaceId,
    ) -> Result<Vec<WatchSessionDto>, Error> {
        self.anime_tracking
            .list_space_sessions(actor, space)
            .await
            .map_err(tracking_failure("listing the space's sessions"))
    }

    /// The anime and the sessions, loaded side by side.
    async fn anime_and_sessions(
        &self,
        actor: UserId,
        space: WatchSpaceId,
    ) -> Result<(Vec<WatchSpaceAnimeDto>, Vec<WatchSessionDto>), Error> {
        tokio::try_join!(
            self.tracked_anime(actor, space),
            self.space_sessions(actor, space)
        )
    }

    /// What AniListSync has cached about these anime (one query; none without anime).
    async fn cached_media<'a>(
        &self,
        anime: impl IntoIterator<Item = &'a WatchSpaceAnimeDto>,
    ) -> Result<Media, Error> {
        let mut ids: Vec<AniListMediaId> = anime
            .into_iter()
            .map(|anime| anime.anilist_media_id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let media = self.anilist.cached_media(&ids).await.map_err(|error| {
            Error::Internal(anyhow::Error::new(error).context("reading cached AniList media"))
        })?;
        Ok(Media(
            media
                .into_iter()
                .map(|media| (media.anilist_media_id, media))
                .collect(),
        ))
    }
}

/// AniList's cached metadata by media id.
struct Media(HashMap<AniListMediaId, MediaDto>);

impl Media {
    fn of(&self, anime: &WatchSpaceAnimeDto) -> Option<&MediaDto> {
        self.0.get(&anime.anilist_media_id)
    }

    /// AniList's genres of the anime; `None` while not cached.
    fn genres(&self, anime: &WatchSpaceAnimeDto) -> Option<&[String]> {
        self.of(anime).map(|media| media.genres.as_slice())
    }

    /// Minutes per episode, when AniList knows a positive length.
    fn minutes_per_episode(&self, anime: &WatchSpaceAnimeDto) -> Option<u32> {
        self.of(anime)
            .and_then(|media| media.duration_minutes)
            .and_then(|minutes| u32::try_from(minutes).ok())
            .filter(|minutes| *minutes > 0)
    }
}

/// Who is in the space now (former members' entries are kept but not analysed).
fn current_members(anime: &WatchSpaceAnimeDto) -> impl Iterator<Item = &ParticipantEntryDto> {
    anime
        .participants
        .iter()
        .filter(|entry| entry.current_member)
}

fn member_ref(entry: &ParticipantEntryDto) -> MemberRefDto {
    MemberRefDto {
        user_id: entry.user_id,
        display_name: entry.display_name.clone(),
    }
}

/// What can go wrong inside Analytics, with enough context for the logs.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    #[error(transparent)]
    Public(#[from] AnalyticsError),
    #[error("database: {0}")]
    Db(#[from] DbErr),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl Error {
    fn into_public(self) -> AnalyticsError {
        match self {
            Self::Public(error) => error,
            Self::Db(error) if kernel::db::is_unreachable(&error) => {
                tracing::warn!(%error, "PostgreSQL unreachable");
                AnalyticsError::DatabaseUnavailable
            }
            internal => {
                tracing::error!(error = ?internal, "analytics internal error");
                AnalyticsError::Internal
            }
        }
    }
}

/// AnimeTracking is asked only for a member's view: "not a member" is ours to say too,
/// anything else is internal.
fn tracking_failure(context: &'static str) -> impl FnOnce(AnimeTrackingError) -> Error {
    move |error| match error {
        AnimeTrackingError::SpaceNotFound => AnalyticsError::SpaceNotFound.into(),
        other => Error::Internal(anyhow::Error::new(other).context(context)),
    }
}
