//! Importing the procedure list (danh mục thủ tục hành chính, TTHC) from CSV
//! (`code,name,field,level,time_unit,time,online,fee`; format in crates/dossiers/README.md).
//!
//! A dossier's statistics facts hold due dates computed from its procedure's processing time, so
//! when an import changes that time the facts of that procedure's stored dossiers, and only
//! theirs, are derived again ([`crate::calendar::rederivation`]), in the transaction that stores
//! the list; field, level and online class are read at statistics time and need nothing.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use anyhow::Result;
use cchc_dossiers::Procedure;
use cchc_dossiers::import::read_procedures;
use cchc_periods::DateRange;
use cchc_storage::{AuditEntry, Store};
use chrono::NaiveDate;

/// What importing a procedure list did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProceduresImport {
    /// Stored (all or nothing): how many procedures, and how many stored dossiers had their
    /// facts derived again because their procedure's processing time changed.
    Stored { procedures: usize, rederived: usize },
    /// Nothing stored: one Vietnamese message per bad row (row, column, rule).
    Refused(Vec<String>),
}

/// Reads, checks and stores a procedure list, then re-derives what a changed processing time
/// moves (audited as one change by `by`).
pub async fn import_procedures(store: &dyn Store, input: impl Read, by: &str) -> Result<ProceduresImport> {
    let list = match read_procedures(input) {
        Ok(list) => list,
        Err(errors) => return Ok(ProceduresImport::Refused(errors.iter().map(|e| e.to_string()).collect())),
    };
    let before = store.procedures().await?;
    let retimed: HashSet<String> =
        list.iter().filter(|p| before.iter().any(|b| b.code == p.code && b.time != p.time)).map(|p| p.code.clone()).collect();
    let note = format!(
        "{} thủ tục; đổi thời hạn giải quyết: {}",
        list.len(),
        if retimed.is_empty() { "không".to_string() } else { retimed.iter().cloned().collect::<Vec<_>>().join(", ") }
    );
    let entry = AuditEntry { new_value: Some(note), ..AuditEntry::now(by, "nhập thủ tục") };
    // The facts are derived with the procedures as they will be stored: the stored ones with the
    // imported ones in their place.
    let mut procs: HashMap<String, Procedure> = before.into_iter().map(|p| (p.code.clone(), p)).collect();
    procs.extend(list.iter().map(|p| (p.code.clone(), p.clone())));
    let (calendar, units) = (crate::calendar::work_calendar(store).await?, crate::calendar::all_unit_codes(store).await?);
    let all_time = DateRange {
        from: NaiveDate::from_ymd_opt(1900, 1, 1).expect("valid date"),
        to: NaiveDate::from_ymd_opt(9999, 12, 31).expect("valid date"),
    };
    let pick = |f: &cchc_dossiers::facts::Facts| retimed.contains(&f.procedure);
    let derive = |dossiers: &[cchc_dossiers::Dossier]| crate::dossiers::derive_facts(dossiers, &procs, &calendar);
    let re = (!retimed.is_empty()).then(|| crate::calendar::rederivation(&units, all_time, &pick, &derive));
    let rederived = store.change_procedures(&list, &entry, re.as_ref()).await?;
    Ok(ProceduresImport::Stored { procedures: list.len(), rederived })
}
