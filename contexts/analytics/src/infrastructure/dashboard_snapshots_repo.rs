//! Each space's last computed dashboard (`analytics.dashboard_snapshots`, one row per space),
//! stored with the fingerprint of everything it was computed from.

use kernel::db::violated_constraint;
use sea_orm::sea_query::OnConflict;
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};
use time::OffsetDateTime;
use watch_spaces::contracts::WatchSpaceId;

use super::entities::dashboard_snapshots::{self, Column, Entity};

/// The foreign key to the space.
const SPACE_FKEY: &str = "dashboard_snapshots_space_fkey";

/// The stored payload, only when it was computed for exactly this fingerprint.
pub async fn find(
    db: &impl ConnectionTrait,
    space: WatchSpaceId,
    fingerprint: &str,
) -> Result<Option<serde_json::Value>, DbErr> {
    Entity::find_by_id(space.0)
        .filter(Column::Fingerprint.eq(fingerprint))
        .select_only()
        .column(Column::Payload)
        .into_tuple::<serde_json::Value>()
        .one(db)
        .await
}

/// Replaces the space's snapshot. Two readers computing side by side both store a correct
/// payload for their own fingerprint: the last one wins. A space deleted meanwhile has
/// nothing left to keep.
pub async fn save(
    db: &impl ConnectionTrait,
    space: WatchSpaceId,
    fingerprint: String,
    payload: serde_json::Value,
    at: OffsetDateTime,
) -> Result<(), DbErr> {
    let row = dashboard_snapshots::ActiveModel {
        watch_space_id: Set(space.0),
        fingerprint: Set(fingerprint),
        payload: Set(payload),
        computed_at_utc: Set(at),
    };
    let saved = Entity::insert(row)
        .on_conflict(
            OnConflict::column(Column::WatchSpaceId)
                .update_columns([Column::Fingerprint, Column::Payload, Column::ComputedAtUtc])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await;
    match saved {
        Ok(_) => Ok(()),
        Err(error) if violated_constraint(&error) == Some(SPACE_FKEY) => Ok(()),
        Err(error) => Err(error),
    }
}
