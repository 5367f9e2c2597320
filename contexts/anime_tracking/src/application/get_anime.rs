use identity::contracts::UserId;
use watch_spaces::contracts::WatchSpaceId;

use anilist_sync::contracts::AniListMediaId;

use super::{AnimeTracking, Error};
use crate::contracts::{AnimeTrackingError, WatchSpaceAnimeDetailsDto, WatchSpaceAnimeId};
use crate::infrastructure::anime_repo::Lock;
use crate::infrastructure::sessions_repo;

impl AnimeTracking {
    /// One anime with every member's entry and its watch sessions, newest first.
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
        let anime = self.anime(&self.db, space, id, Lock::None).await?;
        let sessions = sessions_repo::list(&self.db, id).await?;
        Ok(WatchSpaceAnimeDetailsDto {
            anime: self.anime_dto(&members, &anime).await?,
            sessions: self.session_dtos(&members, &sessions).await?,
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
