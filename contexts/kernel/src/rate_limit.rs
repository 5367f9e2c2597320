//! Rate limits shared by every server instance, kept in PostgreSQL (feature `db`): the
//! generic cell rate algorithm (GCRA), one row per bucket and subject holding the moment the
//! subject's next request would be "on schedule". Taking a slot is one statement, so
//! concurrent requests cannot both slip through the last one. Each context keeps its own
//! table of this shape:
//!
//! ```sql
//! CREATE TABLE <schema>.rate_limits (
//!     bucket                  text NOT NULL,
//!     subject                 bytea NOT NULL,
//!     theoretical_arrival_utc timestamptz NOT NULL,
//!     PRIMARY KEY (bucket, subject)
//! );
//! ```

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};
use time::{Duration, OffsetDateTime};

/// At most `burst` requests at once, refilled evenly: `burst` per `period` sustained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub burst: u32,
    pub period: Duration,
}

impl Rate {
    pub fn per_hour(burst: u32) -> Self {
        Self {
            burst,
            period: Duration::HOUR,
        }
    }

    pub fn per_minute(burst: u32) -> Self {
        Self {
            burst,
            period: Duration::MINUTE,
        }
    }

    /// The refill time of one request, in whole microseconds (PostgreSQL's precision).
    fn interval(self) -> Duration {
        Duration::microseconds(micros(self.period / self.burst.max(1)))
    }

    /// How far ahead of schedule a subject may run: the burst beyond the first request.
    fn tolerance(self) -> Duration {
        self.interval() * self.burst.saturating_sub(1)
    }
}

/// A context's rate-limit table (schema-qualified, written by the context itself: never
/// user input).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    pub table: &'static str,
}

/// A request over its limit, and when the next one would be allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limited {
    pub retry_after_seconds: u64,
}

impl RateLimits {
    /// Takes one request of `subject` in `bucket` at `rate`.
    ///
    /// # Errors
    /// `Ok(Err(Limited))` when over the limit (nothing is counted); `Err` when PostgreSQL
    /// fails.
    pub async fn take(
        self,
        db: &impl ConnectionTrait,
        bucket: &str,
        subject: &[u8],
        rate: Rate,
        now: OffsetDateTime,
    ) -> Result<Result<(), Limited>, DbErr> {
        let table = self.table;
        // PostgreSQL keeps microseconds: reckoning in nanoseconds, a wait could come out a
        // fraction longer than the rate allows (and round up to a second more).
        let now = now - Duration::nanoseconds(i64::from(now.nanosecond() % 1_000));
        let interval = micros(rate.interval());
        let latest_allowed = now + rate.tolerance();
        let taken = db
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                format!(
                    "INSERT INTO {table} AS l (bucket, subject, theoretical_arrival_utc) \
                     VALUES ($1, $2, $3 + $4 * interval '1 microsecond') \
                     ON CONFLICT (bucket, subject) DO UPDATE \
                        SET theoretical_arrival_utc = \
                            GREATEST(l.theoretical_arrival_utc, $3) + $4 * interval '1 microsecond' \
                      WHERE l.theoretical_arrival_utc <= $5 \
                     RETURNING theoretical_arrival_utc"
                ),
                [
                    bucket.into(),
                    subject.to_vec().into(),
                    now.into(),
                    interval.into(),
                    latest_allowed.into(),
                ],
            ))
            .await?;
        if taken.is_some() {
            return Ok(Ok(()));
        }
        let scheduled: Option<OffsetDateTime> = db
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                format!(
                    "SELECT theoretical_arrival_utc FROM {table} WHERE bucket = $1 AND subject = $2"
                ),
                [bucket.into(), subject.to_vec().into()],
            ))
            .await?
            .map(|row| row.try_get_by_index(0))
            .transpose()?;
        // At most one refill: a concurrent request that read the clock a moment later may
        // have moved the schedule on from its own, later `now`.
        let wait = scheduled
            .map_or(Duration::ZERO, |at| at - latest_allowed)
            .min(rate.interval());
        Ok(Err(Limited {
            retry_after_seconds: whole_seconds_up(wait),
        }))
    }

    /// Forgets the subjects back on schedule, which are as if never seen.
    ///
    /// # Errors
    /// When PostgreSQL fails.
    pub async fn prune(self, db: &impl ConnectionTrait, now: OffsetDateTime) -> Result<u64, DbErr> {
        let table = self.table;
        let result = db
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                format!("DELETE FROM {table} WHERE theoretical_arrival_utc <= $1"),
                [now.into()],
            ))
            .await?;
        Ok(result.rows_affected())
    }
}

fn micros(duration: Duration) -> i64 {
    i64::try_from(duration.whole_microseconds()).unwrap_or(i64::MAX)
}

/// A wait in whole seconds, rounded up, at least one (a `Retry-After` of 0 invites a retry
/// that would be refused again).
pub fn whole_seconds_up(wait: Duration) -> u64 {
    let seconds = wait.whole_seconds() + i64::from(wait.subsec_nanoseconds() > 0);
    u64::try_from(seconds).unwrap_or(0).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_refills_one_request_per_interval_after_its_burst() {
        let rate = Rate::per_hour(10);
        assert_eq!(rate.interval(), Duration::minutes(6));
        assert_eq!(rate.tolerance(), Duration::minutes(54));
        assert_eq!(Rate::per_minute(1).tolerance(), Duration::ZERO);
        // 60 s / 7, kept to the microsecond as PostgreSQL keeps it.
        assert_eq!(
            Rate::per_minute(7).interval(),
            Duration::microseconds(8_571_428)
        );
    }

    #[test]
    fn waits_round_up_to_at_least_a_second() {
        assert_eq!(whole_seconds_up(Duration::milliseconds(1)), 1);
        assert_eq!(whole_seconds_up(Duration::ZERO), 1);
        assert_eq!(whole_seconds_up(Duration::milliseconds(2_001)), 3);
    }
}
