//! Each space's latest random pick (`analytics.random_picks`, one row per space).

use anime_tracking::contracts::WatchSpaceAnimeId;
use kernel::db::violated_constraint;
use sea_orm::sea_query::OnConflict;
use sea_orm::ActiveValue::Set;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};
use time::OffsetDateTime;
use watch_spaces::contracts::WatchSpaceId;

use super::entities::random_picks;

/// The foreign key to the picked show (`ON DELETE CASCADE`).
const LAST_PICK_FKEY: &str = "random_picks_last_pick_fkey";
/// The foreign key to the space.
const SPACE_FKEY: &str = "random_picks_space_fkey";

/// How remembering a pick went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remembered {
    Saved,
    /// The show or the space was removed since it was read: there is nothing to remember.
    Gone,
}

/// The space's previous pick, if any (removing the show forgets it).
pub async fn last_pick(
    db: &impl ConnectionTrait,
    space: WatchSpaceId,
) -> Result<Option<WatchSpaceAnimeId>, DbErr> {
    Ok(random_picks::Entity::find_by_id(space.0)
        .one(db)
        .await?
        .map(|row| WatchSpaceAnimeId(row.last_pick_watch_space_anime_id)))
}

/// Makes `pick` the space's previous pick.
pub async fn remember(
    db: &impl ConnectionTrait,
    space: WatchSpaceId,
    pick: WatchSpaceAnimeId,
    at: OffsetDateTime,
) -> Result<Remembered, DbErr> {
    let row = random_picks::ActiveModel {
        watch_space_id: Set(space.0),
        last_pick_watch_space_anime_id: Set(pick.0),
        picked_at_utc: Set(at),
    };
    let saved = random_picks::Entity::insert(row)
        .on_conflict(
            OnConflict::column(random_picks::Column::WatchSpaceId)
                .update_columns([
                    random_picks::Column::LastPickWatchSpaceAnimeId,
                    random_picks::Column::PickedAtUtc,
                ])
                .to_owned(),
        )
        .exec(db)
        .await;
    match saved {
        Ok(_) => Ok(Remembered::Saved),
        Err(error)
            if matches!(
                violated_constraint(&error),
                Some(LAST_PICK_FKEY | SPACE_FKEY)
            ) =>
        {
            Ok(Remembered::Gone)
        }
        Err(error) => Err(error),
    }
}
