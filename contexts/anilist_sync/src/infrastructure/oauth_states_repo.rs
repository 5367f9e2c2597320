//! `anilist_sync.oauth_states`: the one-time `state` of each link in progress, stored as its
//! SHA-256 only (a leaked table starts no link), bound to the member, used at most once.

use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use time::OffsetDateTime;

use crate::application::Error;
use identity::contracts::UserId;

pub async fn insert(
    db: &impl ConnectionTrait,
    state_hash: &[u8],
    user: UserId,
    now: OffsetDateTime,
    expires_at: OffsetDateTime,
) -> Result<(), Error> {
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "INSERT INTO anilist_sync.oauth_states (state_hash, user_id, created_at_utc, expires_at_utc) \
         VALUES ($1, $2, $3, $4)",
        [
            Value::from(state_hash.to_vec()),
            Value::from(user.0),
            Value::from(now),
            Value::from(expires_at),
        ],
    ))
    .await?;
    Ok(())
}

/// Uses up the state: whether it existed, belonged to `user` and had not expired. One
/// statement, so two callbacks racing with the same state cannot both succeed; a state of
/// another member is left alone (and refused).
pub async fn take(
    db: &impl ConnectionTrait,
    state_hash: &[u8],
    user: UserId,
    now: OffsetDateTime,
) -> Result<bool, Error> {
    let deleted = db
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "DELETE FROM anilist_sync.oauth_states \
              WHERE state_hash = $1 AND user_id = $2 AND expires_at_utc > $3",
            [
                Value::from(state_hash.to_vec()),
                Value::from(user.0),
                Value::from(now),
            ],
        ))
        .await?;
    Ok(deleted.rows_affected() == 1)
}

/// Forgets states that expired before `now`.
pub async fn prune(db: &impl ConnectionTrait, now: OffsetDateTime) -> Result<u64, Error> {
    let deleted = db
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "DELETE FROM anilist_sync.oauth_states WHERE expires_at_utc <= $1",
            [Value::from(now)],
        ))
        .await?;
    Ok(deleted.rows_affected())
}
