//! The state every handler shares.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cchc_catalogue::Catalogue;
use cchc_periods::WindowRule;
use cchc_storage::Store;

pub struct AppState {
    pub store: Arc<dyn Store>,
    /// The catalogue the forms follow (the default one; a province variant would be loaded here).
    pub catalogue: Catalogue,
    pub rule: WindowRule,
    pub limiter: LoginLimiter,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, catalogue: Catalogue) -> AppState {
        AppState { store, catalogue, rule: WindowRule::default(), limiter: LoginLimiter::default() }
    }
}

/// Failed login attempts per username and address, to slow down password guessing.
#[derive(Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl LoginLimiter {
    /// At most this many failures within [`Self::WINDOW`] before attempts are refused.
    pub const MAX_FAILURES: usize = 5;
    pub const WINDOW: Duration = Duration::from_secs(15 * 60);

    /// `Some(wait)` when the key is blocked, with the time until the oldest failure expires.
    pub fn blocked(&self, key: &str) -> Option<Duration> {
        let mut map = self.failures.lock().expect("limiter lock");
        let list = map.entry(key.to_string()).or_default();
        let now = Instant::now();
        list.retain(|t| now.duration_since(*t) < Self::WINDOW);
        (list.len() >= Self::MAX_FAILURES).then(|| Self::WINDOW - now.duration_since(list[0]))
    }

    pub fn record_failure(&self, key: &str) {
        self.failures.lock().expect("limiter lock").entry(key.to_string()).or_default().push(Instant::now());
    }

    pub fn clear(&self, key: &str) {
        self.failures.lock().expect("limiter lock").remove(key);
    }
}
