//! Login throttling, the shape OWASP recommends: failures are counted per account and client
//! address (the attacker at their keyboard), per client address (one machine trying many
//! accounts) and per account (many machines trying one). Each counter, once at its limit,
//! blocks for a while that doubles with every further failure. The account-wide counter
//! blocks only briefly: a stranger can slow the owner down but not lock them out.
//!
//! An attempt is counted *before* its password is checked and forgiven when it succeeds, so
//! a burst of concurrent attempts cannot all slip past a limit while none has failed yet.

use kernel::rate_limit::whole_seconds_up;
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

/// Which counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// One account from one client address.
    AccountAndAddress,
    /// Every account from one client address.
    Address,
    /// One account from every client address.
    Account,
}

impl Scope {
    pub const ALL: [Self; 3] = [Self::AccountAndAddress, Self::Address, Self::Account];

    /// The stored name (`identity.login_throttle.scope`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AccountAndAddress => "account_address",
            Self::Address => "address",
            Self::Account => "account",
        }
    }

    /// The counter's key for an attempt on `email` from `address`: a SHA-256, so the table
    /// holds no addresses or typed emails, and whatever was typed fits.
    pub fn subject(self, email: &str, address: &str) -> Vec<u8> {
        let key = match self {
            Self::AccountAndAddress => format!("{email}\n{address}"),
            Self::Address => address.to_owned(),
            Self::Account => email.to_owned(),
        };
        Sha256::digest(key.as_bytes()).to_vec()
    }
}

/// How many failures a counter takes before it blocks, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub failures: u32,
    /// The block once the counter reaches `failures`, doubled for each failure beyond.
    pub first_block: Duration,
    pub longest_block: Duration,
}

impl Limit {
    /// How long a counter holding `failures` blocks (nothing below the limit).
    fn block_for(self, failures: u32) -> Option<Duration> {
        let beyond = failures.checked_sub(self.failures)?;
        // 2^beyond, without overflowing: past 2^20 the cap has long been reached.
        let factor = 1_i32 << beyond.min(20);
        Some(
            self.first_block
                .checked_mul(factor)
                .map_or(self.longest_block, |block| block.min(self.longest_block)),
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginThrottle {
    /// A counter with no attempt for this long starts again from zero.
    pub quiet_period: Duration,
    pub per_account_and_address: Limit,
    pub per_address: Limit,
    pub per_account: Limit,
}

impl Default for LoginThrottle {
    /// 5 guesses per account and address, then 1, 2, 4 … up to 15 minutes; 100 failures per
    /// address (a household or an office behind one address), then the same; 20 per account
    /// from anywhere, then 10, 20, 40 seconds up to a minute.
    fn default() -> Self {
        Self {
            quiet_period: Duration::minutes(15),
            per_account_and_address: Limit {
                failures: 5,
                first_block: Duration::minutes(1),
                longest_block: Duration::minutes(15),
            },
            per_address: Limit {
                failures: 100,
                first_block: Duration::minutes(1),
                longest_block: Duration::minutes(15),
            },
            per_account: Limit {
                failures: 20,
                first_block: Duration::seconds(10),
                longest_block: Duration::minutes(1),
            },
        }
    }
}

/// One counter as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counter {
    pub failures: u32,
    pub last_attempt_at: OffsetDateTime,
    pub blocked_until: Option<OffsetDateTime>,
}

/// What the throttle says to one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Check the password; the counters to store meanwhile (the attempt counted as failed).
    Allowed([(Scope, Counter); 3]),
    /// Refused without checking and without counting.
    Refused { retry_after_seconds: u64 },
}

impl LoginThrottle {
    fn limit(&self, scope: Scope) -> Limit {
        match scope {
            Scope::AccountAndAddress => self.per_account_and_address,
            Scope::Address => self.per_address,
            Scope::Account => self.per_account,
        }
    }

    /// Decides an attempt from its three counters (`None`: never counted).
    pub fn attempt(
        &self,
        counters: [(Scope, Option<Counter>); 3],
        now: OffsetDateTime,
    ) -> Decision {
        let wait = counters
            .iter()
            .filter_map(|(_, counter)| counter.and_then(|c| c.blocked_until))
            .filter(|until| *until > now)
            .map(|until| until - now)
            .max();
        if let Some(wait) = wait {
            return Decision::Refused {
                retry_after_seconds: whole_seconds_up(wait),
            };
        }
        Decision::Allowed(counters.map(|(scope, counter)| {
            let earlier = counter
                .filter(|c| now - c.last_attempt_at < self.quiet_period)
                .map_or(0, |c| c.failures);
            let failures = earlier.saturating_add(1);
            let blocked_until = self
                .limit(scope)
                .block_for(failures)
                .map(|block| now + block);
            (
                scope,
                Counter {
                    failures,
                    last_attempt_at: now,
                    blocked_until,
                },
            )
        }))
    }

    /// The counter after an allowed attempt on it succeeded: the account's own counters
    /// start again (`None`: forget them); the address's forgives this one attempt.
    pub fn succeeded(&self, scope: Scope, counter: Counter) -> Option<Counter> {
        match scope {
            Scope::AccountAndAddress | Scope::Account => None,
            Scope::Address => {
                let failures = counter.failures.saturating_sub(1);
                let blocked_until = self
                    .limit(scope)
                    .block_for(failures)
                    .and(counter.blocked_until);
                Some(Counter {
                    failures,
                    blocked_until,
                    ..counter
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-12-03 12:00 UTC);

    fn fresh() -> [(Scope, Option<Counter>); 3] {
        Scope::ALL.map(|scope| (scope, None))
    }

    fn stored(decision: Decision) -> [(Scope, Option<Counter>); 3] {
        match decision {
            Decision::Allowed(counters) => counters.map(|(scope, c)| (scope, Some(c))),
            Decision::Refused { .. } => panic!("refused"),
        }
    }

    #[test]
    fn the_fifth_guess_is_the_last_before_a_block_that_doubles() {
        let throttle = LoginThrottle::default();
        let mut counters = fresh();
        for _ in 0..5 {
            counters = stored(throttle.attempt(counters, NOW));
        }
        assert_eq!(
            throttle.attempt(counters, NOW),
            Decision::Refused {
                retry_after_seconds: 60
            }
        );
        // After the block, one more guess; failing it blocks twice as long.
        let later = NOW + Duration::minutes(1);
        counters = stored(throttle.attempt(counters, later));
        assert_eq!(
            throttle.attempt(counters, later),
            Decision::Refused {
                retry_after_seconds: 120
            }
        );
    }

    #[test]
    fn blocks_never_exceed_their_longest() {
        let limit = LoginThrottle::default().per_account_and_address;
        assert_eq!(limit.block_for(4), None);
        assert_eq!(limit.block_for(5), Some(Duration::minutes(1)));
        assert_eq!(limit.block_for(8), Some(Duration::minutes(8)));
        assert_eq!(limit.block_for(9), Some(Duration::minutes(15)));
        assert_eq!(limit.block_for(u32::MAX), Some(Duration::minutes(15)));
        let account = LoginThrottle::default().per_account;
        assert_eq!(account.block_for(u32::MAX), Some(Duration::minutes(1)));
    }

    #[test]
    fn a_quiet_period_forgets_the_failures() {
        let throttle = LoginThrottle::default();
        let mut counters = fresh();
        for _ in 0..4 {
            counters = stored(throttle.attempt(counters, NOW));
        }
        let counters = stored(throttle.attempt(counters, NOW + Duration::minutes(15)));
        assert!(counters
            .iter()
            .all(|(_, c)| c.is_some_and(|c| c.failures == 1)));
    }

    #[test]
    fn a_success_forgives_the_account_and_the_one_attempt_of_the_address() {
        let throttle = LoginThrottle::default();
        let counter = Counter {
            failures: 100,
            last_attempt_at: NOW,
            blocked_until: Some(NOW + Duration::minutes(1)),
        };
        assert_eq!(throttle.succeeded(Scope::Account, counter), None);
        assert_eq!(throttle.succeeded(Scope::AccountAndAddress, counter), None);
        assert_eq!(
            throttle.succeeded(Scope::Address, counter),
            Some(Counter {
                failures: 99,
                last_attempt_at: NOW,
                blocked_until: None
            })
        );
    }

    #[test]
    fn refusals_are_not_counted_and_wait_for_the_longest_block() {
        let throttle = LoginThrottle::default();
        let blocked = |seconds| Counter {
            failures: 5,
            last_attempt_at: NOW,
            blocked_until: Some(NOW + Duration::seconds(seconds)),
        };
        let counters = [
            (Scope::AccountAndAddress, Some(blocked(30))),
            (Scope::Address, None),
            (Scope::Account, Some(blocked(45))),
        ];
        assert_eq!(
            throttle.attempt(counters, NOW + Duration::milliseconds(500)),
            Decision::Refused {
                retry_after_seconds: 45
            }
        );
    }
}
