//! Concurrent callers asking the same thing share one call: the first runs it, the others
//! wait for its outcome. Once it has finished, the next caller starts a new call.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::OnceCell;

/// In-flight calls by key.
pub(crate) struct SingleFlight<K, V> {
    flights: Mutex<HashMap<K, Arc<OnceCell<V>>>>,
}

impl<K, V> Default for SingleFlight<K, V> {
    fn default() -> Self {
        Self {
            flights: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: Eq + Hash + Clone, V: Clone> SingleFlight<K, V> {
    /// `work`'s outcome, or that of the call already running for `key`. Should the caller
    /// running the call be cancelled, one of the waiting callers runs `work` instead.
    pub(crate) async fn run<F, Fut>(&self, key: K, work: F) -> V
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = V>,
    {
        let flight = Arc::clone(self.flights().entry(key.clone()).or_default());
        let outcome = flight.get_or_init(work).await.clone();
        let mut flights = self.flights();
        if flights
            .get(&key)
            .is_some_and(|current| Arc::ptr_eq(current, &flight))
        {
            flights.remove(&key);
        }
        outcome
    }

    fn flights(&self) -> MutexGuard<'_, HashMap<K, Arc<OnceCell<V>>>> {
        self.flights.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[tokio::test]
    async fn concurrent_callers_share_one_call_and_later_ones_start_another() {
        let flights = Arc::new(SingleFlight::<&str, usize>::default());
        let calls = Arc::new(AtomicUsize::new(0));
        let work = |calls: Arc<AtomicUsize>| async move {
            tokio::time::sleep(Duration::from_millis(50)).await;
            calls.fetch_add(1, Ordering::SeqCst) + 1
        };
        let callers: Vec<_> = (0..50)
            .map(|_| {
                let flights = Arc::clone(&flights);
                let calls = Arc::clone(&calls);
                tokio::spawn(async move { flights.run("frieren", || work(calls)).await })
            })
            .collect();
        for caller in callers {
            assert_eq!(caller.await.unwrap(), 1);
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);

        assert_eq!(flights.run("frieren", || work(Arc::clone(&calls))).await, 2);
        assert_eq!(flights.run("other", || work(Arc::clone(&calls))).await, 3);
        assert!(flights.flights().is_empty());
    }

    #[tokio::test]
    async fn a_cancelled_caller_hands_the_call_to_a_waiting_one() {
        let flights = Arc::new(SingleFlight::<u8, &str>::default());
        let first = {
            let flights = Arc::clone(&flights);
            tokio::spawn(async move {
                flights
                    .run(1, || async {
                        tokio::time::sleep(Duration::from_secs(60)).await;
                        "never"
                    })
                    .await
            })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        let second = {
            let flights = Arc::clone(&flights);
            tokio::spawn(async move { flights.run(1, || async { "second" }).await })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        first.abort();
        assert_eq!(second.await.unwrap(), "second");
    }
}
