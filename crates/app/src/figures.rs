//! The review of a report figure by figure (soát xét): each figure's page with its value, its
//! history (who changed it, when, from what to what), its comment thread (ý kiến, as DHIS2's data
//! entry has) and, for a compiled figure, the units that contributed; the marks a reviewer leaves
//! on figures when returning a report (đề nghị xem lại), which the clerk sees on the forms.

use std::collections::HashMap;

use cchc_periods::Period;
use cchc_report::Key;
use cchc_report::workflow::{Action, Status};
use cchc_storage::{AuditEntry, AuditFilter, FigureNote, NoteKind, ReportRecord, Role, User};

use crate::App;
use crate::error::{Error, Problem, Result};

/// The longest comment or mark taken, in characters.
const MAX_TEXT: usize = 2000;

/// One figure of a stored report as its review page shows it.
pub struct FigureView {
    pub record: ReportRecord,
    pub key: Key,
    /// Every change of the figure, oldest first (from the audit log).
    pub history: Vec<AuditEntry>,
    /// Its comments and marks, oldest first.
    pub notes: Vec<FigureNote>,
    /// For a compiled figure, the units' parts (see [`crate::compile::contributions`]).
    pub contributions: Vec<crate::compile::Contribution>,
    /// Whether the acting user may add a comment.
    pub can_comment: bool,
}

/// The review page of `key` in `unit`'s report of `period`, which `actor` must be able to read.
pub async fn figure(app: &App, actor: &User, unit: &str, period: Period, key: &Key) -> Result<FigureView> {
    let record = crate::reports::record(app, actor, unit, period).await?;
    let catalogue = app.catalogue_of(&record.report.catalogue).await?;
    if catalogue.indicator(&key.code).is_none() {
        return Err(Error::NotFound(format!("chỉ tiêu {key} trong bộ chỉ tiêu của báo cáo")));
    }
    let item = key.to_string();
    let filter = AuditFilter { unit_code: Some(unit.into()), period: Some(period.to_string()), by: None, limit: None };
    let mut history: Vec<AuditEntry> =
        app.store.audit(&filter).await?.into_iter().filter(|e| e.item.as_deref() == Some(item.as_str())).collect();
    history.sort_by_key(|e| e.at);
    let notes = app.store.figure_notes(unit, period).await?.into_iter().filter(|n| n.key == item).collect();
    let contributions = match &record.report.compilation {
        Some(_) if record.report.entries.iter().any(|e| &e.key == key && e.is_compiled()) => {
            crate::compile::contributions(app, actor, unit, period, key).await?.1
        }
        _ => Vec::new(),
    };
    let tree = app.tree().await?;
    Ok(FigureView { record, key: key.clone(), history, notes, contributions, can_comment: may_comment(actor, &tree, unit) })
}

/// Whether `actor` takes part in the review of `unit`'s reports: its own officers, and the
/// compiling offices above it (a leader reads only).
fn may_comment(actor: &User, tree: &cchc_units::UnitTree, unit: &str) -> bool {
    match actor.role {
        Role::Admin => true,
        Role::UnitOfficer => actor.unit_code == unit,
        Role::Compiler => tree.is_within(unit, &actor.unit_code),
        Role::Leader => false,
    }
}

/// Adds `actor`'s comment to the thread of `key` in `unit`'s report of `period`.
pub async fn comment(app: &App, actor: &User, unit: &str, period: Period, key: &Key, text: &str) -> Result<FigureNote> {
    let record = crate::reports::record(app, actor, unit, period).await?;
    let tree = app.tree().await?;
    if !may_comment(actor, &tree, unit) {
        return Err(Error::Forbidden("Bạn không có quyền góp ý trên báo cáo của đơn vị này.".into()));
    }
    let catalogue = app.catalogue_of(&record.report.catalogue).await?;
    let note = note(&catalogue, unit, period, key, text, NoteKind::Comment, &actor.username)
        .map_err(|p| Error::invalid_all("Chưa lưu ý kiến.", vec![p]))?;
    app.store.add_figure_note(&note).await?;
    Ok(note)
}

/// A note checked: a key of the catalogue (with splits it has), a text that is not empty and not
/// too long.
fn note(
    catalogue: &cchc_catalogue::Catalogue,
    unit: &str,
    period: Period,
    key: &Key,
    text: &str,
    kind: NoteKind,
    by: &str,
) -> std::result::Result<FigureNote, Problem> {
    let place = key.to_string();
    let Some(ind) = catalogue.indicator(&key.code) else {
        return Err(Problem::at(place, "không có chỉ tiêu này trong bộ chỉ tiêu của báo cáo"));
    };
    cchc_report::file::check_split(key, ind, catalogue).map_err(|m| Problem::at(place.clone(), m))?;
    let text = text.trim();
    if text.is_empty() {
        return Err(Problem::at(place, "nội dung trống"));
    }
    if text.chars().count() > MAX_TEXT {
        return Err(Problem::at(place, format!("nội dung dài quá {} ký tự", cchc_format::int(MAX_TEXT as i64))));
    }
    Ok(FigureNote {
        unit_code: unit.into(),
        period,
        key: key.to_string(),
        kind,
        text: text.to_string(),
        by: by.into(),
        at: cchc_storage::now(),
    })
}

/// The marks of a return as a reviewer gives them: (figure key, what to look at again), e.g.
/// (`3.5.1[field=ho-tich]`, `Hộ tịch 224 < 94 + 150`). Every bad mark is named by its key;
/// nothing is taken unless all are good.
pub fn marks(
    catalogue: &cchc_catalogue::Catalogue,
    unit: &str,
    period: Period,
    given: &[(String, String)],
    by: &str,
) -> std::result::Result<Vec<FigureNote>, Vec<Problem>> {
    let (mut out, mut problems) = (Vec::new(), Vec::new());
    for (key, what) in given {
        let Some(parsed) = Key::parse(key.trim()) else {
            problems.push(Problem::at(key.trim(), "mã chỉ tiêu không hợp lệ (ví dụ: 3.5.1 hoặc 3.5.1[level=xa])"));
            continue;
        };
        match note(catalogue, unit, period, &parsed, what, NoteKind::Mark, by) {
            Ok(n) => out.push(n),
            Err(p) => problems.push(p),
        }
    }
    if problems.is_empty() { Ok(out) } else { Err(problems) }
}

/// A mark as typed on a line (the report page's box, `cchc workflow --mark`), `KEY: what to look
/// at again`: (key, text); a line without a colon is all key, whose empty text [`marks`] refuses
/// by name.
pub fn mark_from_line(line: &str) -> (String, String) {
    match line.split_once(':') {
        Some((key, what)) => (key.trim().to_string(), what.trim().to_string()),
        None => (line.trim().to_string(), String::new()),
    }
}

/// What the form shows beside each figure: how many comments it has, and the marks of the
/// latest return while the report is returned.
#[derive(Debug, Default, Clone)]
pub struct Beside {
    pub comments: usize,
    pub marks: Vec<String>,
}

/// [`Beside`] of every figure of `record` with a note, by key text.
pub async fn beside(app: &App, record: &ReportRecord) -> Result<HashMap<String, Beside>> {
    let (unit, period) = (&record.report.unit.code, record.report.period);
    let notes = app.store.figure_notes(unit, period).await?;
    if notes.is_empty() {
        return Ok(HashMap::new());
    }
    // The marks of the latest return: those made since the step before it (they are written with
    // the return, a moment before its time is taken).
    let returned_at = if record.status == Status::Returned {
        let history = app.store.history(unit, period).await?;
        history
            .iter()
            .rposition(|h| h.action == Action::Return)
            .map(|i| if i == 0 { chrono::NaiveDateTime::MIN } else { history[i - 1].at })
    } else {
        None
    };
    let mut out: HashMap<String, Beside> = HashMap::new();
    for n in notes {
        let b = out.entry(n.key.clone()).or_default();
        match n.kind {
            NoteKind::Comment => b.comments += 1,
            NoteKind::Mark if returned_at.is_some_and(|since| n.at > since) => b.marks.push(n.text),
            NoteKind::Mark => {}
        }
    }
    Ok(out)
}
