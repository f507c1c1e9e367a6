//! Commands that read or write the store: `import`, `units import`, `rollup`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};
use cchc_app::App;
use cchc_catalogue::CatalogueFile;
use cchc_catalogue::{Catalogue, Kind};
use cchc_periods::{Period, WindowRule};
use cchc_report::UnitReport;
use cchc_rollup::{Arrival, Compiled};
use cchc_storage::User;

use crate::output::{self, Format};

/// `cchc import FILE`: read the file against the catalogue it names (the stored versions, the
/// shipped default, or a `--catalogue` file, which is stored as a new version; a stored version is
/// never changed), then store it through [`cchc_app::reports::import`]: nothing is stored when
/// its findings hold an error.
pub async fn import(app: &App, actor: &User, path: &Path, extra: &[PathBuf], issued: bool) -> Result<ExitCode> {
    let text = std::fs::read_to_string(path).with_context(|| format!("không đọc được tệp {}", path.display()))?;
    let reference = cchc_report::file::catalogue_ref(&text)
        .ok_or_else(|| anyhow!("tệp {} không phải báo cáo JSON có trường \"catalogue\"", path.display()))?;
    let files = crate::catalogues::files(extra)?;
    let (catalogue, _) = cchc_app::reports::import_catalogue(app, &reference, &files).await?;
    let report = match cchc_report::file::read(&text, &catalogue) {
        Ok(r) => r,
        Err(errors) => {
            print!("{}", output::input_errors_text(&errors));
            return Ok(ExitCode::from(1));
        }
    };
    if issued {
        return save_issued(app, actor, report, &files).await;
    }
    save_checked(app, actor, report, &files, "").await
}

/// Stores a signed report as issued ([`cchc_app::reports::import_issued`]), its findings printed
/// and kept, not a gate.
async fn save_issued(app: &App, actor: &User, report: UnitReport, files: &[CatalogueFile]) -> Result<ExitCode> {
    let title = format!("Báo cáo đã ban hành {} – kỳ {} ({})", report.unit.name, report.period.title_vi(), report.period);
    let (name, period, entries) = (report.unit.name.clone(), report.period, report.entries.len());
    let findings = cchc_app::reports::import_issued(app, actor, report, files).await?;
    print!("{}", output::findings_text(&title, &findings));
    println!(
        "Đã lưu báo cáo đã ban hành của {name} kỳ {period}: {} số liệu đúng như bản in (cả sai sót, để so sánh).",
        cchc_format::int(entries as i64)
    );
    Ok(ExitCode::SUCCESS)
}

/// Stores a report read from a file ([`cchc_app::reports::import`]) and prints its findings, or
/// why it was not stored. Shared by every import.
pub async fn save_checked(app: &App, actor: &User, report: UnitReport, files: &[CatalogueFile], from: &str) -> Result<ExitCode> {
    let title = format!("Báo cáo {} – kỳ {} ({})", report.unit.name, report.period.title_vi(), report.period);
    let (catalogue, _) = cchc_app::reports::import_catalogue(app, &report.catalogue, files).await?;
    print!("{}", output::findings_text(&title, &cchc_app::reports::findings_of(app, &report, &catalogue).await?));
    let entries = report.entries.len();
    let name = report.unit.name.clone();
    let period = report.period;
    let done = cchc_app::reports::import(app, actor, report, files).await?;
    println!("Đã nhập {} số liệu của {name} kỳ {period}{from} (phiên bản {}).", cchc_format::int(entries as i64), done.record.version);
    Ok(ExitCode::SUCCESS)
}

/// `cchc users add`: an account created, or changed when it exists (name, role, unit, password),
/// through the same use cases as the administrators' page, by the acting account.
pub async fn add_user(app: &App, actor: &User, username: &str, role: &str, unit: &str, name: &str, password: &str) -> Result<ExitCode> {
    let role = cchc_storage::Role::from_slug(role)
        .ok_or_else(|| cchc_app::Error::invalid(format!("Vai trò \"{role}\" không hợp lệ (admin, unit-officer, compiler, leader).")))?;
    let store = app.store.as_ref();
    let user = match store.user(username).await? {
        None => {
            let new = cchc_app::users::NewUser {
                username: username.into(),
                full_name: name.into(),
                role,
                unit_code: unit.into(),
                password: password.into(),
            };
            cchc_app::users::create_user(store, actor, &new).await?
        }
        Some(old) => {
            let change = cchc_app::users::UserChange {
                full_name: name.into(),
                role,
                unit_code: unit.into(),
                active: old.active,
                password: Some(password.into()),
            };
            cchc_app::users::update_user(store, actor, username, &change).await?
        }
    };
    println!("Đã lưu tài khoản {} ({}, đơn vị {}).", user.username, user.role.name_vi(), user.unit_code);
    Ok(ExitCode::SUCCESS)
}

/// `cchc units import FILE`: the same use case as the administrators' page
/// ([`cchc_app::units::import`]), checked against the stored units.
pub async fn import_units(app: &App, actor: &User, path: &Path) -> Result<ExitCode> {
    let text = std::fs::read_to_string(path).with_context(|| format!("không đọc được tệp {}", path.display()))?;
    println!("{}", cchc_app::units::import(app, actor, &text).await?.message_vi());
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

pub async fn rollup(app: &App, actor: &User, unit: &str, period: Period, format: Format, out: Option<&Path>) -> Result<ExitCode> {
    let (compiled, catalogue) = cchc_app::compile::compiled(app, actor, unit, period).await?;
    if let Some(path) = out {
        std::fs::write(path, cchc_report::file::write(&compiled.report)).with_context(|| format!("không ghi được {}", path.display()))?;
    }
    match format {
        Format::Text => print!("{}", rollup_text(&compiled, &catalogue)),
        Format::Json => println!("{}", rollup_json(&compiled)),
    }
    Ok(ExitCode::SUCCESS)
}

/// Compiles `unit`'s report of `period` and stores it as its draft (`cchc compile`).
pub async fn compile(app: &App, actor: &User, unit: &str, period: Period) -> Result<ExitCode> {
    let out = cchc_app::compile::compile_report(app, actor, unit, period).await?;
    let r = &out.record.report;
    println!(
        "Đã lập báo cáo tổng hợp của {} – {} (phiên bản {}): {} số liệu tổng hợp từ báo cáo của các đơn vị.",
        r.unit.name,
        r.period.title_vi(),
        cchc_format::int(out.record.version),
        cchc_format::int(out.compiled as i64)
    );
    let cp = &out.completeness;
    println!(
        "Đã gửi {}/{} đơn vị; chưa gửi {}.",
        cchc_format::int(cp.submitted() as i64),
        cchc_format::int(cp.expected.len() as i64),
        cchc_format::int(cp.count(Arrival::Missing) as i64)
    );
    for e in cp.missing() {
        println!("  Chưa gửi: {} ({})", e.name, e.code);
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

/// `cchc workflow`: one step of the submit-and-approve workflow ([`cchc_app::reports::act`]),
/// with the same gates and messages as the report page, recorded with its actor.
#[allow(clippy::too_many_arguments)]
pub async fn workflow(
    app: &App,
    actor: &User,
    unit: &str,
    period: Period,
    action: WorkflowAction,
    reason: Option<String>,
    explanation: Option<String>,
    marks: Vec<String>,
) -> Result<ExitCode> {
    use cchc_report::workflow::Action;
    let action = match action {
        WorkflowAction::Submit => Action::Submit,
        WorkflowAction::Approve => Action::Approve,
        WorkflowAction::Return => Action::Return,
        WorkflowAction::Lock => Action::Lock,
        WorkflowAction::Unlock => Action::Unlock,
    };
    let current = cchc_app::reports::record(app, actor, unit, period).await?;
    let marks = marks.iter().map(|m| cchc_app::figures::mark_from_line(m)).collect();
    let step = cchc_app::reports::Step { action: Some(action), version: current.version, reason, explanation, marks };
    let record = cchc_app::reports::act(app, actor, unit, period, &step).await?;
    println!("Báo cáo của {} kỳ {}: {} → {}.", record.report.unit.name, period, current.status.name_vi(), record.status.name_vi());
    Ok(ExitCode::SUCCESS)
}
