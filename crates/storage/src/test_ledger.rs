//! Set-ups the storage's own tests share.

use cchc_dossiers::Procedure;

use crate::sql::SqlStore;
use crate::{LedgerStore, UnitStore};

/// A commune (xã) named after its code, with no parent and no history.
pub(crate) fn commune(code: &str) -> cchc_units::Unit {
    cchc_units::Unit {
        code: code.into(),
        name: format!("Xã {code}"),
        kind: cchc_units::UnitKind::Xa,
        parent: None,
        valid_from: None,
        valid_to: None,
        issuer: None,
    }
}

/// Puts the communes `codes` and the default procedures in `s`; returns the procedures.
pub(crate) async fn with_communes(s: &SqlStore, codes: &[&str]) -> Vec<Procedure> {
    let units: Vec<cchc_units::Unit> = codes.iter().map(|c| commune(c)).collect();
    s.upsert_units(&units, &[]).await.unwrap();
    let procedures = cchc_dossiers::import::default_procedures();
    s.put_procedures(&procedures).await.unwrap();
    procedures
}
