//! The generations Analytics checks its dashboard snapshots against: one per space
//! (`analytics.space_generations`: AnimeTracking writes and membership changes; no row means
//! 0) and two shared by all spaces (`analytics.upstream_generations`, one row: display name
//! changes, and AniListSync's metadata generation as last published). Moved only inside the
//! publishing context's transaction, by `application::subscriber`.

use anilist_sync::contracts::MetadataGeneration;
use anyhow::anyhow;
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement, Value};
use uuid::Uuid;
use watch_spaces::contracts::WatchSpaceId;

use crate::application::Error;

/// The generations read before a dashboard is computed.
#[derive(Debug, Clone, Copy)]
pub struct Generations {
    /// The space's.
    pub space: i64,
    /// Display name changes anywhere.
    pub names: i64,
}

/// The space's generation and the names generation, in one statement.
pub async fn read(db: &impl ConnectionTrait, space: WatchSpaceId) -> Result<Generations, Error> {
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT COALESCE((SELECT generation FROM analytics.space_generations \
                              WHERE watch_space_id = $1), 0), names_generation \
               FROM analytics.upstream_generations",
            [space.0.into()],
        ))
        .await?
        .ok_or_else(|| anyhow!("analytics.upstream_generations has no row"))?;
    Ok(Generations {
        space: row.try_get_by_index(0)?,
        names: row.try_get_by_index(1)?,
    })
}

/// Moves on the generation of each space, in id order (so concurrent writers lock them in
/// the same order).
pub async fn bump_spaces(db: &impl ConnectionTrait, spaces: &[WatchSpaceId]) -> Result<(), DbErr> {
    let ids: Vec<Uuid> = spaces.iter().map(|space| space.0).collect();
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "INSERT INTO analytics.space_generations (watch_space_id, generation) \
         SELECT id, 1 FROM unnest($1::uuid[]) AS id ORDER BY id \
         ON CONFLICT (watch_space_id) DO UPDATE SET generation = space_generations.generation + 1",
        [Value::from(ids)],
    ))
    .await?;
    Ok(())
}

/// Moves on the names generation.
pub async fn bump_names(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    db.execute_unprepared(
        "UPDATE analytics.upstream_generations SET names_generation = names_generation + 1",
    )
    .await?;
    Ok(())
}

/// Raises the mirrored metadata generation to AniListSync's.
pub async fn raise_metadata(
    db: &impl ConnectionTrait,
    generation: MetadataGeneration,
) -> Result<(), DbErr> {
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE analytics.upstream_generations \
            SET metadata_generation = GREATEST(metadata_generation, $1)",
        [generation.get().into()],
    ))
    .await?;
    Ok(())
}
