//! Each space's change counter (`anime_tracking.space_revisions`): every write bumps it in
//! its own transaction, so a reader that remembers the revision it derived something from
//! knows that nothing changed while the revision is the same.

use anilist_sync::contracts::AniListMediaId;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use watch_spaces::contracts::WatchSpaceId;

use crate::application::Error;

/// Adds one to the space's revision (the first write makes it 1). Call it last in the
/// write's transaction: the row stays locked until the commit, and taking no other lock
/// after it keeps concurrent writers free of deadlocks.
pub async fn bump(db: &impl ConnectionTrait, space: WatchSpaceId) -> Result<(), Error> {
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "INSERT INTO anime_tracking.space_revisions (watch_space_id, revision) VALUES ($1, 1) \
         ON CONFLICT (watch_space_id) DO UPDATE SET revision = space_revisions.revision + 1",
        [space.0.into()],
    ))
    .await?;
    Ok(())
}

/// Bumps every space that tracks the media, in one statement. The spaces are locked in id
/// order, so two of these running side by side cannot deadlock.
pub async fn bump_tracking(db: &impl ConnectionTrait, media: AniListMediaId) -> Result<(), Error> {
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "INSERT INTO anime_tracking.space_revisions (watch_space_id, revision) \
         SELECT DISTINCT watch_space_id, 1 FROM anime_tracking.watch_space_anime \
         WHERE anilist_media_id = $1 ORDER BY watch_space_id \
         ON CONFLICT (watch_space_id) DO UPDATE SET revision = space_revisions.revision + 1",
        [media.get().into()],
    ))
    .await?;
    Ok(())
}

/// The space's revision: 0 before its first write.
pub async fn read(db: &impl ConnectionTrait, space: WatchSpaceId) -> Result<i64, Error> {
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT revision FROM anime_tracking.space_revisions WHERE watch_space_id = $1",
            [space.0.into()],
        ))
        .await?;
    Ok(match row {
        Some(row) => row.try_get_by_index::<i64>(0)?,
        None => 0,
    })
}
