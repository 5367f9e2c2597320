//! `anilist_sync.sync_jobs`, the outbox: written in the transaction of the change each row
//! carries, claimed by workers in any server instance one member's title at a time (a
//! transaction-scoped advisory lock per title, held while delivering, so two instances never
//! send the same title at once), settled in the same transaction as the attempt's log row.

use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement, Value};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::application::Error;
use crate::contracts::{AniListMediaId, ListEntryChange, MediaListStatus, ScoreRaw};
use crate::domain::sync_job::{Delivery, PendingJob};
use identity::contracts::UserId;

/// The advisory-lock namespace of "delivering one member's title" (`ALSY`).
const DELIVERY_LOCK_NAMESPACE: i32 = 0x414c_5359;
/// Placeholders for "not set" in the arrays of a queueing statement (sea-query binds no NULL
/// array elements); `NULLIF` turns them back into NULL.
const NO_PROGRESS: i32 = -1;
const NO_SCORE: i32 = -1;

fn statement(sql: &str, values: impl IntoIterator<Item = Value>) -> Statement {
    Statement::from_sql_and_values(DbBackend::Postgres, sql, values)
}

/// Queues the changes of linked members in one statement, each with only the fields their
/// switches push, skipping titles they excluded and changes left empty by the switches.
/// Returns how many jobs were written.
pub async fn queue(
    db: &impl ConnectionTrait,
    changes: &[ListEntryChange],
    now: OffsetDateTime,
) -> Result<u64, Error> {
    if changes.is_empty() {
        return Ok(0);
    }
    let column = |values: Vec<Value>, kind| Value::Array(kind, Some(Box::new(values)));
    use sea_orm::sea_query::ArrayType;
    let users = changes.iter().map(|c| Value::from(c.user.0)).collect();
    let media = changes.iter().map(|c| Value::from(c.media.get())).collect();
    let anime = changes
        .iter()
        .map(|c| Value::from(c.watch_space_anime_id.unwrap_or(Uuid::nil())))
        .collect();
    let statuses = changes
        .iter()
        .map(|c| Value::from(c.status.map_or("", MediaListStatus::as_str).to_owned()))
        .collect();
    let progress = changes
        .iter()
        .map(|c| Value::from(c.progress.unwrap_or(NO_PROGRESS)))
        .collect();
    let scores = changes
        .iter()
        .map(|c| Value::from(c.score_raw.map_or(NO_SCORE, |s| i32::from(s.get()))))
        .collect();
    let inserted = db
        .execute_raw(statement(
            "INSERT INTO anilist_sync.sync_jobs (user_id, anilist_media_id, watch_space_anime_id, \
                    list_status, progress, score_raw, next_attempt_at_utc, created_at_utc) \
             SELECT c.user_id, c.media_id, NULLIF(c.anime_id, '00000000-0000-0000-0000-000000000000'::uuid), \
                    CASE WHEN a.push_status THEN NULLIF(c.list_status, '') END, \
                    CASE WHEN a.push_progress THEN NULLIF(c.progress, -1) END, \
                    CASE WHEN a.push_score THEN NULLIF(c.score_raw, -1) END, $7, $7 \
               FROM unnest($1::uuid[], $2::int[], $3::uuid[], $4::text[], $5::int[], $6::int[]) \
                    AS c(user_id, media_id, anime_id, list_status, progress, score_raw) \
               JOIN anilist_sync.sync_accounts a ON a.user_id = c.user_id \
              WHERE ((a.push_status AND c.list_status <> '') \
                  OR (a.push_progress AND c.progress <> -1) \
                  OR (a.push_score AND c.score_raw <> -1)) \
                AND NOT EXISTS (SELECT 1 FROM anilist_sync.sync_exclusions x \
                                 WHERE x.user_id = c.user_id AND x.anilist_media_id = c.media_id)",
            [
                column(users, ArrayType::Uuid),
                column(media, ArrayType::Int),
                column(anime, ArrayType::Uuid),
                column(statuses, ArrayType::String),
                column(progress, ArrayType::Int),
                column(scores, ArrayType::Int),
                Value::from(now),
            ],
        ))
        .await?;
    Ok(inserted.rows_affected())
}

/// Members' titles with changes due at `now`, most overdue first, whose member's link works.
pub async fn due_titles(
    db: &impl ConnectionTrait,
    now: OffsetDateTime,
    limit: u64,
) -> Result<Vec<(UserId, AniListMediaId)>, Error> {
    let rows = db
        .query_all_raw(statement(
            "SELECT j.user_id, j.anilist_media_id FROM anilist_sync.sync_jobs j \
               JOIN anilist_sync.sync_accounts a ON a.user_id = j.user_id AND a.expired_reason IS NULL \
              WHERE j.state = 'pending' AND j.next_attempt_at_utc <= $1 \
              GROUP BY j.user_id, j.anilist_media_id \
              ORDER BY min(j.next_attempt_at_utc), min(j.id) LIMIT $2",
            [Value::from(now), Value::from(i64::try_from(limit).unwrap_or(i64::MAX))],
        ))
        .await?;
    rows.iter()
        .map(|row| {
            Ok((
                UserId(row.try_get_by_index(0)?),
                media_id(row.try_get_by_index(1)?)?,
            ))
        })
        .collect()
}

/// Takes the title for delivery until the transaction ends; false when another worker has it.
pub async fn try_lock_title(
    db: &impl ConnectionTrait,
    user: UserId,
    media: AniListMediaId,
) -> Result<bool, Error> {
    let row = db
        .query_one_raw(statement(
            "SELECT pg_try_advisory_xact_lock($1, hashtext($2::text || ':' || $3::text))",
            [
                Value::from(DELIVERY_LOCK_NAMESPACE),
                Value::from(user.0),
                Value::from(media.get()),
            ],
        ))
        .await?
        .ok_or_else(|| anyhow::anyhow!("pg_try_advisory_xact_lock returned no row"))?;
    Ok(row.try_get_by_index(0)?)
}

/// The title's pending jobs, oldest first, locked (call it holding the title's lock).
pub async fn pending_of_title(
    db: &impl ConnectionTrait,
    user: UserId,
    media: AniListMediaId,
) -> Result<Vec<PendingJob>, Error> {
    let rows = db
        .query_all_raw(statement(
            "SELECT id, watch_space_anime_id, list_status, progress, score_raw, attempts, \
                    next_attempt_at_utc \
               FROM anilist_sync.sync_jobs \
              WHERE user_id = $1 AND anilist_media_id = $2 AND state = 'pending' \
              ORDER BY id FOR UPDATE",
            [Value::from(user.0), Value::from(media.get())],
        ))
        .await?;
    rows.iter().map(read_pending).collect()
}

/// The delivery reached AniList: its newest job is delivered, the older ones with it.
pub async fn settle_delivered(
    db: &impl ConnectionTrait,
    delivery: &Delivery,
    now: OffsetDateTime,
) -> Result<(), Error> {
    finish(db, &[delivery.newest], "delivered", None, now).await?;
    finish(db, &delivery.superseded, "superseded", None, now).await
}

/// The delivery failed: the newest job now carries the merged values, pending again from
/// `retry_at` with `attempts` used, or failed for good when `retry_at` is `None`.
pub async fn settle_failed(
    db: &impl ConnectionTrait,
    delivery: &Delivery,
    retry_at: Option<OffsetDateTime>,
    attempts: i32,
    reason: &str,
    now: OffsetDateTime,
) -> Result<(), Error> {
    db.execute_raw(statement(
        "UPDATE anilist_sync.sync_jobs \
            SET list_status = $2, progress = $3, score_raw = $4, attempts = $5, last_error = $6, \
                state = CASE WHEN $7::timestamptz IS NULL THEN 'failed' ELSE 'pending' END, \
                next_attempt_at_utc = COALESCE($7, next_attempt_at_utc), \
                finished_at_utc = CASE WHEN $7::timestamptz IS NULL THEN $8::timestamptz END \
          WHERE id = $1",
        [
            Value::from(delivery.newest),
            Value::from(delivery.status.map(|status| status.as_str().to_owned())),
            Value::from(delivery.progress),
            Value::from(delivery.score_raw.map(|score| i32::from(score.get()))),
            Value::from(attempts),
            Value::from(reason),
            Value::from(retry_at),
            Value::from(now),
        ],
    ))
    .await?;
    finish(db, &delivery.superseded, "superseded", None, now).await
}

async fn finish(
    db: &impl ConnectionTrait,
    ids: &[i64],
    state: &str,
    reason: Option<&str>,
    now: OffsetDateTime,
) -> Result<(), Error> {
    if ids.is_empty() {
        return Ok(());
    }
    db.execute_raw(statement(
        "UPDATE anilist_sync.sync_jobs SET state = $2, last_error = COALESCE($3, last_error), \
                finished_at_utc = $4 \
          WHERE id = ANY($1)",
        [
            Value::from(ids.to_vec()),
            Value::from(state),
            Value::from(reason),
            Value::from(now),
        ],
    ))
    .await?;
    Ok(())
}

/// Cancels the member's pending jobs (of one title, or all), returning them as they were.
pub async fn cancel_pending(
    db: &impl ConnectionTrait,
    user: UserId,
    media: Option<AniListMediaId>,
    reason: &str,
    now: OffsetDateTime,
) -> Result<Vec<(AniListMediaId, Option<Uuid>)>, Error> {
    let rows = db
        .query_all_raw(statement(
            "UPDATE anilist_sync.sync_jobs SET state = 'cancelled', last_error = $3, finished_at_utc = $4 \
              WHERE user_id = $1 AND state = 'pending' \
                AND ($2::int IS NULL OR anilist_media_id = $2) \
             RETURNING anilist_media_id, watch_space_anime_id",
            [
                Value::from(user.0),
                Value::from(media.map(AniListMediaId::get)),
                Value::from(reason),
                Value::from(now),
            ],
        ))
        .await?;
    rows.iter()
        .map(|row| {
            Ok((
                media_id(row.try_get_by_index(0)?)?,
                row.try_get_by_index(1)?,
            ))
        })
        .collect()
}

/// The newest job of a member's title and whether the title is excluded, in one statement:
/// what the title's sync chip shows.
pub async fn title_state(
    db: &impl ConnectionTrait,
    user: UserId,
    media: AniListMediaId,
) -> Result<TitleState, Error> {
    let row = db
        .query_one_raw(statement(
            "SELECT EXISTS (SELECT 1 FROM anilist_sync.sync_exclusions \
                             WHERE user_id = $1 AND anilist_media_id = $2), \
                    j.state, j.last_error, j.finished_at_utc \
               FROM (SELECT 1) AS one \
               LEFT JOIN LATERAL (SELECT state, last_error, finished_at_utc \
                                    FROM anilist_sync.sync_jobs \
                                   WHERE user_id = $1 AND anilist_media_id = $2 \
                                   ORDER BY id DESC LIMIT 1) AS j ON true",
            [Value::from(user.0), Value::from(media.get())],
        ))
        .await?
        .ok_or_else(|| anyhow::anyhow!("the title state query returned no row"))?;
    Ok(TitleState {
        excluded: row.try_get_by_index(0)?,
        newest_state: row.try_get_by_index(1)?,
        newest_error: row.try_get_by_index(2)?,
        newest_finished_at: row.try_get_by_index(3)?,
    })
}

/// What `title_state` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleState {
    pub excluded: bool,
    pub newest_state: Option<String>,
    pub newest_error: Option<String>,
    pub newest_finished_at: Option<OffsetDateTime>,
}

/// Makes the title's failed newest job pending again with fresh attempts; whether there was
/// one.
pub async fn retry_failed(
    db: &impl ConnectionTrait,
    user: UserId,
    media: AniListMediaId,
    now: OffsetDateTime,
) -> Result<bool, Error> {
    let updated = db
        .execute_raw(statement(
            "UPDATE anilist_sync.sync_jobs \
                SET state = 'pending', attempts = 0, next_attempt_at_utc = $3, finished_at_utc = NULL \
              WHERE id = (SELECT id FROM anilist_sync.sync_jobs \
                           WHERE user_id = $1 AND anilist_media_id = $2 ORDER BY id DESC LIMIT 1) \
                AND state = 'failed'",
            [Value::from(user.0), Value::from(media.get()), Value::from(now)],
        ))
        .await?;
    Ok(updated.rows_affected() == 1)
}

/// How many of the member's changes wait to be sent.
pub async fn pending_count(db: &impl ConnectionTrait, user: UserId) -> Result<i64, Error> {
    let row = db
        .query_one_raw(statement(
            "SELECT count(*) FROM anilist_sync.sync_jobs WHERE user_id = $1 AND state = 'pending'",
            [Value::from(user.0)],
        ))
        .await?
        .ok_or_else(|| anyhow::anyhow!("count(*) returned no row"))?;
    Ok(row.try_get_by_index(0)?)
}

/// Deletes jobs finished before `before`, keeping every title's newest (the chip reads it).
pub async fn prune_finished(
    db: &impl ConnectionTrait,
    before: OffsetDateTime,
) -> Result<u64, Error> {
    let deleted = db
        .execute_raw(statement(
            "DELETE FROM anilist_sync.sync_jobs j \
              WHERE j.state <> 'pending' AND j.finished_at_utc < $1 \
                AND EXISTS (SELECT 1 FROM anilist_sync.sync_jobs newer \
                             WHERE newer.user_id = j.user_id \
                               AND newer.anilist_media_id = j.anilist_media_id AND newer.id > j.id)",
            [Value::from(before)],
        ))
        .await?;
    Ok(deleted.rows_affected())
}

fn read_pending(row: &QueryResult) -> Result<PendingJob, Error> {
    let status = row
        .try_get_by_index::<Option<String>>(2)?
        .map(|raw| {
            MediaListStatus::parse(&raw)
                .ok_or_else(|| anyhow::anyhow!("sync_jobs: unknown list status {raw:?}"))
        })
        .transpose()?;
    let score_raw = row
        .try_get_by_index::<Option<i32>>(4)?
        .map(|raw| {
            ScoreRaw::new(i64::from(raw))
                .ok_or_else(|| anyhow::anyhow!("sync_jobs: score {raw} out of range"))
        })
        .transpose()?;
    Ok(PendingJob {
        id: row.try_get_by_index(0)?,
        watch_space_anime_id: row.try_get_by_index(1)?,
        status,
        progress: row.try_get_by_index(3)?,
        score_raw,
        attempts: row.try_get_by_index(5)?,
        next_attempt_at: row.try_get_by_index(6)?,
    })
}

fn media_id(raw: i32) -> Result<AniListMediaId, Error> {
    AniListMediaId::new(i64::from(raw))
        .map_err(|_| Error::Internal(anyhow::anyhow!("sync_jobs: media id {raw} is not positive")))
}
