//! AniList's limiter as the fake models it: fixed 60-second windows; once a client goes over,
//! every request is refused until the window ends.

use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);
/// AniList's nominal limit (docs: `guide/rate-limiting.md`).
pub(crate) const DEFAULT_PER_MINUTE: u32 = 90;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Admission {
    Allowed {
        remaining: u32,
    },
    Limited {
        retry_after_seconds: u64,
        reset_at_unix: u64,
    },
}

#[derive(Debug)]
pub(crate) struct RateLimiter {
    per_minute: u32,
    window_started: Instant,
    used: u32,
}

impl RateLimiter {
    pub(crate) fn new(per_minute: u32) -> Self {
        Self {
            per_minute,
            window_started: Instant::now(),
            used: 0,
        }
    }

    pub(crate) fn per_minute(&self) -> u32 {
        self.per_minute
    }

    pub(crate) fn admit(&mut self, now: Instant, now_unix: u64) -> Admission {
        let elapsed = now.saturating_duration_since(self.window_started);
        if elapsed >= WINDOW {
            self.window_started = now;
            self.used = 0;
        }
        if self.used >= self.per_minute {
            let left = WINDOW.saturating_sub(now.saturating_duration_since(self.window_started));
            // Round up: a client that waits `Retry-After` seconds must land in the next window.
            let retry_after_seconds = left.as_secs() + u64::from(left.subsec_nanos() > 0);
            return Admission::Limited {
                retry_after_seconds: retry_after_seconds.max(1),
                reset_at_unix: now_unix + retry_after_seconds.max(1),
            };
        }
        self.used += 1;
        Admission::Allowed {
            remaining: self.per_minute - self.used,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_for_the_rest_of_the_window_then_allows_again() {
        let mut limiter = RateLimiter::new(2);
        let start = Instant::now();
        assert_eq!(
            limiter.admit(start, 1_000),
            Admission::Allowed { remaining: 1 }
        );
        assert_eq!(
            limiter.admit(start, 1_000),
            Admission::Allowed { remaining: 0 }
        );
        assert!(matches!(
            limiter.admit(start + Duration::from_secs(20), 1_020),
            Admission::Limited {
                retry_after_seconds: 40,
                reset_at_unix: 1_060
            }
        ));
        assert_eq!(
            limiter.admit(start + Duration::from_secs(61), 1_061),
            Admission::Allowed { remaining: 1 }
        );
    }
}
