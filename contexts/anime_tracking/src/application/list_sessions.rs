use identity::contracts::UserId;
use kernel::paging::{
    instant_part, into_page, parse_instant_part, PageCursor, PageLimit, UNKNOWN_CURSOR,
};
use uuid::Uuid;
use watch_spaces::contracts::WatchSpaceId;

use super::{AnimeTracking, Error};
use crate::contracts::{
    AnimeTrackingError, WatchSessionDto, WatchSessionPageDto, WatchSpaceAnimeId,
};
use crate::infrastructure::anime_repo::Lock;
use crate::infrastructure::sessions_repo::{self, SessionKey};

/// The tag of this list's cursors.
const SESSIONS: &str = "sessions";

impl AnimeTracking {
    /// One page of the anime's watch sessions with their attendees, newest first.
    ///
    /// # Errors
    /// `SpaceNotFound` when there is no such space or `actor` is not a member;
    /// `AnimeNotFound`; `Validation` for a cursor this list did not give out; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space, anime_id = %anime))]
    pub async fn list_sessions(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        anime: WatchSpaceAnimeId,
        limit: PageLimit,
        after: Option<PageCursor>,
    ) -> Result<WatchSessionPageDto, AnimeTrackingError> {
        self.list_sessions_inner(actor, space, anime, limit, after)
            .await
            .map_err(Error::into_public)
    }

    async fn list_sessions_inner(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        id: WatchSpaceAnimeId,
        limit: PageLimit,
        after: Option<PageCursor>,
    ) -> Result<WatchSessionPageDto, Error> {
        let after = after.as_ref().map(key_of).transpose()?;
        let members = self.members(actor, space).await?;
        self.anime(&self.db, space, id, Lock::None).await?;
        let sessions = sessions_repo::list(&self.db, id, Some(limit.probe()), after).await?;
        let sessions = self.session_dtos(&members, &sessions).await?;
        let (items, next_cursor) = into_page(sessions, limit, cursor_after);
        Ok(WatchSessionPageDto { items, next_cursor })
    }
}

fn cursor_after(session: &WatchSessionDto) -> PageCursor {
    PageCursor::from_parts(&[
        SESSIONS,
        &instant_part(session.session_date_utc),
        &instant_part(session.created_at_utc),
        &session.id.0.to_string(),
    ])
}

fn key_of(cursor: &PageCursor) -> Result<SessionKey, AnimeTrackingError> {
    let unknown = || AnimeTrackingError::field("cursor", UNKNOWN_CURSOR);
    let [date, created, id] = cursor.fields(SESSIONS).ok_or_else(unknown)?;
    Ok(SessionKey {
        session_date: parse_instant_part(&date).ok_or_else(unknown)?,
        created_at: parse_instant_part(&created).ok_or_else(unknown)?,
        id: Uuid::parse_str(&id).map_err(|_| unknown())?,
    })
}
