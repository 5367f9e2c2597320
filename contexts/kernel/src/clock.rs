use time::OffsetDateTime;

/// The one source of "now", so rules about expiry and throttling are testable.
pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> OffsetDateTime;
}

/// The real clock, truncated to microseconds because PostgreSQL stores no finer.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        let now = OffsetDateTime::now_utc();
        let micros = now.microsecond();
        now.replace_microsecond(micros).unwrap_or(now)
    }
}
