use identity::contracts::UserId;
use watch_spaces::contracts::{Role, WatchSpaceId};

use anilist_sync::contracts::{AniListMediaId, AskedBy};

use super::{AnimeTracking, Error};
use crate::contracts::{AnimeTrackingError, WatchSpaceAnimeDetailsDto, WatchSpaceAnimeId};
use crate::domain::anime::MediaSnapshot;
use crate::infrastructure::anime_repo::Lock;
use crate::infrastructure::sessions_repo;

impl AnimeTracking {
    /// One anime with every member's entry and its watch sessions, newest first, AniList's
    /// metadata (left out when AniList and its cache cannot answer: that never fails the
    /// page), and whether `actor` may remove it. When AniList now reports another episode
    /// count than the snapshot, the snapshot is refreshed first, so "needs attention" is up
    /// to date.
    ///
    /// # Errors
    /// `SpaceNotFound` when there is no such space or `actor` is not a member;
    /// `AnimeNotFound`; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space, anime_id = %anime))]
    pub async fn get_anime(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        anime: WatchSpaceAnimeId,
    ) -> Result<WatchSpaceAnimeDetailsDto, AnimeTrackingError> {
        self.get_anime_inner(actor, space, anime)
            .await
            .map_err(Error::into_public)
    }

    async fn get_anime_inner(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        id: WatchSpaceAnimeId,
    ) -> Result<WatchSpaceAnimeDetailsDto, Error> {
        let members = self.members(actor, space).await?;
        let mut anime = self.anime(&self.db, space, id, Lock::None).await?;
        let media = match self
            .catalog
            .media(AskedBy::Member(actor), anime.media.anilist_media_id)
            .await
        {
            Ok(media) => Some(media),
            Err(error) => {
                tracing::warn!(%error, media_id = %anime.media.anilist_media_id, "AniList details unavailable");
                None
            }
        };
        if let Some(media) = media
            .as_ref()
            .filter(|media| MediaSnapshot::from(*media).episode_count != anime.media.episode_count)
        {
            self.sync_media_snapshot_inner(media).await?;
            anime = self.anime(&self.db, space, id, Lock::None).await?;
        }
        let role = members
            .iter()
            .find(|member| member.user_id == actor)
            .map_or(Role::Member, |member| member.role);
        let sessions = sessions_repo::list(&self.db, id, None, None).await?;
        Ok(WatchSpaceAnimeDetailsDto {
            can_remove: anime.ensure_removable_by(actor, role).is_ok(),
            anime: self.anime_dto(&members, &anime).await?,
            sessions: self.session_dtos(&members, &sessions).await?,
            media,
        })
    }

    /// Which AniList anime the space's anime is, for a member (what other contexts key on).
    ///
    /// # Errors
    /// `SpaceNotFound` when there is no such space or `actor` is not a member;
    /// `AnimeNotFound`; `Internal`.
    pub async fn tracked_media(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        anime: WatchSpaceAnimeId,
    ) -> Result<AniListMediaId, AnimeTrackingError> {
        async {
            self.role(actor, space).await?;
            let anime = self.anime(&self.db, space, anime, Lock::None).await?;
            Ok(anime.media.anilist_media_id)
        }
        .await
        .map_err(Error::into_public)
    }
}
