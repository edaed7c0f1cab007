//! Pacing calls to Cognito's per-pool quotas. Cognito caps each operation on
//! a pool's resources (DescribeUserPoolClient, CreateUserPoolClient, ...) at
//! 5 calls a second per pool and answers more with TooManyRequestsException,
//! which the SDK retries only a few times: a pool with a few dozen clients,
//! read or written all at once, would fail half-way. So poolctl keeps to the
//! quota itself: a short burst goes at once, the rest at the quota's rate.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant};

/// Calls of one operation a second, per pool.
pub const PER_POOL_RATE: u32 = 5;

/// A token bucket, kept as the time the next call is due (GCRA): `burst`
/// calls may start at once, then one every `interval`.
#[derive(Debug)]
pub struct Pacer {
    interval: Duration,
    /// How far ahead of the schedule a call may start: the burst.
    tolerance: Duration,
    due: Mutex<Instant>,
}

impl Pacer {
    pub fn new(per_second: u32, burst: u32) -> Self {
        let interval = Duration::from_secs(1) / per_second.max(1);
        Pacer {
            interval,
            tolerance: interval * burst.saturating_sub(1),
            due: Mutex::new(Instant::now()),
        }
    }

    /// Waits until one more call keeps within the rate.
    pub async fn wait(&self) {
        let start = {
            let mut due = self.due.lock().expect("the pacer's lock is never poisoned");
            let now = Instant::now();
            let slot = (*due).max(now);
            *due = slot + self.interval;
            slot.checked_sub(self.tolerance).map_or(now, |s| s.max(now))
        };
        tokio::time::sleep_until(start.into()).await;
    }
}

/// A pool id and an operation.
type Key = (String, &'static str);

/// The pacer for one operation on one pool, shared by everything in this
/// process that calls it.
pub fn per_pool(pool_id: &str, operation: &'static str) -> Arc<Pacer> {
    static PACERS: LazyLock<Mutex<HashMap<Key, Arc<Pacer>>>> = LazyLock::new(Mutex::default);
    PACERS
        .lock()
        .expect("the pacers' lock is never poisoned")
        .entry((pool_id.to_string(), operation))
        .or_insert_with(|| Arc::new(Pacer::new(PER_POOL_RATE, PER_POOL_RATE)))
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_burst_then_the_rate() {
        // 5 at once, then one every 20ms: the 8th starts 60ms in.
        let pacer = Pacer::new(50, 5);
        let begin = Instant::now();
        let mut starts = Vec::new();
        for _ in 0..8 {
            pacer.wait().await;
            starts.push(begin.elapsed());
        }
        assert!(starts[4] < Duration::from_millis(60), "{starts:?}");
        assert!(starts[5] >= Duration::from_millis(19), "{starts:?}");
        assert!(starts[7] >= Duration::from_millis(59), "{starts:?}");
        assert!(starts[7] < Duration::from_millis(200), "{starts:?}");
    }

    #[test]
    fn one_pacer_per_pool_and_operation() {
        let a = per_pool("us-east-1_a", "DescribeUserPoolClient");
        assert!(Arc::ptr_eq(
            &a,
            &per_pool("us-east-1_a", "DescribeUserPoolClient")
        ));
        assert!(!Arc::ptr_eq(
            &a,
            &per_pool("us-east-1_b", "DescribeUserPoolClient")
        ));
        assert!(!Arc::ptr_eq(
            &a,
            &per_pool("us-east-1_a", "CreateUserPoolClient")
        ));
    }
}
