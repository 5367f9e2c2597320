//! AniList's request budget, as pure arithmetic over instants the caller supplies.
//!
//! AniList allows `X-RateLimit-Limit` requests per minute (30 while degraded) plus an
//! undocumented burst limit, and answers with a one-minute lockout when either is exceeded.
//! The budget is a token bucket whose tokens come back exactly one window after they were
//! spent: it remembers when each recent request was (or will be) sent, so no sliding minute
//! ever holds more than the limit, and no two seconds more than a tenth of it.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// AniList counts requests per minute.
pub const WINDOW: Duration = Duration::from_secs(60);
/// The burst window: at most a tenth of the minute's budget in any two seconds.
pub const BURST_WINDOW: Duration = Duration::from_secs(2);
/// The most per minute we will ever believe AniList allows.
const MAX_LIMIT: u32 = 1_000;

/// The server-wide request budget.
#[derive(Debug)]
pub struct RateLimiter {
    limit: u32,
    /// Send times, oldest first; the newest may lie in the future (reserved slots).
    grants: VecDeque<Instant>,
    /// AniList said not to call before this.
    blocked_until: Option<Instant>,
}

impl RateLimiter {
    /// A budget of `requests_per_minute` (at least 1) until AniList's headers say otherwise.
    pub fn new(requests_per_minute: u32) -> Self {
        Self {
            limit: requests_per_minute.clamp(1, MAX_LIMIT),
            grants: VecDeque::new(),
            blocked_until: None,
        }
    }

    fn burst(&self) -> u32 {
        (self.limit / 10).max(1)
    }

    /// Reserves the earliest slot at which one request may be sent, if that is at most
    /// `max_wait` after `now`: the caller sleeps until the returned instant, then sends.
    ///
    /// # Errors
    /// How long until a slot frees up, when that is longer than `max_wait` (nothing is
    /// reserved then).
    pub fn reserve(&mut self, now: Instant, max_wait: Duration) -> Result<Instant, Duration> {
        while self
            .grants
            .front()
            .is_some_and(|sent| *sent + WINDOW <= now)
        {
            self.grants.pop_front();
        }
        let mut at = now;
        if let Some(until) = self.blocked_until {
            at = at.max(until);
        }
        // Slots are handed out in order, so the window ending at a new slot is the fullest.
        if let Some(last) = self.grants.back() {
            at = at.max(*last);
        }
        for (window, allowed) in [(WINDOW, self.limit), (BURST_WINDOW, self.burst())] {
            let allowed = usize::try_from(allowed).unwrap_or(usize::MAX);
            if let Some(index) = self.grants.len().checked_sub(allowed) {
                if let Some(oldest_counted) = self.grants.get(index) {
                    at = at.max(*oldest_counted + window);
                }
            }
        }
        let wait = at.saturating_duration_since(now);
        if wait > max_wait {
            return Err(wait);
        }
        self.grants.push_back(at);
        Ok(at)
    }

    /// Reserves a slot for background work (pushing list changes): only one that is free
    /// right now and leaves a quarter of the minute's budget to people, who wait for their
    /// searches. Background work never books a slot ahead, so it cannot delay a person.
    ///
    /// # Errors
    /// How long to wait before asking again, when no such slot is free.
    pub fn reserve_spare(&mut self, now: Instant) -> Result<Instant, Duration> {
        let headroom = usize::try_from(self.limit / 4).unwrap_or(usize::MAX);
        let allowed = usize::try_from(self.limit).unwrap_or(usize::MAX);
        let in_window = self
            .grants
            .iter()
            .filter(|sent| **sent + WINDOW > now)
            .count();
        if in_window + headroom >= allowed {
            // Wait for the oldest counted request to leave the window.
            let wait = self
                .grants
                .iter()
                .find(|sent| **sent + WINDOW > now)
                .map_or(BURST_WINDOW, |oldest| {
                    (*oldest + WINDOW).saturating_duration_since(now)
                });
            return Err(wait.max(Duration::from_millis(100)));
        }
        self.reserve(now, Duration::ZERO)
    }

    /// Adopts what AniList's `X-RateLimit-Limit` and `X-RateLimit-Remaining` headers said
    /// at `now`: the limit becomes AniList's, requests AniList counted that we did not
    /// (other instances, a restart) use up our budget too, and none left means none are
    /// sent for a whole window.
    pub fn observe(&mut self, now: Instant, limit: Option<u32>, remaining: Option<u32>) {
        if let Some(limit) = limit {
            self.limit = limit.clamp(1, MAX_LIMIT);
        }
        let Some(remaining) = remaining else {
            return;
        };
        if remaining == 0 {
            self.block_until(now + WINDOW);
            return;
        }
        let counted_by_anilist = self.limit.saturating_sub(remaining);
        let counted_here = self
            .grants
            .iter()
            .filter(|sent| **sent <= now && **sent + WINDOW > now)
            .count();
        let missing = usize::try_from(counted_by_anilist)
            .unwrap_or(usize::MAX)
            .saturating_sub(counted_here);
        if missing > 0 {
            let position = self.grants.partition_point(|sent| *sent <= now);
            for _ in 0..missing {
                self.grants.insert(position, now);
            }
        }
    }

    /// No request is sent before `until` (AniList's `Retry-After`).
    pub fn block_until(&mut self, until: Instant) {
        self.blocked_until = Some(self.blocked_until.map_or(until, |old| old.max(until)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const NO_WAIT: Duration = Duration::ZERO;

    fn secs(seconds: f64) -> Duration {
        Duration::from_secs_f64(seconds)
    }

    #[test]
    fn the_burst_is_a_tenth_of_the_minute_and_the_rest_waits() {
        let start = Instant::now();
        let mut limiter = RateLimiter::new(30);
        for _ in 0..3 {
            assert_eq!(limiter.reserve(start, NO_WAIT), Ok(start));
        }
        assert_eq!(limiter.reserve(start, NO_WAIT), Err(secs(2.0)));
        assert_eq!(limiter.reserve(start, secs(2.0)), Ok(start + secs(2.0)));
    }

    #[test]
    fn a_minute_never_holds_more_than_the_limit() {
        let start = Instant::now();
        let mut limiter = RateLimiter::new(30);
        let mut now = start;
        for _ in 0..30 {
            let at = limiter.reserve(now, Duration::from_secs(3600)).unwrap();
            now = at;
        }
        // The 31st request waits until the first one is a minute old.
        let at = limiter.reserve(now, Duration::from_secs(3600)).unwrap();
        assert_eq!(at, start + WINDOW);
    }

    #[test]
    fn headers_retune_the_limit_and_count_requests_made_elsewhere() {
        let start = Instant::now();
        let mut limiter = RateLimiter::new(30);
        limiter.observe(start, Some(90), Some(90));
        assert_eq!(limiter.limit, 90);

        limiter.observe(start, Some(30), Some(2));
        assert_eq!(limiter.limit, 30);
        // 28 requests counted by AniList now fill our minute: two more are allowed.
        let later = start + secs(10.0);
        assert!(limiter.reserve(later, NO_WAIT).is_ok());
        assert!(limiter.reserve(later, NO_WAIT).is_ok());
        assert_eq!(
            limiter.reserve(later, Duration::from_secs(120)),
            Ok(start + WINDOW)
        );
    }

    #[test]
    fn nothing_left_blocks_for_a_window_and_retry_after_blocks_until_then() {
        let start = Instant::now();
        let mut limiter = RateLimiter::new(30);
        limiter.observe(start, Some(30), Some(0));
        assert_eq!(limiter.reserve(start, NO_WAIT), Err(WINDOW));
        assert_eq!(
            limiter.reserve(start + secs(15.0), NO_WAIT),
            Err(secs(45.0))
        );

        let mut limiter = RateLimiter::new(30);
        limiter.block_until(start + secs(5.0));
        limiter.block_until(start + secs(1.0));
        assert_eq!(limiter.reserve(start, secs(2.0)), Err(secs(5.0)));
        assert_eq!(
            limiter.reserve(start + secs(5.0), NO_WAIT),
            Ok(start + secs(5.0))
        );
    }

    #[test]
    fn background_work_leaves_a_quarter_of_the_minute_to_people() {
        let start = Instant::now();
        let mut limiter = RateLimiter::new(40);
        let mut now = start;
        let mut background = 0;
        // Background slots are taken only when free at once (the burst allows 4 per 2 s).
        while now < start + secs(59.0) {
            if limiter.reserve_spare(now).is_ok() {
                background += 1;
            }
            now += secs(0.5);
        }
        assert_eq!(background, 30, "40 a minute, 10 kept for people");
        let wait = limiter.reserve_spare(now).unwrap_err();
        assert!(wait > Duration::ZERO);
        // People still get their quarter at once.
        for _ in 0..4 {
            assert!(limiter.reserve(now, secs(2.0)).is_ok());
        }
        // Blocked by AniList: background work waits like everyone.
        let mut blocked = RateLimiter::new(40);
        blocked.block_until(start + secs(30.0));
        assert_eq!(blocked.reserve_spare(start), Err(secs(30.0)));
    }

    fn sent_in_windows_at_most(sent: &[Instant], window: Duration, limit: usize) -> bool {
        sent.iter().all(|from| {
            sent.iter()
                .filter(|at| **at >= *from && **at < *from + window)
                .count()
                <= limit
        })
    }

    proptest! {
        /// A burst of 200 callers arriving at arbitrary moments, each willing to wait a
        /// little, never gets more than the limit into any minute or the burst into any
        /// two seconds.
        #[test]
        fn no_window_ever_holds_more_than_the_limit(
            limit in 1u32..=90,
            arrivals in proptest::collection::vec(0u64..120_000, 200),
            max_wait_ms in 0u64..5_000,
        ) {
            let start = Instant::now();
            let mut limiter = RateLimiter::new(limit);
            let mut arrivals = arrivals;
            arrivals.sort_unstable();
            let sent: Vec<Instant> = arrivals
                .iter()
                .filter_map(|ms| {
                    let now = start + Duration::from_millis(*ms);
                    limiter.reserve(now, Duration::from_millis(max_wait_ms)).ok()
                })
                .collect();
            prop_assert!(!sent.is_empty());
            prop_assert!(sent_in_windows_at_most(&sent, WINDOW, limit as usize));
            prop_assert!(sent_in_windows_at_most(
                &sent,
                BURST_WINDOW,
                (limit / 10).max(1) as usize
            ));
        }
    }
}
