//! The one mutable clock of the tests.

use std::sync::{Mutex, PoisonError};

use kernel::{Clock, SystemClock};
use time::OffsetDateTime;

/// A clock the test moves by hand: either standing still until moved (context tests, where
/// every instant is chosen), or running with real time plus the moves (a whole server, whose
/// workers wait for time to pass).
#[derive(Debug)]
pub struct TestClock(Mutex<Reading>);

#[derive(Debug, Clone, Copy)]
enum Reading {
    Stopped(OffsetDateTime),
    Running { ahead: time::Duration },
}

impl TestClock {
    /// Stands at `at` until moved.
    pub fn starting_at(at: OffsetDateTime) -> Self {
        Self(Mutex::new(Reading::Stopped(at)))
    }

    /// The real time, until moved.
    pub fn running() -> Self {
        Self(Mutex::new(Reading::Running {
            ahead: time::Duration::ZERO,
        }))
    }

    /// Moves the clock on (or back, with a negative duration).
    pub fn advance(&self, by: time::Duration) {
        let mut reading = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        *reading = match *reading {
            Reading::Stopped(at) => Reading::Stopped(at + by),
            Reading::Running { ahead } => Reading::Running { ahead: ahead + by },
        };
    }
}

impl Clock for TestClock {
    fn now(&self) -> OffsetDateTime {
        match *self.0.lock().unwrap_or_else(PoisonError::into_inner) {
            Reading::Stopped(at) => at,
            Reading::Running { ahead } => SystemClock.now() + ahead,
        }
    }
}
