//! The state every handler shares.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use cchc_calendar::WorkCalendar;
use cchc_catalogue::Catalogue;
use cchc_periods::WindowRule;
use cchc_storage::Store;

use crate::error::AppResult;

pub struct AppState {
    pub store: Arc<dyn Store>,
    /// The catalogue in force, which new reports follow; replaced when an administrator puts
    /// another version in force.
    catalogue: RwLock<Arc<Catalogue>>,
    /// Catalogues by reference, for reports made with another version (versions never change,
    /// so a cached one never goes stale).
    versions: Mutex<HashMap<String, Arc<Catalogue>>>,
    /// The working-day calendar in force; replaced when an administrator changes a year.
    calendar: RwLock<Arc<WorkCalendar>>,
    pub rule: WindowRule,
    pub limiter: LoginLimiter,
}

impl AppState {
    /// State with the given catalogue in force and the shipped calendar (tests).
    pub fn new(store: Arc<dyn Store>, catalogue: Catalogue) -> AppState {
        Self::with(store, catalogue, WorkCalendar::vietnam())
    }

    /// State with the catalogue and calendar in force in the store. One server process serves a
    /// province, so what its administrators change is swapped in here as they change it.
    pub async fn load(store: Arc<dyn Store>) -> anyhow::Result<AppState> {
        let catalogue = cchc_app::catalogues::in_force(store.as_ref()).await?;
        let calendar = cchc_app::calendar::work_calendar(store.as_ref()).await?;
        Ok(Self::with(store, catalogue, calendar))
    }

    fn with(store: Arc<dyn Store>, catalogue: Catalogue, calendar: WorkCalendar) -> AppState {
        AppState {
            store,
            catalogue: RwLock::new(Arc::new(catalogue)),
            versions: Mutex::default(),
            calendar: RwLock::new(Arc::new(calendar)),
            rule: WindowRule::default(),
            limiter: LoginLimiter::default(),
        }
    }

    /// The catalogue in force (new reports).
    pub fn catalogue(&self) -> Arc<Catalogue> {
        self.catalogue.read().expect("catalogue lock").clone()
    }

    pub fn set_catalogue(&self, catalogue: Catalogue) {
        *self.catalogue.write().expect("catalogue lock") = Arc::new(catalogue);
    }

    /// The catalogue a report names (`id@version`).
    pub async fn catalogue_of(&self, reference: &str) -> AppResult<Arc<Catalogue>> {
        let in_force = self.catalogue();
        if in_force.meta.reference() == reference {
            return Ok(in_force);
        }
        if let Some(c) = self.versions.lock().expect("versions lock").get(reference) {
            return Ok(c.clone());
        }
        let loaded = Arc::new(cchc_app::report_docs::catalogue(self.store.as_ref(), reference).await?);
        self.versions.lock().expect("versions lock").insert(reference.to_string(), loaded.clone());
        Ok(loaded)
    }

    /// The working-day calendar in force.
    pub fn calendar(&self) -> Arc<WorkCalendar> {
        self.calendar.read().expect("calendar lock").clone()
    }

    pub fn set_calendar(&self, calendar: WorkCalendar) {
        *self.calendar.write().expect("calendar lock") = Arc::new(calendar);
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
