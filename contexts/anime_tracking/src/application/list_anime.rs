use identity::contracts::UserId;
use watch_spaces::contracts::{MemberDto, WatchSpaceId};

use super::{anime_dto, former_members, AnimeTracking, Error};
use crate::contracts::{AnimeListQuery, AnimeSort, AnimeTrackingError, WatchSpaceAnimeDto};
use crate::infrastructure::anime_repo;

impl AnimeTracking {
    /// The space's anime with every member's entry, filtered by shared status and sorted as
    /// asked. A fixed number of queries, however many anime.
    ///
    /// # Errors
    /// `SpaceNotFound` when there is no such space or `actor` is not a member; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space))]
    pub async fn list_anime(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        query: AnimeListQuery,
    ) -> Result<Vec<WatchSpaceAnimeDto>, AnimeTrackingError> {
        self.list_anime_inner(actor, space, query)
            .await
            .map_err(Error::into_public)
    }

    async fn list_anime_inner(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        query: AnimeListQuery,
    ) -> Result<Vec<WatchSpaceAnimeDto>, Error> {
        let members = self.members(actor, space).await?;
        self.list_anime_of(&members, space, query).await
    }

    /// The list, for a caller that has already checked membership and read the members.
    pub(super) async fn list_anime_of(
        &self,
        members: &[MemberDto],
        space: WatchSpaceId,
        query: AnimeListQuery,
    ) -> Result<Vec<WatchSpaceAnimeDto>, Error> {
        let anime = anime_repo::list(&self.db, space, &query.statuses).await?;
        let names = self.names(members, former_members(members, &anime)).await?;
        let mut list: Vec<WatchSpaceAnimeDto> = anime
            .iter()
            .map(|anime| anime_dto(anime, members, &names))
            .collect();
        match query.sort {
            AnimeSort::RecentlyUpdated => {
                list.sort_by(|a, b| {
                    b.updated_at_utc
                        .cmp(&a.updated_at_utc)
                        .then(a.id.cmp(&b.id))
                });
            }
            AnimeSort::Title => {
                list.sort_by_cached_key(|anime| (anime.display_title().to_lowercase(), anime.id))
            }
            AnimeSort::AddedDate => {
                list.sort_by(|a, b| b.added_at_utc.cmp(&a.added_at_utc).then(a.id.cmp(&b.id)));
            }
        }
        Ok(list)
    }
}
