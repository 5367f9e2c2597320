use time::{Duration, OffsetDateTime};

/// Limits on failed logins within a sliding window, per account and per client address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginThrottle {
    pub window: Duration,
    pub max_failures_per_account: u32,
    pub max_failures_per_address: u32,
}

impl Default for LoginThrottle {
    /// 5 failures per account, 20 per address (households share one), within 15 minutes.
    fn default() -> Self {
        Self {
            window: Duration::minutes(15),
            max_failures_per_account: 5,
            max_failures_per_address: 20,
        }
    }
}

impl LoginThrottle {
    /// Whole seconds until another attempt is allowed, given the time of the failure that
    /// would have to leave the window (the `max`-th most recent one), or `None` if allowed.
    pub fn retry_after_seconds(
        &self,
        limiting_failure: Option<OffsetDateTime>,
        now: OffsetDateTime,
    ) -> Option<u64> {
        let unblocked_at = limiting_failure? + self.window;
        let wait = unblocked_at - now;
        if wait <= Duration::ZERO {
            return None;
        }
        let seconds = wait.whole_seconds() + i64::from(wait.subsec_nanoseconds() > 0);
        u64::try_from(seconds).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn without_enough_recent_failures_logins_are_allowed() {
        let throttle = LoginThrottle::default();
        assert_eq!(
            throttle.retry_after_seconds(None, datetime!(2026-01-01 12:00 UTC)),
            None
        );
    }

    #[test]
    fn the_block_lifts_when_the_limiting_failure_leaves_the_window() {
        let throttle = LoginThrottle::default();
        let failure = datetime!(2026-01-01 12:00 UTC);
        assert_eq!(
            throttle.retry_after_seconds(Some(failure), failure + Duration::minutes(5)),
            Some(600)
        );
        assert_eq!(
            throttle.retry_after_seconds(
                Some(failure),
                failure + Duration::seconds(899) + Duration::milliseconds(1)
            ),
            Some(1)
        );
        assert_eq!(
            throttle.retry_after_seconds(Some(failure), failure + Duration::minutes(15)),
            None
        );
    }
}
