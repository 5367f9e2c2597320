//! The login throttle's counters (`identity.login_throttle`), one row per scope and subject.
//! An attempt reads its three rows under row locks and writes them back in the same
//! transaction, so concurrent attempts are counted one after another.

use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, Statement, Value};
use time::OffsetDateTime;

use crate::application::Error;
use crate::domain::login_throttle::{Counter, Scope};

/// A counter's row key.
pub type Key = (Scope, Vec<u8>);

/// Locks the counters of `keys` (creating missing ones at zero) and reads them, in `keys`'
/// order. Rows are created and locked in one global order (scope, then subject, byte-wise),
/// so two attempts sharing counters never wait for each other in a cycle.
pub async fn lock(
    transaction: &DatabaseTransaction,
    keys: &[Key; 3],
    now: OffsetDateTime,
) -> Result<[(Scope, Option<Counter>); 3], Error> {
    let mut ordered: Vec<&Key> = keys.iter().collect();
    ordered.sort_by(|a, b| (a.0.as_str(), &a.1).cmp(&(b.0.as_str(), &b.1)));
    let mut values: Vec<Value> = Vec::new();
    for (scope, subject) in &ordered {
        values.extend([scope.as_str().into(), subject.clone().into()]);
    }
    values.push(now.into());
    transaction
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO identity.login_throttle \
                    (scope, subject, failures, last_attempt_at_utc, blocked_until_utc) \
             VALUES ($1, $2, 0, $7, NULL), ($3, $4, 0, $7, NULL), ($5, $6, 0, $7, NULL) \
             ON CONFLICT (scope, subject) DO NOTHING",
            values.clone(),
        ))
        .await?;
    values.pop();
    let rows = transaction
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT scope, subject, failures, last_attempt_at_utc, blocked_until_utc \
               FROM identity.login_throttle \
              WHERE (scope, subject) IN (($1, $2), ($3, $4), ($5, $6)) \
              ORDER BY scope COLLATE \"C\", subject \
                FOR UPDATE",
            values,
        ))
        .await?;
    let mut read = Vec::with_capacity(rows.len());
    for row in rows {
        let scope: String = row.try_get_by_index(0)?;
        let subject: Vec<u8> = row.try_get_by_index(1)?;
        let failures: i32 = row.try_get_by_index(2)?;
        let counter = Counter {
            failures: u32::try_from(failures)
                .map_err(|_| Error::CorruptRow(format!("login_throttle.failures = {failures}")))?,
            last_attempt_at: row.try_get_by_index(3)?,
            blocked_until: row.try_get_by_index(4)?,
        };
        read.push((scope, subject, counter));
    }
    Ok(keys.clone().map(|(scope, subject)| {
        let counter = read
            .iter()
            .find(|(s, key, _)| s == scope.as_str() && *key == subject)
            .map(|(_, _, counter)| *counter)
            // Zero failures is no counter yet (the row was created just now, or forgiven).
            .filter(|counter| counter.failures > 0 || counter.blocked_until.is_some());
        (scope, counter)
    }))
}

/// Stores a counter; `None` forgets it.
pub async fn store(
    transaction: &DatabaseTransaction,
    (scope, subject): &Key,
    counter: Option<Counter>,
) -> Result<(), Error> {
    let statement = match counter {
        Some(counter) => Statement::from_sql_and_values(
            DbBackend::Postgres,
            "UPDATE identity.login_throttle \
                SET failures = $3, last_attempt_at_utc = $4, blocked_until_utc = $5 \
              WHERE scope = $1 AND subject = $2",
            [
                scope.as_str().into(),
                subject.clone().into(),
                i32::try_from(counter.failures).unwrap_or(i32::MAX).into(),
                counter.last_attempt_at.into(),
                counter.blocked_until.into(),
            ],
        ),
        None => Statement::from_sql_and_values(
            DbBackend::Postgres,
            "DELETE FROM identity.login_throttle WHERE scope = $1 AND subject = $2",
            [scope.as_str().into(), subject.clone().into()],
        ),
    };
    transaction.execute_raw(statement).await?;
    Ok(())
}

/// Forgets the counters no attempt touched since `quiet_since` and that block no longer at
/// `now`: they would start again from zero anyway.
pub async fn prune(
    db: &impl ConnectionTrait,
    quiet_since: OffsetDateTime,
    now: OffsetDateTime,
) -> Result<u64, Error> {
    let result = db
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "DELETE FROM identity.login_throttle \
              WHERE last_attempt_at_utc < $1 \
                AND (blocked_until_utc IS NULL OR blocked_until_utc <= $2)",
            [quiet_since.into(), now.into()],
        ))
        .await?;
    Ok(result.rows_affected())
}
