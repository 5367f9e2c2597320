//! Each space's last computed dashboard (`analytics.dashboard_snapshots`, one row per space):
//! the JSON served, the fingerprint of the space state it was computed from, and what a
//! reader needs to tell cheaply whether it still holds (the AniList media it used with the
//! metadata generation of that moment, and the former members it names).

use anilist_sync::contracts::{AniListMediaId, MetadataGeneration};
use anyhow::{anyhow, Context as _};
use identity::contracts::UserId;
use kernel::db::violated_constraint;
use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement, Value};
use time::OffsetDateTime;
use watch_spaces::contracts::WatchSpaceId;

use crate::application::Error;

/// The foreign key to the space.
const SPACE_FKEY: &str = "dashboard_snapshots_space_fkey";

/// A stored dashboard.
pub struct Snapshot {
    /// Hex digest of the space state the payload was computed from.
    pub fingerprint: String,
    /// The `DashboardDto` as JSON, exactly as it was serialized.
    pub payload: String,
    /// The AniList media the payload was computed from.
    pub anilist_media_ids: Vec<AniListMediaId>,
    /// AniListSync's metadata generation read before the computation.
    pub metadata_generation: MetadataGeneration,
    /// The people the payload names who were not members then, with the names it shows.
    pub former_members_named: Vec<(UserId, String)>,
}

/// The space's snapshot, whatever it was computed from.
pub async fn find(
    db: &impl ConnectionTrait,
    space: WatchSpaceId,
) -> Result<Option<Snapshot>, Error> {
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT fingerprint, payload::text, anilist_media_ids, metadata_generation, \
                    former_members_named::text \
               FROM analytics.dashboard_snapshots WHERE watch_space_id = $1",
            [space.0.into()],
        ))
        .await?;
    row.map(|row| to_snapshot(&row)).transpose()
}

fn to_snapshot(row: &QueryResult) -> Result<Snapshot, Error> {
    let media: Vec<i32> = row.try_get_by_index(2)?;
    let anilist_media_ids = media
        .into_iter()
        .map(|id| AniListMediaId::new(i64::from(id)))
        .collect::<Result<_, _>>()
        .map_err(|_| anyhow!("a stored dashboard snapshot names a non-positive AniList id"))?;
    let generation: i64 = row.try_get_by_index(3)?;
    let former: String = row.try_get_by_index(4)?;
    Ok(Snapshot {
        fingerprint: row.try_get_by_index(0)?,
        payload: row.try_get_by_index(1)?,
        anilist_media_ids,
        metadata_generation: MetadataGeneration::new(generation)
            .ok_or_else(|| anyhow!("a stored dashboard snapshot has generation {generation}"))?,
        former_members_named: serde_json::from_str(&former)
            .context("a stored dashboard snapshot's former members")?,
    })
}

/// Replaces the space's snapshot. Two readers computing side by side both store a correct
/// payload for their own fingerprint: the last one wins. A space deleted meanwhile has
/// nothing left to keep.
pub async fn save(
    db: &impl ConnectionTrait,
    space: WatchSpaceId,
    snapshot: &Snapshot,
    at: OffsetDateTime,
) -> Result<(), Error> {
    let media: Vec<i32> = snapshot
        .anilist_media_ids
        .iter()
        .map(|id| id.get())
        .collect();
    let former = serde_json::to_string(&snapshot.former_members_named)
        .context("serializing a dashboard snapshot's former members")?;
    let saved = db
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO analytics.dashboard_snapshots (watch_space_id, fingerprint, payload, \
                 anilist_media_ids, metadata_generation, former_members_named, computed_at_utc) \
             VALUES ($1, $2, $3::json, $4, $5, $6::jsonb, $7) \
             ON CONFLICT (watch_space_id) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, \
                 payload = EXCLUDED.payload, anilist_media_ids = EXCLUDED.anilist_media_ids, \
                 metadata_generation = EXCLUDED.metadata_generation, \
                 former_members_named = EXCLUDED.former_members_named, \
                 computed_at_utc = EXCLUDED.computed_at_utc",
            [
                space.0.into(),
                snapshot.fingerprint.clone().into(),
                snapshot.payload.clone().into(),
                Value::from(media),
                snapshot.metadata_generation.get().into(),
                former.into(),
                at.into(),
            ],
        ))
        .await;
    match saved {
        Ok(_) => Ok(()),
        Err(error) if violated_constraint(&error) == Some(SPACE_FKEY) => Ok(()),
        Err(error) => Err(error.into()),
    }
}
