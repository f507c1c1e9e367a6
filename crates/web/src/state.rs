//! The state every handler shares.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cchc_app::App;
use cchc_calendar::WorkCalendar;
use cchc_catalogue::Catalogue;
use cchc_storage::Store;

/// The application's use cases and caches ([`cchc_app::App`], which handlers reach through
/// `Deref`), plus what only the web needs: the login limiter, the request counters of
/// `/metrics`, the proxies whose `X-Forwarded-For` is believed, and the body limits.
pub struct AppState {
    pub app: App,
    pub limiter: LoginLimiter,
    pub(crate) metrics: crate::ops::Metrics,
    /// The addresses or networks of the reverse proxies in front of the server (`cchc serve
    /// --trusted-proxy`): only a connection from one of them has its client taken from
    /// `X-Forwarded-For` ([`crate::auth::client_ip`]). Empty: the connection's address is the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The limits of the process (the body sizes are read per request).
    pub limits: crate::Limits,
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
        AppState::of(App::with(store, catalogue, WorkCalendar::vietnam()))
    }

    /// State with the catalogue and calendar in force in the store.
    pub async fn load(store: Arc<dyn Store>) -> Result<AppState, cchc_app::Error> {
        Ok(AppState::of(App::load(store).await?))
    }

    fn of(app: App) -> AppState {
        AppState {
            app,
            limiter: LoginLimiter::default(),
            metrics: crate::ops::Metrics::default(),
            trusted_proxies: Vec::new(),
            limits: crate::Limits::default(),
        }
    }
}

/// Failed login attempts per key (a user name and address, or an address alone), to slow down
/// password guessing.
#[derive(Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl LoginLimiter {
    /// At most this many failures of a user name from an address within [`Self::WINDOW`]
    /// before its attempts are refused.
    pub const MAX_FAILURES: usize = 5;
    /// At most this many failures from an address, whatever the user names (one password tried
    /// across many accounts); an office behind one address still has room for its typos.
    pub const MAX_FAILURES_PER_ADDRESS: usize = 20;
    pub const WINDOW: Duration = Duration::from_secs(15 * 60);

    /// `Some(wait)` when the key has `max` failures within the window, with the time until the
    /// oldest expires. Keys without failures take no memory.
    pub fn blocked(&self, key: &str, max: usize) -> Option<Duration> {
        let mut map = self.failures.lock().expect("limiter lock");
        let list = map.get_mut(key)?;
        let now = Instant::now();
        list.retain(|t| now.duration_since(*t) < Self::WINDOW);
        if list.is_empty() {
            map.remove(key);
            return None;
        }
        (list.len() >= max).then(|| Self::WINDOW - now.duration_since(list[0]))
    }

    pub fn record_failure(&self, key: &str) {
        let mut map = self.failures.lock().expect("limiter lock");
        let now = Instant::now();
        // Forget keys whose failures have all expired, so the map stays as small as the attacks.
        if map.len() > 10_000 {
            map.retain(|_, list| list.last().is_some_and(|t| now.duration_since(*t) < Self::WINDOW));
        }
        map.entry(key.to_string()).or_default().push(now);
    }

    pub fn clear(&self, key: &str) {
        self.failures.lock().expect("limiter lock").remove(key);
    }
}
