//! Fixtures shared by the use-case tests: accounts, units and a store holding them.
#![allow(dead_code)] // each test file uses some of them

use std::sync::Arc;

use cchc_storage::{Role, Store, User};
use cchc_units::{Unit, UnitKind};

/// An account of `role` at `unit`, named after them (`compiler-42-CAMXUYEN`).
pub fn user(role: Role, unit: &str) -> User {
    named(&format!("{}-{unit}", role.slug()), role, unit)
}

/// An account named `name`.
pub fn named(name: &str, role: Role, unit: &str) -> User {
    User { username: name.into(), full_name: "Thử".into(), role, unit_code: unit.into(), password_hash: String::new(), active: true }
}

/// A unit named "Đơn vị CODE", valid at all times.
pub fn unit(code: &str, kind: UnitKind, parent: Option<&str>) -> Unit {
    Unit {
        code: code.into(),
        name: format!("Đơn vị {code}"),
        kind,
        parent: parent.map(Into::into),
        valid_from: None,
        valid_to: None,
        issuer: None,
    }
}

/// An SQLite store in memory holding `units`.
pub async fn store_with(units: &[Unit]) -> Arc<dyn Store> {
    let store = cchc_storage::open("sqlite::memory:").await.unwrap();
    store.upsert_units(units, &[]).await.unwrap();
    store
}
