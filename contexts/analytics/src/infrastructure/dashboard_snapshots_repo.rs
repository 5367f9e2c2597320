//! Each space's last computed dashboard (`analytics.dashboard_snapshots`, one row per space):
//! the JSON served, the generations it was computed at (`generations_repo`), the day, who may
//! read it, and what a reader needs to tell whether it still holds after display names or
//! AniList metadata changed (the people it names, the media it used).

use std::collections::BTreeMap;

use anilist_sync::contracts::{AniListMediaId, MetadataGeneration};
use anyhow::{anyhow, Context as _};
use identity::contracts::UserId;
use kernel::db::violated_constraint;
use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement, Value};
use time::{Date, OffsetDateTime};
use uuid::Uuid;
use watch_spaces::contracts::WatchSpaceId;

use super::generations_repo::Generations;
use crate::application::Error;

/// The foreign key to the space.
const SPACE_FKEY: &str = "dashboard_snapshots_space_fkey";

/// Names one stored payload for good: a recomputed dashboard is stored under a new id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SnapshotId(pub i64);

/// A dashboard to store, with what it was computed from.
pub struct NewSnapshot<'a> {
    /// The `DashboardDto` as JSON, exactly as it is served.
    pub payload: &'a str,
    pub generations: Generations,
    /// AniListSync's metadata generation read before the computation.
    pub metadata_generation: MetadataGeneration,
    /// The UTC day it was computed for (sessions per month and the weekly streak move with it).
    pub computed_on: Date,
    /// Who may read it: the members at the time.
    pub member_ids: Vec<UserId>,
    /// Everyone the payload names, with the name it shows.
    pub people_named: &'a BTreeMap<UserId, String>,
    /// The AniList media it was computed from.
    pub anilist_media_ids: &'a [AniListMediaId],
    pub computed_at: OffsetDateTime,
}

/// A current snapshot as the reader may see it.
pub struct Current {
    pub id: SnapshotId,
    /// `None` when the reader already holds this snapshot's payload.
    pub payload: Option<String>,
    /// Set when AniList metadata changed somewhere since the snapshot was computed: whether
    /// any of its media did is for AniListSync to say.
    pub metadata_moved: Option<MetadataMoved>,
    /// Set when someone was renamed since: the people it names, with the names it shows.
    pub names_moved: Option<NamesMoved>,
}

pub struct MetadataMoved {
    pub media: Vec<AniListMediaId>,
    pub since: MetadataGeneration,
    pub now: i64,
}

pub struct NamesMoved {
    pub people_named: BTreeMap<UserId, String>,
    pub now: i64,
}

/// The space's snapshot, when it was computed at the space's current generation for `today`
/// and `reader` was a member then (every membership change moves the generation, so then
/// they still are). One statement on Analytics' own tables. The payload comes back only when
/// it is not the one `held`.
pub async fn find_current(
    db: &impl ConnectionTrait,
    space: WatchSpaceId,
    reader: UserId,
    today: Date,
    held: Option<SnapshotId>,
) -> Result<Option<Current>, Error> {
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT s.snapshot_id, \
                    CASE WHEN s.snapshot_id IS DISTINCT FROM $4 THEN s.payload::text END, \
                    CASE WHEN u.metadata_generation > s.metadata_generation \
                         THEN s.anilist_media_ids END, \
                    s.metadata_generation, u.metadata_generation, \
                    CASE WHEN u.names_generation > s.names_generation \
                         THEN s.people_named::text END, \
                    u.names_generation \
               FROM analytics.dashboard_snapshots s CROSS JOIN analytics.upstream_generations u \
              WHERE s.watch_space_id = $1 AND $2 = ANY (s.member_ids) AND s.computed_on = $3 \
                AND s.space_generation = COALESCE((SELECT g.generation \
                    FROM analytics.space_generations g WHERE g.watch_space_id = $1), 0)",
            [
                space.0.into(),
                reader.0.into(),
                today.into(),
                held.map(|id| id.0).into(),
            ],
        ))
        .await?;
    row.map(|row| to_current(&row)).transpose()
}

fn to_current(row: &QueryResult) -> Result<Current, Error> {
    let media: Option<Vec<i32>> = row.try_get_by_index(2)?;
    let stored_generation: i64 = row.try_get_by_index(3)?;
    let metadata_moved = media
        .map(|media| {
            Ok::<_, Error>(MetadataMoved {
                media: media_ids(media)?,
                since: MetadataGeneration::new(stored_generation).ok_or_else(|| {
                    anyhow!("a stored dashboard snapshot has generation {stored_generation}")
                })?,
                now: row.try_get_by_index(4)?,
            })
        })
        .transpose()?;
    let people: Option<String> = row.try_get_by_index(5)?;
    let names_moved = people
        .map(|people| {
            Ok::<_, Error>(NamesMoved {
                people_named: serde_json::from_str(&people)
                    .context("a stored dashboard snapshot's people named")?,
                now: row.try_get_by_index(6)?,
            })
        })
        .transpose()?;
    Ok(Current {
        id: SnapshotId(row.try_get_by_index(0)?),
        payload: row.try_get_by_index(1)?,
        metadata_moved,
        names_moved,
    })
}

fn media_ids(raw: Vec<i32>) -> Result<Vec<AniListMediaId>, Error> {
    raw.into_iter()
        .map(|id| AniListMediaId::new(i64::from(id)))
        .collect::<Result<_, _>>()
        .map_err(|_| anyhow!("a stored dashboard snapshot names a non-positive AniList id").into())
}

/// Stores the space's snapshot under a new id, unless one computed at a later space
/// generation or day is already there (two readers computing side by side: the newer
/// wins). `None` when it was not stored, or the space was deleted meanwhile.
pub async fn save(
    db: &impl ConnectionTrait,
    space: WatchSpaceId,
    snapshot: &NewSnapshot<'_>,
) -> Result<Option<SnapshotId>, Error> {
    let media: Vec<i32> = snapshot
        .anilist_media_ids
        .iter()
        .map(|id| id.get())
        .collect();
    let members: Vec<Uuid> = snapshot.member_ids.iter().map(|id| id.0).collect();
    let people = serde_json::to_string(snapshot.people_named)
        .context("serializing a dashboard snapshot's people named")?;
    let saved = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO analytics.dashboard_snapshots (watch_space_id, payload, \
                 space_generation, names_generation, metadata_generation, computed_on, \
                 member_ids, people_named, anilist_media_ids, computed_at_utc) \
             VALUES ($1, $2::json, $3, $4, $5, $6, $7, $8::jsonb, $9, $10) \
             ON CONFLICT (watch_space_id) DO UPDATE SET \
                 snapshot_id = nextval('analytics.dashboard_snapshot_ids'), \
                 payload = EXCLUDED.payload, space_generation = EXCLUDED.space_generation, \
                 names_generation = EXCLUDED.names_generation, \
                 metadata_generation = EXCLUDED.metadata_generation, \
                 computed_on = EXCLUDED.computed_on, member_ids = EXCLUDED.member_ids, \
                 people_named = EXCLUDED.people_named, \
                 anilist_media_ids = EXCLUDED.anilist_media_ids, \
                 computed_at_utc = EXCLUDED.computed_at_utc \
               WHERE (dashboard_snapshots.space_generation, dashboard_snapshots.computed_on) \
                  <= (EXCLUDED.space_generation, EXCLUDED.computed_on) \
             RETURNING snapshot_id",
            [
                space.0.into(),
                snapshot.payload.into(),
                snapshot.generations.space.into(),
                snapshot.generations.names.into(),
                snapshot.metadata_generation.get().into(),
                snapshot.computed_on.into(),
                Value::from(members),
                people.into(),
                Value::from(media),
                snapshot.computed_at.into(),
            ],
        ))
        .await;
    match saved {
        Ok(row) => row
            .map(|row| Ok(SnapshotId(row.try_get_by_index(0)?)))
            .transpose(),
        Err(error) if violated_constraint(&error) == Some(SPACE_FKEY) => Ok(None),
        Err(error) => Err(error.into()),
    }
}

/// Records that the snapshot still holds at these upstream generations (its media and the
/// names it shows were checked), so the next read need not check again.
pub async fn confirm(
    db: &impl ConnectionTrait,
    id: SnapshotId,
    metadata_generation: Option<i64>,
    names_generation: Option<i64>,
) -> Result<(), Error> {
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE analytics.dashboard_snapshots \
            SET metadata_generation = GREATEST(metadata_generation, COALESCE($2, 0)), \
                names_generation = GREATEST(names_generation, COALESCE($3, 0)) \
          WHERE snapshot_id = $1",
        [
            id.0.into(),
            metadata_generation.into(),
            names_generation.into(),
        ],
    ))
    .await?;
    Ok(())
}
