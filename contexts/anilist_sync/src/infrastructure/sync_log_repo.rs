//! `anilist_sync.sync_log`: every attempt to update a member's AniList list, as the design
//! lays it out (request and response payloads kept without tokens or notes), read back as
//! the member's sync history and pruned after 90 days.

use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::application::Error;
use crate::contracts::{AniListMediaId, MediaListStatus, ScoreRaw, SyncAttemptDto, SyncOutcome};
use crate::domain::sync_job;
use identity::contracts::UserId;

/// One attempt, to be written.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    pub user: UserId,
    pub watch_space_anime_id: Option<Uuid>,
    pub media: Option<AniListMediaId>,
    pub operation: &'static str,
    pub outcome: SyncOutcome,
    pub reason: Option<String>,
    pub request: Option<serde_json::Value>,
    pub response: Option<serde_json::Value>,
}

pub async fn insert(
    db: &impl ConnectionTrait,
    attempt: &Attempt,
    at: OffsetDateTime,
) -> Result<(), Error> {
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "INSERT INTO anilist_sync.sync_log (id, user_id, watch_space_anime_id, anilist_media_id, \
                provider_name, operation_name, status, reason, request_payload_jsonb, \
                response_payload_jsonb, created_at_utc) \
         VALUES ($1, $2, $3, $4, 'anilist', $5, $6, $7, $8, $9, $10)",
        [
            Value::from(Uuid::new_v4()),
            Value::from(attempt.user.0),
            Value::from(attempt.watch_space_anime_id),
            Value::from(attempt.media.map(AniListMediaId::get)),
            Value::from(attempt.operation),
            Value::from(attempt.outcome.as_str()),
            Value::from(attempt.reason.clone()),
            Value::from(attempt.request.clone()),
            Value::from(attempt.response.clone()),
            Value::from(at),
        ],
    ))
    .await?;
    Ok(())
}

/// The member's newest `limit` attempts (older than `after`, the time and id of an attempt,
/// when given), newest first, with the titles the media cache knows and what was sent (the
/// request's variables) in words.
pub async fn recent(
    db: &impl ConnectionTrait,
    user: UserId,
    limit: u64,
    after: Option<(OffsetDateTime, Uuid)>,
) -> Result<Vec<SyncAttemptDto>, Error> {
    let limit = Value::from(i64::try_from(limit).unwrap_or(i64::MAX));
    let select = "SELECT l.id, l.created_at_utc, l.anilist_media_id, \
                    COALESCE(m.title_english, m.title_romaji), l.request_payload_jsonb, l.status, l.reason \
               FROM anilist_sync.sync_log l \
               LEFT JOIN anilist_sync.media_cache m ON m.anilist_media_id = l.anilist_media_id \
              WHERE l.user_id = $1";
    let statement = match after {
        None => Statement::from_sql_and_values(
            DbBackend::Postgres,
            format!("{select} ORDER BY l.created_at_utc DESC, l.id DESC LIMIT $2"),
            [Value::from(user.0), limit],
        ),
        Some((at, id)) => Statement::from_sql_and_values(
            DbBackend::Postgres,
            format!(
                "{select} AND (l.created_at_utc, l.id) < ($3, $4) \
                 ORDER BY l.created_at_utc DESC, l.id DESC LIMIT $2"
            ),
            [Value::from(user.0), limit, Value::from(at), Value::from(id)],
        ),
    };
    let rows = db.query_all_raw(statement).await?;
    rows.iter()
        .map(|row| {
            let raw_outcome: String = row.try_get_by_index(5)?;
            let outcome = SyncOutcome::parse(&raw_outcome)
                .ok_or_else(|| anyhow::anyhow!("sync_log: unknown status {raw_outcome:?}"))?;
            let media = row
                .try_get_by_index::<Option<i32>>(2)?
                .and_then(|raw| AniListMediaId::new(i64::from(raw)).ok());
            let request: Option<serde_json::Value> = row.try_get_by_index(4)?;
            Ok(SyncAttemptDto {
                id: row.try_get_by_index(0)?,
                at_utc: row.try_get_by_index(1)?,
                anilist_media_id: media,
                title: row.try_get_by_index(3)?,
                summary: request.as_ref().map(summarise).unwrap_or_default(),
                outcome,
                reason: row.try_get_by_index(6)?,
            })
        })
        .collect()
}

/// The variables of a logged `SaveMediaListEntry` in words.
fn summarise(request: &serde_json::Value) -> String {
    let variables = &request["variables"];
    sync_job::describe(
        variables["status"]
            .as_str()
            .and_then(MediaListStatus::parse),
        variables["progress"]
            .as_i64()
            .and_then(|progress| i32::try_from(progress).ok()),
        variables["scoreRaw"].as_i64().and_then(ScoreRaw::new),
    )
}

/// Deletes attempts older than `before`.
pub async fn prune(db: &impl ConnectionTrait, before: OffsetDateTime) -> Result<u64, Error> {
    let deleted = db
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "DELETE FROM anilist_sync.sync_log WHERE created_at_utc < $1",
            [Value::from(before)],
        ))
        .await?;
    Ok(deleted.rows_affected())
}
