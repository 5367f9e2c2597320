use identity::contracts::UserId;
use kernel::paging::{instant_part, into_page, parse_instant_part, PageCursor, UNKNOWN_CURSOR};
use uuid::Uuid;
use watch_spaces::contracts::{MemberDto, WatchSpaceId};

use super::{anime_dto, former_members, AnimeTracking, Error};
use crate::contracts::{
    AnimeListQuery, AnimePageDto, AnimeSort, AnimeTrackingError, WatchSpaceAnimeDto,
};
use crate::infrastructure::anime_repo::{self, AnimeKey, Window};

impl AnimeTracking {
    /// One page of the space's anime with every member's entry, filtered by shared status and
    /// sorted as asked, with the space's totals by status. A fixed number of queries, however
    /// many anime.
    ///
    /// # Errors
    /// `SpaceNotFound` when there is no such space or `actor` is not a member; `Validation`
    /// for a cursor this list did not give out (or gave out for another order); `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space))]
    pub async fn list_anime(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        query: AnimeListQuery,
    ) -> Result<AnimePageDto, AnimeTrackingError> {
        self.list_anime_inner(actor, space, query)
            .await
            .map_err(Error::into_public)
    }

    async fn list_anime_inner(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        query: AnimeListQuery,
    ) -> Result<AnimePageDto, Error> {
        let after = query
            .after
            .as_ref()
            .map(|cursor| key_of(cursor, query.sort))
            .transpose()?;
        let members = self.members(actor, space).await?;
        let window = Window {
            rows: Some(query.limit.probe()),
            after,
        };
        let anime = self.anime_of(&members, space, &query, window).await?;
        let totals = anime_repo::status_totals(&self.db, space).await?;
        let (items, next_cursor) =
            into_page(anime, query.limit, |last| cursor_after(last, query.sort));
        Ok(AnimePageDto {
            items,
            next_cursor,
            totals,
        })
    }

    /// Every anime of the space in `sort` order: what analytics reckons with. A space's anime
    /// are capped, so this is bounded.
    ///
    /// # Errors
    /// `SpaceNotFound` when there is no such space or `actor` is not a member; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space))]
    pub async fn all_anime(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        sort: AnimeSort,
    ) -> Result<Vec<WatchSpaceAnimeDto>, AnimeTrackingError> {
        async {
            let members = self.members(actor, space).await?;
            self.all_anime_of(&members, space, sort).await
        }
        .await
        .map_err(Error::into_public)
    }

    /// The whole list, for a caller that has already checked membership and read the members.
    pub(super) async fn all_anime_of(
        &self,
        members: &[MemberDto],
        space: WatchSpaceId,
        sort: AnimeSort,
    ) -> Result<Vec<WatchSpaceAnimeDto>, Error> {
        let query = AnimeListQuery {
            sort,
            ..AnimeListQuery::default()
        };
        self.anime_of(members, space, &query, Window::default())
            .await
    }

    async fn anime_of(
        &self,
        members: &[MemberDto],
        space: WatchSpaceId,
        query: &AnimeListQuery,
        window: Window,
    ) -> Result<Vec<WatchSpaceAnimeDto>, Error> {
        let anime = anime_repo::list(&self.db, space, &query.statuses, query.sort, window).await?;
        let names = self.names(members, former_members(members, &anime)).await?;
        Ok(anime
            .iter()
            .map(|anime| anime_dto(anime, members, &names))
            .collect())
    }
}

fn cursor_after(anime: &WatchSpaceAnimeDto, sort: AnimeSort) -> PageCursor {
    let id = anime.id.0.to_string();
    match sort {
        AnimeSort::RecentlyUpdated => {
            PageCursor::from_parts(&[sort.as_str(), &instant_part(anime.updated_at_utc), &id])
        }
        AnimeSort::AddedDate => {
            PageCursor::from_parts(&[sort.as_str(), &instant_part(anime.added_at_utc), &id])
        }
        AnimeSort::Title => PageCursor::from_parts(&[
            sort.as_str(),
            &anime.display_title().to_ascii_lowercase(),
            &id,
        ]),
    }
}

fn key_of(cursor: &PageCursor, sort: AnimeSort) -> Result<AnimeKey, AnimeTrackingError> {
    let unknown = || AnimeTrackingError::field("cursor", UNKNOWN_CURSOR);
    let [key, id] = cursor.fields(sort.as_str()).ok_or_else(unknown)?;
    let id = Uuid::parse_str(&id).map_err(|_| unknown())?;
    let instant = || parse_instant_part(&key).ok_or_else(unknown);
    Ok(match sort {
        AnimeSort::RecentlyUpdated => AnimeKey::RecentlyUpdated(instant()?, id),
        AnimeSort::AddedDate => AnimeKey::AddedDate(instant()?, id),
        AnimeSort::Title => AnimeKey::Title(key, id),
    })
}
