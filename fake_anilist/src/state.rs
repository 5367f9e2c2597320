//! What the handlers share: the catalog, the fake users, OAuth's codes and tokens, the
//! request counter and the knobs tests turn.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tokio::sync::watch;

use crate::catalog::Catalog;
use crate::fault::Fault;
use crate::oauth::OAuth;
use crate::rate_limit::{Admission, RateLimiter, DEFAULT_PER_MINUTE};
use crate::users::Users;

/// Where two locks are held at once, `catalog` is taken before `users`.
pub(crate) struct Shared {
    pub(crate) catalog: RwLock<Catalog>,
    users: Mutex<Users>,
    oauth: Mutex<OAuth>,
    requests: AtomicUsize,
    /// GraphQL requests per operation (see `graphql::Operation::name`), faulted ones included.
    operations: Mutex<BTreeMap<&'static str, usize>>,
    knobs: Mutex<Knobs>,
    shutdown: watch::Receiver<bool>,
}

struct Knobs {
    fault: Option<Fault>,
    one_shot: Option<OneShotFault>,
    latency: Duration,
    limiter: RateLimiter,
}

struct OneShotFault {
    remaining: usize,
    fault: Fault,
}

/// How one GraphQL request is to be answered, decided atomically when it arrives.
pub(crate) struct RequestPlan {
    pub(crate) admission: Admission,
    pub(crate) fault: Option<Fault>,
    pub(crate) latency: Duration,
    pub(crate) per_minute: u32,
}

impl Knobs {
    fn new() -> Self {
        Self {
            fault: None,
            one_shot: None,
            latency: Duration::ZERO,
            limiter: RateLimiter::new(DEFAULT_PER_MINUTE),
        }
    }
}

impl Shared {
    pub(crate) fn new(catalog: Catalog, shutdown: watch::Receiver<bool>) -> Self {
        Self {
            catalog: RwLock::new(catalog),
            users: Mutex::new(Users::new()),
            oauth: Mutex::new(OAuth::new()),
            requests: AtomicUsize::new(0),
            operations: Mutex::new(BTreeMap::new()),
            knobs: Mutex::new(Knobs::new()),
            shutdown,
        }
    }

    // A panicking test thread must not make the fake unusable for the rest of the run.
    fn knobs(&self) -> MutexGuard<'_, Knobs> {
        self.knobs.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn users(&self) -> MutexGuard<'_, Users> {
        self.users.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn oauth(&self) -> MutexGuard<'_, OAuth> {
        self.oauth.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn request_count(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    fn operations(&self) -> MutexGuard<'_, BTreeMap<&'static str, usize>> {
        self.operations
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn count_operation(&self, operation: &'static str) {
        *self.operations().entry(operation).or_default() += 1;
    }

    pub(crate) fn operation_counts(&self) -> BTreeMap<String, usize> {
        self.operations()
            .iter()
            .map(|(operation, count)| ((*operation).to_owned(), *count))
            .collect()
    }

    /// Users, their lists and tokens stay, so a reset between test steps keeps a signed-in
    /// client signed in.
    pub(crate) fn reset(&self) {
        let mut knobs = self.knobs();
        let per_minute = knobs.limiter.per_minute();
        *knobs = Knobs::new();
        knobs.limiter = RateLimiter::new(per_minute);
        self.requests.store(0, Ordering::SeqCst);
        self.operations().clear();
        self.users().clear_mutations();
    }

    pub(crate) fn set_latency(&self, latency: Duration) {
        self.knobs().latency = latency;
    }

    pub(crate) fn set_fault(&self, fault: Option<Fault>) {
        self.knobs().fault = fault;
    }

    pub(crate) fn fail_next(&self, requests: usize, fault: Fault) {
        self.knobs().one_shot = Some(OneShotFault {
            remaining: requests,
            fault,
        });
    }

    pub(crate) fn set_rate_limit(&self, per_minute: u32) {
        self.knobs().limiter = RateLimiter::new(per_minute);
    }

    /// Counts the request, charges it to the rate-limit window and picks its fault.
    pub(crate) fn plan_request(&self) -> RequestPlan {
        self.requests.fetch_add(1, Ordering::SeqCst);
        let mut knobs = self.knobs();
        let admission = knobs.limiter.admit(Instant::now(), unix_now());
        let one_shot = match &mut knobs.one_shot {
            Some(pending) if pending.remaining > 0 => {
                pending.remaining -= 1;
                Some(pending.fault)
            }
            _ => None,
        };
        RequestPlan {
            admission,
            fault: one_shot.or(knobs.fault),
            latency: knobs.latency,
            per_minute: knobs.limiter.per_minute(),
        }
    }

    /// Sleeps for `duration` unless the server stops first; answers whether it slept in full.
    pub(crate) async fn sleep_unless_stopping(&self, duration: Duration) -> bool {
        if duration.is_zero() {
            return true;
        }
        let mut shutdown = self.shutdown.clone();
        tokio::select! {
            () = tokio::time::sleep(duration) => true,
            _ = shutdown.wait_for(|stopping| *stopping) => false,
        }
    }
}

pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}
