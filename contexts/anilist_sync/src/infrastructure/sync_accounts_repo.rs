//! `anilist_sync.sync_accounts` (per linked member: their AniList user, score format, what is
//! pushed, whether the link still works) and `anilist_sync.sync_exclusions` (titles a member
//! keeps off AniList).

use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement, Value};
use time::OffsetDateTime;

use crate::application::Error;
use crate::contracts::{AniListMediaId, ScoreFormat, SyncSwitchesDto, UpdateSyncSwitches};
use identity::contracts::UserId;

/// A linked member's sync settings and state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncAccount {
    pub anilist_user_id: i32,
    pub score_format: Option<ScoreFormat>,
    pub switches: SyncSwitchesDto,
    /// Set while AniList refuses the member's token.
    pub expired_reason: Option<String>,
    pub last_synced_at: Option<OffsetDateTime>,
}

const COLUMNS: &str = "anilist_user_id, score_format, push_progress, push_status, push_score, \
                       expired_reason, last_synced_at_utc";

fn statement(sql: &str, values: impl IntoIterator<Item = Value>) -> Statement {
    Statement::from_sql_and_values(DbBackend::Postgres, sql, values)
}

/// The member's sync account, if they are linked.
pub async fn find(db: &impl ConnectionTrait, user: UserId) -> Result<Option<SyncAccount>, Error> {
    let sql = format!("SELECT {COLUMNS} FROM anilist_sync.sync_accounts WHERE user_id = $1");
    db.query_one_raw(statement(&sql, [Value::from(user.0)]))
        .await?
        .map(|row| read(&row))
        .transpose()
}

/// Records a (re-)link: a new account starts with the default switches; an existing one
/// keeps its switches and works again. Returns the AniList user it was linked to before,
/// if any.
pub async fn link(
    db: &impl ConnectionTrait,
    user: UserId,
    anilist_user_id: i32,
    now: OffsetDateTime,
) -> Result<Option<i32>, Error> {
    let defaults = SyncSwitchesDto::default();
    let row = db
        .query_one_raw(statement(
            "WITH before AS (SELECT anilist_user_id FROM anilist_sync.sync_accounts \
                              WHERE user_id = $1 FOR UPDATE) \
             INSERT INTO anilist_sync.sync_accounts \
                    (user_id, anilist_user_id, push_progress, push_status, push_score, updated_at_utc) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (user_id) DO UPDATE SET anilist_user_id = EXCLUDED.anilist_user_id, \
                    expired_reason = NULL, updated_at_utc = EXCLUDED.updated_at_utc \
             RETURNING (SELECT anilist_user_id FROM before)",
            [
                Value::from(user.0),
                Value::from(anilist_user_id),
                Value::from(defaults.push_progress),
                Value::from(defaults.push_status),
                Value::from(defaults.push_score),
                Value::from(now),
            ],
        ))
        .await?;
    Ok(match row {
        Some(row) => row.try_get_by_index::<Option<i32>>(0)?,
        None => None,
    })
}

/// Forgets the member's sync account and exclusions (they unlinked).
pub async fn unlink(db: &impl ConnectionTrait, user: UserId) -> Result<(), Error> {
    for table in ["sync_exclusions", "sync_accounts"] {
        let sql = format!("DELETE FROM anilist_sync.{table} WHERE user_id = $1");
        db.execute_raw(statement(&sql, [Value::from(user.0)]))
            .await?;
    }
    Ok(())
}

pub async fn set_score_format(
    db: &impl ConnectionTrait,
    user: UserId,
    format: Option<ScoreFormat>,
) -> Result<(), Error> {
    db.execute_raw(statement(
        "UPDATE anilist_sync.sync_accounts SET score_format = $2 WHERE user_id = $1",
        [
            Value::from(user.0),
            Value::from(format.map(|format| format.as_str().to_owned())),
        ],
    ))
    .await?;
    Ok(())
}

/// Changes the switches that are set; the account afterwards, if the member is linked.
pub async fn update_switches(
    db: &impl ConnectionTrait,
    user: UserId,
    update: UpdateSyncSwitches,
    now: OffsetDateTime,
) -> Result<Option<SyncAccount>, Error> {
    let sql = format!(
        "UPDATE anilist_sync.sync_accounts \
            SET push_progress = COALESCE($2, push_progress), \
                push_status = COALESCE($3, push_status), \
                push_score = COALESCE($4, push_score), updated_at_utc = $5 \
          WHERE user_id = $1 RETURNING {COLUMNS}"
    );
    db.query_one_raw(statement(
        &sql,
        [
            Value::from(user.0),
            Value::from(update.push_progress),
            Value::from(update.push_status),
            Value::from(update.push_score),
            Value::from(now),
        ],
    ))
    .await?
    .map(|row| read(&row))
    .transpose()
}

/// Pauses the member's sync until they link again.
pub async fn mark_expired(
    db: &impl ConnectionTrait,
    user: UserId,
    reason: &str,
    now: OffsetDateTime,
) -> Result<(), Error> {
    db.execute_raw(statement(
        "UPDATE anilist_sync.sync_accounts SET expired_reason = $2, updated_at_utc = $3 \
          WHERE user_id = $1 AND expired_reason IS NULL",
        [Value::from(user.0), Value::from(reason), Value::from(now)],
    ))
    .await?;
    Ok(())
}

pub async fn record_synced(
    db: &impl ConnectionTrait,
    user: UserId,
    at: OffsetDateTime,
) -> Result<(), Error> {
    db.execute_raw(statement(
        "UPDATE anilist_sync.sync_accounts SET last_synced_at_utc = $2 WHERE user_id = $1",
        [Value::from(user.0), Value::from(at)],
    ))
    .await?;
    Ok(())
}

/// Keeps a title off (or lets it back onto) the member's AniList list.
pub async fn set_excluded(
    db: &impl ConnectionTrait,
    user: UserId,
    media: AniListMediaId,
    excluded: bool,
    now: OffsetDateTime,
) -> Result<(), Error> {
    let (sql, values) = if excluded {
        (
            "INSERT INTO anilist_sync.sync_exclusions (user_id, anilist_media_id, excluded_at_utc) \
             VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            vec![
                Value::from(user.0),
                Value::from(media.get()),
                Value::from(now),
            ],
        )
    } else {
        (
            "DELETE FROM anilist_sync.sync_exclusions WHERE user_id = $1 AND anilist_media_id = $2",
            vec![Value::from(user.0), Value::from(media.get())],
        )
    };
    db.execute_raw(statement(sql, values)).await?;
    Ok(())
}

fn read(row: &QueryResult) -> Result<SyncAccount, Error> {
    let score_format = row
        .try_get_by_index::<Option<String>>(1)?
        .map(|raw| {
            ScoreFormat::parse(&raw)
                .ok_or_else(|| anyhow::anyhow!("sync_accounts: unknown score format {raw:?}"))
        })
        .transpose()?;
    Ok(SyncAccount {
        anilist_user_id: row.try_get_by_index(0)?,
        score_format,
        switches: SyncSwitchesDto {
            push_progress: row.try_get_by_index(2)?,
            push_status: row.try_get_by_index(3)?,
            push_score: row.try_get_by_index(4)?,
        },
        expired_reason: row.try_get_by_index(5)?,
        last_synced_at: row.try_get_by_index(6)?,
    })
}
