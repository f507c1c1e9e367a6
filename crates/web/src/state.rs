//! The state every handler shares.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cchc_app::App;
use cchc_calendar::WorkCalendar;
use cchc_catalogue::Catalogue;
use cchc_storage::Store;

/// The application's use cases and caches ([`cchc_app::App`], which handlers reach through
/// `Deref`), plus what only the web needs: the login limiter.
pub struct AppState {
    pub app: App,
    pub limiter: LoginLimiter,
}

impl std::ops::Deref for AppState {
    type Target = App;
    fn deref(&self) -> &App {
        &self.app
    }
}

impl AppState {
    /// State with the given catalogue in force and the shipped calendar (tests).
    pub fn new(store: Arc<dyn Store>, catalogue: Catalogue) -> AppState {
        AppState { app: App::with(store, catalogue, WorkCalendar::vietnam()), limiter: LoginLimiter::default() }
    }

    /// State with the catalogue and calendar in force in the store.
    pub async fn load(store: Arc<dyn Store>) -> Result<AppState, cchc_app::Error> {
        Ok(AppState { app: App::load(store).await?, limiter: LoginLimiter::default() })
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
