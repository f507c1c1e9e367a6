//! Commands that read or write the store: `import`, `units import`, `rollup`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};
use cchc_catalogue::{Catalogue, Kind};
use cchc_periods::{Period, WindowRule};
use cchc_report::UnitReport;
use cchc_rollup::{Arrival, Compiled};
use cchc_storage::Store;
use cchc_units::{LineageEdge, Unit};
use serde::Deserialize;

use crate::output::{self, Format};
use crate::validate::{Checked, check_file};

/// `cchc import FILE`: validate, then store atomically; nothing is stored when there is an error.
pub async fn import(store: &dyn Store, path: &Path, extra: &[PathBuf], by: &str) -> Result<ExitCode> {
    let (report, catalogue, findings) = match check_file(path, extra)? {
        Checked::BadInput(errors) => {
            print!("{}", output::input_errors_text(&errors));
            return Ok(ExitCode::from(1));
        }
        Checked::Validated { report, catalogue, findings } => (report, catalogue, findings),
    };
    let existing = store.report(&report.unit.code, report.period).await?.map(|r| r.version);
    save_checked(store, &report, &catalogue, &findings, existing, by, "").await
}

/// Prints a report's findings and, unless one of them is an error, stores the report (with the
/// catalogue it follows) as the next version of `existing`. Shared by every import.
pub async fn save_checked(
    store: &dyn Store,
    report: &UnitReport,
    catalogue: &Catalogue,
    findings: &[cchc_validation::Finding],
    existing: Option<i64>,
    by: &str,
    from: &str,
) -> Result<ExitCode> {
    let title = format!("Báo cáo {} – kỳ {} ({})", report.unit.name, report.period.title_vi(), report.period);
    print!("{}", output::findings_text(&title, findings));
    if cchc_validation::has_errors(findings) {
        println!("Không nhập: báo cáo còn lỗi. Sửa các lỗi trên rồi nhập lại.");
        return Ok(ExitCode::from(1));
    }
    store.put_catalogue(&catalogue.to_file()).await?;
    let record = store.save_report(report, existing, by).await?;
    println!(
        "Đã nhập {} số liệu của {} kỳ {}{from} (phiên bản {}).",
        cchc_format::int(report.entries.len() as i64),
        report.unit.name,
        report.period,
        record.version
    );
    Ok(ExitCode::SUCCESS)
}

/// The units file: `{ "units": [...], "lineage": [...] }` (see docs/units-format.md).
#[derive(Deserialize)]
struct UnitsFile {
    units: Vec<Unit>,
    #[serde(default)]
    lineage: Vec<LineageEdge>,
}

/// `cchc users add`: an account with an Argon2 hash of its password, for a known unit.
pub async fn add_user(store: &dyn Store, username: &str, role: &str, unit: &str, name: &str, password: &str) -> Result<ExitCode> {
    let role = cchc_storage::Role::from_slug(role)
        .ok_or_else(|| anyhow!("vai trò \"{role}\" không hợp lệ (admin, unit-officer, compiler, leader)"))?;
    if store.unit_tree().await?.get(unit).is_none() {
        return Err(anyhow!("không có đơn vị mã {unit}"));
    }
    if password.chars().count() < 8 {
        return Err(anyhow!("mật khẩu phải có ít nhất 8 ký tự"));
    }
    let user = cchc_storage::User {
        username: username.into(),
        full_name: name.into(),
        role,
        unit_code: unit.into(),
        password_hash: cchc_app::accounts::hash_password(password)?,
        active: true,
    };
    store.upsert_user(&user).await?;
    println!("Đã lưu tài khoản {username} ({}, đơn vị {unit}).", role.name_vi());
    Ok(ExitCode::SUCCESS)
}

/// `cchc units import FILE`.
pub async fn import_units(store: &dyn Store, path: &Path) -> Result<ExitCode> {
    let text = std::fs::read_to_string(path).with_context(|| format!("không đọc được tệp {}", path.display()))?;
    let file: UnitsFile =
        serde_json::from_str(&text).with_context(|| format!("tệp {} không đúng định dạng danh sách đơn vị", path.display()))?;
    // Check the hierarchy before writing anything.
    cchc_units::UnitTree::new(file.units.clone(), cchc_units::Lineage { edges: file.lineage.clone() })?;
    store.upsert_units(&file.units, &file.lineage).await?;
    println!("Đã nhập {} đơn vị và {} quan hệ lịch sử.", file.units.len(), file.lineage.len());
    Ok(ExitCode::SUCCESS)
}

/// `cchc rollup --unit CODE --period P`: compile the unit's report from its subtree's submitted
/// reports and print it with its completeness.
/// The data-window rule from a TOML file, or the default.
pub fn window_rule(path: Option<&Path>) -> Result<WindowRule> {
    let Some(path) = path else { return Ok(WindowRule::default()) };
    let text = std::fs::read_to_string(path).with_context(|| format!("không đọc được tệp {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("tệp quy tắc kỳ số liệu {} không hợp lệ", path.display()))
}

pub async fn rollup(
    store: &dyn Store,
    unit: &str,
    period: Period,
    rule: &WindowRule,
    format: Format,
    out: Option<&Path>,
    extra: &[PathBuf],
) -> Result<ExitCode> {
    let tree = store.unit_tree().await?;
    let reference = cchc_app::compile::catalogue_reference(store, period)
        .await?
        .unwrap_or_else(|| cchc_catalogue::default_catalogue().meta.reference());
    let catalogue = crate::catalogues::find(&reference, extra)?;
    let compiled =
        cchc_app::compile::compile_unit(store, &tree, &catalogue, unit, period, rule, &cchc_app::calendar::work_calendar(store).await?)
            .await?;
    if let Some(path) = out {
        std::fs::write(path, cchc_report::file::write(&compiled.report)).with_context(|| format!("không ghi được {}", path.display()))?;
    }
    match format {
        Format::Text => print!("{}", rollup_text(&compiled, &catalogue)),
        Format::Json => println!("{}", rollup_json(&compiled)),
    }
    Ok(ExitCode::SUCCESS)
}

fn rollup_text(c: &Compiled, cat: &Catalogue) -> String {
    let r = &c.report;
    let mut out = format!("TỔNG HỢP BÁO CÁO {} – {}\n", r.unit.name.to_uppercase(), r.period.title_vi());
    if let Some(w) = r.window {
        out.push_str(&format!("Số liệu từ ngày {} đến ngày {}\n", cchc_format::date(w.from), cchc_format::date(w.to)));
    }
    out.push_str(&completeness_text(c));
    out.push_str("\nSố liệu tổng hợp:\n");
    for e in &r.entries {
        let name = cat.indicator(&e.key.code).map_or("", |i| i.name.as_str());
        let v = e.value.as_ref().map(|v| v.display()).unwrap_or_default();
        out.push_str(&format!("  {:<28} {:<60} {}\n", e.key.to_string(), truncate(name, 60), v));
    }
    out.push_str(&ratios_text(r, cat));
    out
}

fn completeness_text(c: &Compiled) -> String {
    let cp = &c.completeness;
    let mut out = format!(
        "Đã gửi {}/{} đơn vị (đúng hạn {}, muộn {}); chưa gửi {}.\n",
        cp.submitted(),
        cp.expected.len(),
        cp.count(Arrival::OnTime),
        cp.count(Arrival::Late),
        cp.count(Arrival::Missing)
    );
    for e in cp.missing() {
        out.push_str(&format!("  Chưa gửi: {} ({})\n", e.name, e.code));
    }
    out
}

/// Ratios are shown recomputed from the compiled counts, never averaged.
fn ratios_text(r: &UnitReport, cat: &Catalogue) -> String {
    let values = r.values();
    let mut out = String::new();
    for ind in &cat.indicators {
        let Kind::Ratio { numerator, denominator } = &ind.kind else { continue };
        let mut keys: Vec<_> = values.keys().filter(|k| &k.code == denominator).collect();
        keys.sort();
        for k in keys {
            let num = values.get(&k.with_code(numerator)).and_then(|v| v.number());
            let den = values.get(*k).and_then(|v| v.number());
            if let (Some(n), Some(d)) = (num, den)
                && let (Ok(n), Ok(d)) = (i64::try_from(n), i64::try_from(d))
                && let Some(p) = cchc_format::ratio_percent(n, d)
            {
                out.push_str(&format!(
                    "  {:<28} {:<60} {} ({}/{})\n",
                    k.with_code(&ind.code).to_string(),
                    truncate(&ind.name, 60),
                    cchc_format::percent(p),
                    cchc_format::int(n),
                    cchc_format::int(d)
                ));
            }
        }
    }
    out
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_string() } else { s.chars().take(n - 1).collect::<String>() + "…" }
}

fn rollup_json(c: &Compiled) -> String {
    let report: serde_json::Value = serde_json::from_str(&cchc_report::file::write(&c.report)).expect("own output parses");
    serde_json::to_string_pretty(&serde_json::json!({ "report": report, "completeness": c.completeness })).expect("serialises")
}

/// The workflow actions offered on the command line.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum WorkflowAction {
    Submit,
    Approve,
    Return,
    Lock,
    Unlock,
}

/// `cchc workflow`: one step of the submit-and-approve workflow, recorded with its author.
pub async fn workflow(
    store: &dyn Store,
    unit: &str,
    period: Period,
    action: WorkflowAction,
    reason: Option<&str>,
    by: &str,
) -> Result<ExitCode> {
    use cchc_report::workflow::Action;
    let action = match action {
        WorkflowAction::Submit => Action::Submit,
        WorkflowAction::Approve => Action::Approve,
        WorkflowAction::Return => Action::Return,
        WorkflowAction::Lock => Action::Lock,
        WorkflowAction::Unlock => Action::Unlock,
    };
    let current = store.report(unit, period).await?.ok_or_else(|| anyhow!("không có báo cáo của đơn vị {unit} kỳ {period}"))?;
    let record = store.transition(unit, period, action, reason, by, current.version).await?;
    println!("Báo cáo của {} kỳ {}: {} → {}.", record.report.unit.name, period, current.status.name_vi(), record.status.name_vi());
    Ok(ExitCode::SUCCESS)
}
