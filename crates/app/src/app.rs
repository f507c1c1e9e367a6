//! [`App`]: what every use case works with — the store, and what is read from it often enough
//! to keep in memory: the catalogue in force and older versions by reference (versions never
//! change, so a cached one never goes stale), the working-day calendar in force, the unit tree
//! (dropped whenever a use case changes the units) and the province's data-window rule; and the
//! Biểu 06 tables kept across requests ([`crate::dashboard::Tables`], checked against the store's
//! generations at every use, so never stale).
//!
//! One process serves a province, so what its administrators change through the use cases is
//! swapped in here as they change it. The CLI builds one per command.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use cchc_calendar::WorkCalendar;
use cchc_catalogue::Catalogue;
use cchc_periods::WindowRule;
use cchc_storage::Store;
use cchc_units::UnitTree;

use crate::Error;

pub struct App {
    pub store: Arc<dyn Store>,
    /// The catalogue in force, which new reports follow.
    catalogue: RwLock<Arc<Catalogue>>,
    /// Other catalogue versions by reference (`id@version`).
    versions: Mutex<HashMap<String, Arc<Catalogue>>>,
    calendar: RwLock<Arc<WorkCalendar>>,
    tree: RwLock<Option<Arc<UnitTree>>>,
    pub rule: WindowRule,
    /// The Biểu 06 tables of units and windows kept across requests (the dashboard's, Biểu 06's).
    pub tables: crate::dashboard::Tables,
}

impl App {
    /// An application with the given catalogue in force and calendar (tests, the demo).
    pub fn with(store: Arc<dyn Store>, catalogue: Catalogue, calendar: WorkCalendar) -> App {
        App {
            store,
            catalogue: RwLock::new(Arc::new(catalogue)),
            versions: Mutex::default(),
            calendar: RwLock::new(Arc::new(calendar)),
            tree: RwLock::new(None),
            rule: WindowRule::default(),
            tables: crate::dashboard::Tables::default(),
        }
    }

    /// The application with the catalogue and calendar in force in the store.
    pub async fn load(store: Arc<dyn Store>) -> Result<App, Error> {
        let catalogue = crate::catalogues::in_force(store.as_ref()).await?;
        let calendar = crate::calendar::work_calendar(store.as_ref()).await?;
        Ok(App::with(store, catalogue, calendar))
    }

    /// The catalogue in force (new reports).
    pub fn catalogue(&self) -> Arc<Catalogue> {
        self.catalogue.read().expect("catalogue lock").clone()
    }

    pub fn set_catalogue(&self, catalogue: Catalogue) {
        *self.catalogue.write().expect("catalogue lock") = Arc::new(catalogue);
    }

    /// The catalogue a report names (`id@version`).
    pub async fn catalogue_of(&self, reference: &str) -> Result<Arc<Catalogue>, Error> {
        let in_force = self.catalogue();
        if in_force.meta.reference() == reference {
            return Ok(in_force);
        }
        if let Some(c) = self.versions.lock().expect("versions lock").get(reference) {
            return Ok(c.clone());
        }
        let loaded = crate::report_docs::catalogue(self.store.as_ref(), reference)
            .await
            .map_err(|_| Error::NotFound(format!("bộ chỉ tiêu \"{reference}\"")))?;
        let loaded = Arc::new(loaded);
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

    /// The unit tree, read from the store once and kept until the units change.
    pub async fn tree(&self) -> Result<Arc<UnitTree>, Error> {
        if let Some(tree) = self.tree.read().expect("tree lock").clone() {
            return Ok(tree);
        }
        let tree = Arc::new(self.store.unit_tree().await?);
        *self.tree.write().expect("tree lock") = Some(tree.clone());
        Ok(tree)
    }

    /// Forgets the cached tree: the next [`App::tree`] reads the store again.
    pub fn forget_tree(&self) {
        *self.tree.write().expect("tree lock") = None;
    }
}
