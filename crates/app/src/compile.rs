//! Compiling a parent's report from the reports stored for a period (the roll-up use case):
//! the compiled figures to look at ([`compiled`]), and the parent's own report made from them
//! ([`compile_report`]: stored, versioned and audited like any report, then sent upward through
//! the same workflow), with what it was compiled from, whether that is out of date
//! ([`staleness`]) and, per figure, which units contributed ([`contributions`]).

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::Result;
use cchc_calendar::WorkCalendar;
use cchc_catalogue::Catalogue;
use cchc_periods::{Period, WindowRule};
use cchc_report::{Compilation, CompiledSource, Entry, Key, UnitReport};
use cchc_rollup::{Compiled, Input, compile};
use cchc_storage::{ReportRecord, Store, User};
use cchc_units::UnitTree;

/// Compiles `unit`'s report for `period` from its own stored report and its subtree's submitted
/// ones (sent, approved or locked), with completeness (on time, late, missing) against the due
/// date `rule` sets on `calendar`'s working days.
pub async fn compile_unit(
    store: &dyn Store,
    tree: &UnitTree,
    catalogue: &Catalogue,
    unit: &str,
    period: Period,
    rule: &WindowRule,
    calendar: &WorkCalendar,
) -> Result<Compiled> {
    let records = store.reports_in_period(period).await?;
    let counted: Vec<ReportRecord> = records.into_iter().filter(|r| r.status.is_submitted() || r.report.unit.code == unit).collect();
    compile_records(tree, catalogue, unit, period, rule, calendar, counted, None)
}

/// Compiles `unit` from the records given (its own, if among them, is replaced by `own` when
/// that is given; either way only its own part counts, see `UnitReport::own_part`). The figures of indicators the ledger provides (`source` in the catalogue) are
/// taken from the units below only when the parent's report was not filled from the ledger: a
/// parent's ledger figures are computed from the dossiers of its whole subtree already.
#[allow(clippy::too_many_arguments)]
fn compile_records(
    tree: &UnitTree,
    catalogue: &Catalogue,
    unit: &str,
    period: Period,
    rule: &WindowRule,
    calendar: &WorkCalendar,
    records: Vec<ReportRecord>,
    own: Option<UnitReport>,
) -> Result<Compiled> {
    let mut reports = HashMap::new();
    let mut submitted_on = HashMap::new();
    for r in records {
        if let Some(at) = r.submitted_at {
            submitted_on.insert(r.report.unit.code.clone(), at.date());
        }
        reports.insert(r.report.unit.code.clone(), r.report);
    }
    // The unit's own statements only: a report compiled before holds figures of the units below.
    if let Some(own) = own.or_else(|| reports.remove(unit)) {
        reports.insert(unit.to_string(), own.own_part());
    }
    // The ledger's figures only: those of the work records (plans, the register) are each unit's own.
    let from_ledger = |code: &str| {
        catalogue.indicator(code).and_then(|i| i.source.as_deref()).is_some_and(|s| cchc_dossiers::sources::SOURCES.contains(&s))
    };
    let ledger_own =
        reports.get(unit).is_some_and(|r| r.entries.iter().any(|e| e.source.as_deref() == Some(cchc_dossiers::prefill::SOURCE)));
    if ledger_own {
        for (_, r) in reports.iter_mut().filter(|(code, _)| code.as_str() != unit) {
            r.entries.retain(|e| !from_ledger(&e.key.code));
        }
    }
    let input = Input {
        tree,
        catalogue,
        period,
        window: rule.window(period),
        reports: &reports,
        submitted_on: &submitted_on,
        due: rule.due_date(period, |d| calendar.is_working_day(d)),
    };
    // A sum that does not fit is the input's fault, said to the user (naming the figure).
    compile(unit, &input).map_err(|e| anyhow::Error::new(crate::Error::invalid(e.to_string())))
}

/// The catalogue the stored reports of a period follow (the first one's), else the default.
pub async fn catalogue_reference(store: &dyn Store, period: Period) -> Result<Option<String>> {
    Ok(store.reports_in_period(period).await?.into_iter().next().map(|r| r.report.catalogue))
}

/// The compiled report of `unit` for `period` as `actor` may see it (their own unit or one below
/// it): the catalogue the period's stored reports follow (else the one in force), the window
/// rule and the calendar in force. What the compile page, the home page and `cchc rollup` show.
pub async fn compiled(
    app: &crate::App,
    actor: &cchc_storage::User,
    unit: &str,
    period: Period,
) -> Result<(Compiled, Arc<Catalogue>), crate::Error> {
    let tree = app.tree().await?;
    if tree.get(unit).is_none() {
        return Err(crate::Error::NotFound(format!("đơn vị {unit}")));
    }
    if !crate::access::can_read(actor, &tree, unit) {
        return Err(crate::Error::Forbidden("Bạn không có quyền xem số liệu tổng hợp của đơn vị này.".into()));
    }
    let catalogue = match catalogue_reference(app.store.as_ref(), period).await? {
        Some(reference) => app.catalogue_of(&reference).await?,
        None => app.catalogue(),
    };
    let compiled = compile_unit(app.store.as_ref(), &tree, &catalogue, unit, period, &app.rule, &app.calendar()).await?;
    Ok((compiled, catalogue))
}

/// What compiling a parent's report did.
#[derive(Debug, Clone)]
pub struct CompileOutcome {
    pub record: ReportRecord,
    /// How many figures came from the units below.
    pub compiled: usize,
    pub completeness: cchc_rollup::Completeness,
}

/// Compiles `unit`'s own report of `period` (báo cáo tổng hợp) from its own figures and the
/// reports the units below have sent, and stores it as a draft, versioned and audited: the
/// figures units below contributed to are compiled ([`cchc_report::COMPILED_SOURCE`], read-only on
/// the forms), the unit's own statements of them are kept in its [`Compilation`] so compiling
/// again starts from them, and every other figure of its own stays as it was. Only the
/// compiling office of the unit (or an administrator) compiles, and only while the report can
/// change.
pub async fn compile_report(app: &crate::App, actor: &User, unit: &str, period: Period) -> Result<CompileOutcome, crate::Error> {
    let tree = app.tree().await?;
    if tree.get(unit).is_none() {
        return Err(crate::Error::NotFound(format!("đơn vị {unit}")));
    }
    if !crate::access::can_compile(actor, unit) {
        return Err(crate::Error::Forbidden("Chỉ cán bộ tổng hợp của đơn vị này được tổng hợp báo cáo của đơn vị.".into()));
    }
    let opened = crate::reports::open(app, actor, unit, period).await?;
    if !opened.status.is_editable() {
        return Err(crate::Error::Conflict(format!(
            "Báo cáo đang ở trạng thái \"{}\": chỉ tổng hợp lại được khi báo cáo còn là bản nháp hoặc đã bị trả lại.",
            opened.status.name_vi()
        )));
    }
    let own = opened.report.own_part();
    let records = app.store.reports_in_period(period).await?;
    let sources: Vec<CompiledSource> = counted_below(&tree, unit, &records);
    let counted: Vec<ReportRecord> = records.into_iter().filter(|r| r.status.is_submitted() && r.report.unit.code != unit).collect();
    let compiled = compile_records(&tree, &opened.catalogue, unit, period, &app.rule, &app.calendar(), counted, Some(own.clone()))?;
    let report = with_compiled(
        own,
        &compiled,
        &opened.catalogue,
        Compilation {
            at: cchc_storage::now(),
            by: actor.username.clone(),
            sources,
            missing: compiled.completeness.missing().map(|e| e.code.clone()).collect(),
            own: Vec::new(),
        },
    );
    let figures = report.entries.iter().filter(|e| e.is_compiled()).count();
    let record = app.store.save_report(&report, opened.version, &actor.username).await?;
    Ok(CompileOutcome { record, compiled: figures, completeness: compiled.completeness })
}

/// The submitted reports of the units below `unit`, with their versions: what a compilation
/// counts, and what tells later whether it is out of date.
fn counted_below(tree: &UnitTree, unit: &str, records: &[ReportRecord]) -> Vec<CompiledSource> {
    records
        .iter()
        .filter(|r| r.status.is_submitted() && r.report.unit.code != unit && tree.is_within(&r.report.unit.code, unit))
        .map(|r| CompiledSource { unit: r.report.unit.code.clone(), version: r.version })
        .collect()
}

/// `own` with the compiled figures laid over it: the figures units below contributed to replace
/// the unit's statements of them (kept in `compilation.own`), and so does the recomputed rate of
/// a ratio whose counts are both compiled.
fn with_compiled(own: UnitReport, compiled: &Compiled, catalogue: &Catalogue, mut compilation: Compilation) -> UnitReport {
    let below: std::collections::HashSet<&Key> = compiled.from_below.iter().collect();
    let superseded = |e: &Entry| {
        below.contains(&e.key)
            || catalogue.indicator(&e.key.code).is_some_and(|ind| match &ind.kind {
                cchc_catalogue::Kind::Ratio { numerator, denominator } => {
                    below.contains(&e.key.with_code(numerator)) && below.contains(&e.key.with_code(denominator))
                }
                _ => false,
            })
    };
    let mut report = own;
    let (replaced, kept): (Vec<Entry>, Vec<Entry>) = std::mem::take(&mut report.entries).into_iter().partition(|e| superseded(e));
    report.entries = kept;
    report.entries.extend(
        compiled
            .report
            .entries
            .iter()
            .filter(|e| below.contains(&e.key))
            .map(|e| Entry { source: Some(cchc_report::COMPILED_SOURCE.to_string()), ..e.clone() }),
    );
    compilation.own = replaced;
    report.compilation = Some(compilation);
    report
}

/// Why a compiled report is out of date: the reports below that changed, were sent or were taken
/// back (returned) since it was compiled, by unit name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Staleness {
    pub changed: Vec<String>,
    pub added: Vec<String>,
    pub withdrawn: Vec<String>,
}

impl Staleness {
    pub fn is_stale(&self) -> bool {
        !(self.changed.is_empty() && self.added.is_empty() && self.withdrawn.is_empty())
    }

    /// "Số liệu đã cũ: …", for the report page.
    pub fn message_vi(&self) -> String {
        let mut parts = Vec::new();
        for (names, what) in
            [(&self.changed, "đã sửa báo cáo"), (&self.added, "đã gửi báo cáo"), (&self.withdrawn, "đã bị trả lại báo cáo")]
        {
            if !names.is_empty() {
                parts.push(format!("{} {what}", names.join(", ")));
            }
        }
        format!("Số liệu tổng hợp đã cũ: {} sau lần tổng hợp trước. Hãy tổng hợp lại.", parts.join("; "))
    }
}

/// Whether `record` (a compiled report) is out of date against the reports its units have sent
/// since; `None` for a report that was not compiled.
pub async fn staleness(app: &crate::App, record: &ReportRecord) -> Result<Option<Staleness>, crate::Error> {
    let Some(compilation) = &record.report.compilation else { return Ok(None) };
    let tree = app.tree().await?;
    let unit = &record.report.unit.code;
    let now: HashMap<String, i64> = counted_below(&tree, unit, &app.store.reports_in_period(record.report.period).await?)
        .into_iter()
        .map(|s| (s.unit, s.version))
        .collect();
    let then: HashMap<&str, i64> = compilation.sources.iter().map(|s| (s.unit.as_str(), s.version)).collect();
    let name = |code: &str| tree.get(code).map_or_else(|| code.to_string(), |u| u.name.clone());
    let mut s = Staleness::default();
    for (code, version) in &now {
        match then.get(code.as_str()) {
            Some(v) if v == version => {}
            Some(_) => s.changed.push(name(code)),
            None => s.added.push(name(code)),
        }
    }
    s.withdrawn = then.keys().filter(|code| !now.contains_key(**code)).map(|code| name(code)).collect();
    for list in [&mut s.changed, &mut s.added, &mut s.withdrawn] {
        list.sort();
    }
    Ok(Some(s))
}

/// One unit's part of a compiled figure: its statement of it (`None`: it did not state it), or
/// that its report is missing.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    pub code: String,
    pub name: String,
    pub value: Option<cchc_report::Value>,
    pub missing: bool,
    /// The compiled unit's own statement, rather than a unit below.
    pub own: bool,
}

/// The drill-down of one compiled figure of `unit`'s report: the unit's own statement, each
/// counted report's statement of it (a unit's total for the figure's level split at the unit's
/// level, as the roll-up counts it), and the units whose reports were missing.
pub async fn contributions(
    app: &crate::App,
    actor: &User,
    unit: &str,
    period: Period,
    key: &Key,
) -> Result<(ReportRecord, Vec<Contribution>), crate::Error> {
    let record = crate::reports::record(app, actor, unit, period).await?;
    let Some(compilation) = &record.report.compilation else {
        return Err(crate::Error::NotFound(format!("số liệu tổng hợp của báo cáo đơn vị {unit} kỳ {period}")));
    };
    let tree = app.tree().await?;
    let name = |code: &str| tree.get(code).map_or_else(|| code.to_string(), |u| u.name.clone());
    let mut out = Vec::new();
    let own = record.report.own_part();
    if let Some(v) = own.value(key) {
        out.push(Contribution { code: unit.to_string(), name: name(unit), value: Some(v.clone()), missing: false, own: true });
    }
    let reports: HashMap<String, UnitReport> =
        app.store.reports_in_period(period).await?.into_iter().map(|r| (r.report.unit.code.clone(), r.report)).collect();
    for s in &compilation.sources {
        let value = reports.get(&s.unit).and_then(|r| statement_of(r, key, tree.level_of(&s.unit)));
        out.push(Contribution { code: s.unit.clone(), name: name(&s.unit), value, missing: false, own: false });
    }
    out.extend(compilation.missing.iter().map(|code| Contribution {
        code: code.clone(),
        name: name(code),
        value: None,
        missing: true,
        own: false,
    }));
    Ok((record, out))
}

/// A unit's statement of `key`: the exact key, or for a split by level at the unit's own level,
/// its figure without the split (the roll-up puts a unit's total at its level).
fn statement_of(report: &UnitReport, key: &Key, level: Option<cchc_units::Level>) -> Option<cchc_report::Value> {
    if let Some(v) = report.value(key) {
        return Some(v.clone());
    }
    let at = key.split.get("level")?;
    if level.map(|l| l.slug()) != Some(at.as_str()) {
        return None;
    }
    let mut total = key.clone();
    total.split.remove("level");
    report.value(&total).cloned()
}
