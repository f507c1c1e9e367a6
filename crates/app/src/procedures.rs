//! Importing the procedure list (danh mục thủ tục hành chính, TTHC) from CSV
//! (`code,name,field,level,time_unit,time,online,fee`; format in crates/dossiers/README.md).
//!
//! A dossier's statistics facts hold due dates computed from its procedure's processing time, so
//! when an import changes that time the facts of that procedure's stored dossiers, and only
//! theirs, are derived again ([`crate::calendar::rederive`]); field, level and online class are
//! read at statistics time and need nothing.

use std::collections::HashSet;
use std::io::Read;

use anyhow::Result;
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
    store.put_procedures(&list).await?;
    let rederived = if retimed.is_empty() {
        0
    } else {
        let calendar = crate::calendar::work_calendar(store).await?;
        let all_time = DateRange {
            from: NaiveDate::from_ymd_opt(1900, 1, 1).expect("valid date"),
            to: NaiveDate::from_ymd_opt(9999, 12, 31).expect("valid date"),
        };
        let facts = crate::calendar::rederive(store, &calendar, all_time, |f| retimed.contains(&f.procedure)).await?;
        store.replace_facts(&facts).await?
    };
    let note = format!(
        "{} thủ tục; đổi thời hạn giải quyết: {}",
        list.len(),
        if retimed.is_empty() { "không".to_string() } else { retimed.into_iter().collect::<Vec<_>>().join(", ") }
    );
    let entry = AuditEntry { new_value: Some(note), ..AuditEntry::now(by, "nhập thủ tục") };
    store.append_audit(&entry).await?;
    Ok(ProceduresImport::Stored { procedures: list.len(), rederived })
}
