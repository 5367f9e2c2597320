use identity::contracts::UserId;
use kernel::paging::{
    instant_part, into_page, parse_instant_part, PageCursor, PageLimit, UNKNOWN_CURSOR,
};
use uuid::Uuid;

use super::{Error, WatchSpaces};
use crate::contracts::{WatchSpacePageDto, WatchSpaceSummaryDto, WatchSpacesError};
use crate::infrastructure::spaces_repo::{self, SpaceKey};

/// The tag of this list's cursors.
const MY_SPACES: &str = "mySpaces";

impl WatchSpaces {
    /// One page of the spaces `actor` belongs to, with their role and member counts, sorted by
    /// name: one query.
    ///
    /// # Errors
    /// `Validation` for a cursor this list did not give out; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor))]
    pub async fn list_my_spaces(
        &self,
        actor: UserId,
        limit: PageLimit,
        after: Option<PageCursor>,
    ) -> Result<WatchSpacePageDto, WatchSpacesError> {
        async {
            let after = after.as_ref().map(key_of).transpose()?;
            let spaces =
                spaces_repo::summaries_for_member(&self.db, actor, limit.probe(), after).await?;
            let (items, next_cursor) = into_page(spaces, limit, cursor_after);
            Ok::<_, Error>(WatchSpacePageDto { items, next_cursor })
        }
        .await
        .map_err(Error::into_public)
    }
}

fn cursor_after(space: &WatchSpaceSummaryDto) -> PageCursor {
    PageCursor::from_parts(&[
        MY_SPACES,
        &space.name.to_ascii_lowercase(),
        &instant_part(space.created_at_utc),
        &space.id.0.to_string(),
    ])
}

fn key_of(cursor: &PageCursor) -> Result<SpaceKey, WatchSpacesError> {
    let unknown = || WatchSpacesError::field("cursor", UNKNOWN_CURSOR);
    let [name, created, id] = cursor.fields(MY_SPACES).ok_or_else(unknown)?;
    Ok(SpaceKey {
        name,
        created_at: parse_instant_part(&created).ok_or_else(unknown)?,
        id: Uuid::parse_str(&id).map_err(|_| unknown())?,
    })
}
