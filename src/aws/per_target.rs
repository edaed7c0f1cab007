//! `PerTarget`: a value made once per account and region in a run (its SDK
//! clients, a listing every pool there shares), however many ask at once.

use super::Target;
use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use tokio::sync::{Mutex, OnceCell};

/// One value per target. The first caller for a target makes it; callers
/// that ask meanwhile wait for it rather than making it again. A failed
/// attempt leaves nothing behind: the next caller tries again.
pub struct PerTarget<T> {
    cells: Mutex<HashMap<Target, Arc<OnceCell<T>>>>,
}

impl<T> Default for PerTarget<T> {
    fn default() -> Self {
        PerTarget {
            cells: Mutex::default(),
        }
    }
}

impl<T: Clone> PerTarget<T> {
    /// The target's value, made by `make` if no one has made it yet.
    pub async fn get_or_init<F, Fut>(&self, target: &Target, make: F) -> T
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = T>,
    {
        self.cell(target).await.get_or_init(make).await.clone()
    }

    /// The same for a value whose making can fail.
    pub async fn get_or_try_init<E, F, Fut>(&self, target: &Target, make: F) -> Result<T, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        self.cell(target).await.get_or_try_init(make).await.cloned()
    }

    /// The target's cell; the map's lock is held only to find it, never
    /// while a value is made.
    async fn cell(&self, target: &Target) -> Arc<OnceCell<T>> {
        let mut cells = self.cells.lock().await;
        cells.entry(target.clone()).or_default().clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn target(region: &str) -> Target {
        Target {
            profile: None,
            region: region.into(),
            role: None,
        }
    }

    #[tokio::test]
    async fn each_target_s_value_is_made_once_and_a_failure_is_not_kept() {
        let cache: PerTarget<usize> = PerTarget::default();
        let made = AtomicUsize::new(0);
        let make = || async {
            tokio::task::yield_now().await;
            anyhow::Ok(made.fetch_add(1, Ordering::SeqCst))
        };
        let east = target("us-east-1");
        let (a, b) = tokio::join!(
            cache.get_or_try_init(&east, make),
            cache.get_or_try_init(&east, make),
        );
        assert_eq!((a.unwrap(), b.unwrap()), (0, 0));
        let failed = cache
            .get_or_try_init(&target("eu-west-1"), || async {
                anyhow::bail!("no answer")
            })
            .await;
        assert!(failed.is_err());
        let west = cache.get_or_try_init(&target("eu-west-1"), make).await;
        assert_eq!(west.unwrap(), 1);
        assert_eq!(cache.get_or_init(&east, || async { 99 }).await, 0);
    }
}
