//! `cchc dossiers …`: generate, import and compute the Biểu 06 statistics of the ledger.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use cchc_app::dossiers::Import;
use cchc_dossiers::scores::{Basis, Entered, Group};
use cchc_dossiers::{Counts, Table};
use cchc_periods::Period;
use cchc_storage::Store;
use serde_json::json;

use crate::output::Format;

/// `cchc dossiers generate`.
pub async fn generate_cmd(store: &dyn Store, root: &str, n: usize, year: i32, seed: u64, out: Option<&Path>) -> Result<ExitCode> {
    let tree = store.unit_tree().await?;
    match out {
        Some(path) => {
            let generated = cchc_app::dossiers::generated(store, &tree, root, n, year, seed).await?;
            let mut f = std::io::BufWriter::new(std::fs::File::create(path).with_context(|| format!("không tạo được {}", path.display()))?);
            let mut written = 0usize;
            let counted = generated.dossiers().inspect(|_| written += 1);
            if path.extension().is_some_and(|e| e == "csv") {
                cchc_dossiers::import::write_dossiers_csv(counted, &mut f)?;
            } else {
                for d in counted {
                    writeln!(f, "{}", serde_json::to_string(&d)?)?;
                }
            }
            f.flush()?;
            println!("Đã tạo {} hồ sơ mẫu vào {}.", cchc_format::int(written as i64), path.display());
        }
        None => {
            let stored = cchc_app::dossiers::generate_into_store(store, &tree, root, n, year, seed).await?;
            println!("Đã tạo và lưu {} hồ sơ mẫu.", cchc_format::int(stored as i64));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The format of a dossier file to import.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum FileFormat {
    /// cchc's own: `.csv` (one row per event) or `.jsonl` (one dossier per line), by extension.
    Cchc,
    /// The national portal's synchronisation body (docs/dvcqg.md).
    Dvcqg,
    /// Form 07 of Circular 03/2025/TT-VPCP (sổ theo dõi hồ sơ) as an Excel workbook, as one-stop
    /// systems and cchc export it (docs/dvcqg.md, "Form 07").
    Mau07,
}

/// The format of a dossier export.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ExportFormat {
    Csv,
    Jsonl,
    Dvcqg,
    /// Cập nhật tiến độ xử lý (CapNhatTienDoHoSoMC): người xử lý từng bước.
    DvcqgTienDo,
}

/// `cchc dossiers import FILE [--format dvcqg [--steps FILE]|mau07]`.
pub async fn import_cmd(
    app: &cchc_app::App,
    actor: &cchc_storage::User,
    path: &Path,
    format: FileFormat,
    steps: Option<&Path>,
) -> Result<ExitCode> {
    if steps.is_some() && !matches!(format, FileFormat::Dvcqg) {
        eprintln!("--steps chỉ dùng với --format dvcqg (tệp cập nhật tiến độ của Cổng Dịch vụ công quốc gia).");
        return Ok(ExitCode::from(2));
    }
    let (import, skipped, unmatched) = match format {
        FileFormat::Cchc => (cchc_app::ledger::import_export(app, actor, path).await?, 0, 0),
        FileFormat::Dvcqg => {
            let read = cchc_app::ledger::import_national_with_steps(app, actor, path, steps).await?;
            (read.import, read.skipped, read.unmatched_steps)
        }
        FileFormat::Mau07 => (cchc_app::ledger::import_ledger_form(app, actor, path).await?, 0, 0),
    };
    match import {
        Import::Stored(n) => {
            println!("Đã nhập {} hồ sơ.", cchc_format::int(n as i64));
            if skipped > 0 {
                println!("Bỏ qua {} hồ sơ mới đăng ký, chưa được tiếp nhận (trạng thái 1).", cchc_format::int(skipped as i64));
            }
            if unmatched > 0 {
                println!(
                    "Bỏ qua {} cập nhật tiến độ không khớp hồ sơ hoặc thời điểm nào trong tệp hồ sơ.",
                    cchc_format::int(unmatched as i64)
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Import::Refused(errors) => {
            println!("Tệp không hợp lệ ({} lỗi), không nhập hồ sơ nào:", cchc_format::int(errors.len() as i64));
            for e in &errors {
                println!("LỖI {e}");
            }
            Ok(ExitCode::from(1))
        }
    }
}

/// `cchc dossiers export --unit CODE --format csv|jsonl|dvcqg|dvcqg-tien-do [--out FILE]`.
pub async fn export_cmd(
    app: &cchc_app::App,
    actor: &cchc_storage::User,
    unit: &str,
    format: ExportFormat,
    out: Option<&Path>,
) -> Result<ExitCode> {
    let mut bytes = Vec::new();
    let count = match format {
        ExportFormat::Dvcqg | ExportFormat::DvcqgTienDo => {
            let body = if matches!(format, ExportFormat::Dvcqg) {
                cchc_app::ledger::export_national(app, actor, unit).await?
            } else {
                cchc_app::ledger::export_national_steps(app, actor, unit).await?
            };
            serde_json::to_writer_pretty(&mut bytes, &body)?;
            bytes.push(b'\n');
            body["data"].as_array().map_or(0, Vec::len)
        }
        ExportFormat::Csv | ExportFormat::Jsonl => {
            let dossiers = cchc_app::ledger::subtree_dossiers(app, actor, unit).await?;
            if matches!(format, ExportFormat::Csv) {
                cchc_dossiers::import::write_dossiers_csv(dossiers.iter(), &mut bytes)?;
            } else {
                for d in &dossiers {
                    writeln!(bytes, "{}", serde_json::to_string(d)?)?;
                }
            }
            dossiers.len()
        }
    };
    match out {
        Some(path) => {
            std::fs::write(path, &bytes).with_context(|| format!("không ghi được {}", path.display()))?;
            eprintln!("Đã xuất {} hồ sơ vào {}.", cchc_format::int(count as i64), path.display());
        }
        None => std::io::stdout().write_all(&bytes)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `cchc dossiers prefill`: the unit's report for the period with every ledger figure filled in
/// (a new draft, or the stored report with those figures replaced), validated and saved.
pub async fn prefill_cmd(app: &cchc_app::App, actor: &cchc_storage::User, root: &str, period: Period) -> Result<ExitCode> {
    let (record, n, findings) = cchc_app::reports::prefill(app, actor, root, period).await?;
    print!("{}", crate::output::findings_text(&format!("Báo cáo {} – {}", record.report.unit.name, period.title_vi()), &findings));
    println!("Đã điền {} số liệu từ sổ theo dõi hồ sơ (phiên bản {}).", cchc_format::int(n as i64), record.version);
    Ok(ExitCode::SUCCESS)
}

/// `cchc dossiers stats --unit CODE --period P [--transparency POINTS]`: the transparency group
/// of Decision 766 is assessed outside the ledger, so its points are an input, never invented.
pub async fn stats_cmd(
    app: &cchc_app::App,
    actor: &cchc_storage::User,
    root: &str,
    period: Period,
    format: Format,
    overrides: Entered,
) -> Result<ExitCode> {
    let (table, scored) = cchc_app::scores::table_and_scores(app, actor, root, period, &overrides).await?;
    let tree = app.tree().await?;
    let window = app.rule.window(period);
    let name = tree.get(root).map_or(root, |u| u.name.as_str());
    match format {
        Format::Text => print!("{}{}", table_text(&table, name, period, window), scores_text(&scored)),
        Format::Json => println!("{}", table_json(&table, root, period, &scored)),
    }
    Ok(ExitCode::SUCCESS)
}

/// `cchc dossiers scores-import FILE`: the national portal's totals of many units.
pub async fn scores_import_cmd(app: &cchc_app::App, actor: &cchc_storage::User, path: &Path) -> Result<ExitCode> {
    let bytes = std::fs::read(path).with_context(|| format!("không đọc được {}", path.display()))?;
    let n = cchc_app::scores::import_national(app, actor, &bytes).await?;
    println!("Đã lưu điểm trên Cổng Dịch vụ công quốc gia của {} đơn vị, kỳ.", cchc_format::int(n as i64));
    Ok(ExitCode::SUCCESS)
}

/// `cchc dossiers scores`: keeps the points entered (`--set part=points`, `--national`), then
/// prints the unit's Decision 766 scores.
pub async fn scores_cmd(
    app: &cchc_app::App,
    actor: &cchc_storage::User,
    unit: &str,
    period: Period,
    set: &[(String, rust_decimal::Decimal)],
    national: Option<rust_decimal::Decimal>,
    format: Format,
) -> Result<ExitCode> {
    if !set.is_empty() || national.is_some() {
        let entries: Vec<(String, Option<rust_decimal::Decimal>)> = set.iter().map(|(name, p)| (name.clone(), Some(*p))).collect();
        cchc_app::scores::enter(app, actor, unit, period, &entries, national.map(Some)).await?;
        println!("Đã lưu điểm nhập cho {unit}, {}.", period.title_vi());
    }
    let scored = cchc_app::scores::decision_766(app, actor, unit, period, &Entered::default()).await?;
    match format {
        Format::Text => print!("{}", scores_text(&scored)),
        Format::Json => println!("{}", serde_json::to_string_pretty(&scores_json(&scored)).expect("serialises")),
    }
    Ok(ExitCode::SUCCESS)
}

use cchc_dossiers::BIEU06_COLUMNS as COLUMNS;

fn row_text(label: &str, c: &Counts) -> String {
    let cells: Vec<String> = COLUMNS.iter().map(|(k, _)| format!("{:>16}", cchc_format::int(c.figure(k).unwrap_or(0) as i64))).collect();
    format!("{label:<28}{}\n", cells.join(""))
}

fn table_text(t: &Table, name: &str, period: Period, window: cchc_periods::DateRange) -> String {
    let mut out = format!(
        "BIỂU 06 – TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC – {} – {} (từ {} đến {})\n",
        name,
        period.title_vi(),
        cchc_format::date(window.from),
        cchc_format::date(window.to)
    );
    let header: Vec<String> = COLUMNS.iter().map(|(_, h)| format!("{h:>16}")).collect();
    out.push_str(&format!("{:<28}{}\n", "Lĩnh vực", header.join("")));
    for ((level, field), row) in &t.rows {
        out.push_str(&row_text(&format!("{} – {}", level.name_vi(), field), row));
    }
    out.push_str(&row_text("TỔNG CỘNG", &t.total()));
    let total = t.total();
    for rate in [cchc_dossiers::rates::Rate::OnTime, cchc_dossiers::rates::Rate::Online] {
        if let Some(p) = rate.percent(&total) {
            out.push_str(&format!("{}: {}\n", rate.name_vi(), cchc_format::percent(p)));
        }
    }
    out
}

/// How many of the dossiers that cost points are listed by name.
const LISTED: usize = 20;

fn scores_text(s: &cchc_app::scores::Scored) -> String {
    let mut out = String::from("ĐIỂM THEO QUYẾT ĐỊNH 766/QĐ-TTg (tính từ sổ theo dõi hồ sơ, danh mục TTHC và điểm nhập):\n");
    for g in Group::ALL {
        out.push_str(&format!("{} (tối đa {}): {}\n", g.name_vi(), g.max(), cchc_dossiers::scores::points_vi(s.scores.group(g))));
        if s.scores.entered_groups.contains_key(&g) {
            out.push_str("  (điểm cả nhóm do đơn vị nhập)\n");
            continue;
        }
        for part in g.parts() {
            let Some(p) = s.scores.part(part) else { continue };
            let basis = if p.basis == Basis::Unknown { String::new() } else { format!(" ({})", p.basis.describe_vi()) };
            out.push_str(&format!(
                "  - {} (tối đa {}): {}{basis}\n",
                part.name_vi(),
                part.max(),
                cchc_dossiers::scores::points_vi(p.points)
            ));
        }
    }
    let (known, max) = s.scores.total();
    out.push_str(&format!("Cộng các phần tính được: {} / {max} điểm\n", cchc_format::decimal(known)));
    if let Some(total) = s.scores.complete_total() {
        out.push_str(&format!("Tổng điểm: {} / 100\n", cchc_format::decimal(total)));
    }
    if let Some(national) = s.kept.national {
        out.push_str(&format!("Điểm trên Cổng Dịch vụ công quốc gia: {}", cchc_format::decimal(national)));
        match s.difference() {
            Some(d) => out.push_str(&format!(
                " (chênh lệch {}{})\n",
                if d > rust_decimal::Decimal::ZERO { "+" } else { "" },
                cchc_format::decimal(d)
            )),
            None => out.push_str(" (chưa so được: còn phần không tính được)\n"),
        }
    }
    for (what, ids) in [("Hồ sơ trễ hạn làm mất điểm", &s.late), ("Hồ sơ được đánh giá chưa hài lòng", &s.dissatisfied)]
    {
        if !ids.is_empty() {
            let listed: Vec<&str> = ids.iter().take(LISTED).map(String::as_str).collect();
            let more = if ids.len() > LISTED {
                format!(" và {} hồ sơ khác", cchc_format::int((ids.len() - LISTED) as i64))
            } else {
                String::new()
            };
            out.push_str(&format!("{what} ({}): {}{more}\n", cchc_format::int(ids.len() as i64), listed.join(", ")));
        }
    }
    out
}

fn scores_json(s: &cchc_app::scores::Scored) -> serde_json::Value {
    let groups: Vec<_> = Group::ALL
        .into_iter()
        .map(|g| {
            let parts: Vec<_> = g
                .parts()
                .filter_map(|part| s.scores.part(part))
                .map(|p| {
                    let basis = match p.basis {
                        Basis::Share { num, den } => json!({ "share": [num, den] }),
                        Basis::Entered(points) => json!({ "entered": points.to_string() }),
                        Basis::NotApplicable => json!("not_applicable"),
                        Basis::Unknown => json!("unknown"),
                    };
                    json!({ "part": p.part.slug(), "name": p.part.name_vi(), "max": p.part.max(), "points": p.points.map(|x| x.to_string()), "basis": basis })
                })
                .collect();
            json!({ "group": g.slug(), "name": g.name_vi(), "max": g.max(), "points": s.scores.group(g).map(|p| p.to_string()), "parts": parts })
        })
        .collect();
    let (known, max) = s.scores.total();
    json!({
        "groups": groups,
        "known": known.to_string(),
        "known_max": max,
        "total": s.scores.complete_total().map(|p| p.to_string()),
        "national": s.kept.national.map(|p| p.to_string()),
        "difference": s.difference().map(|p| p.to_string()),
        "late": s.late,
        "dissatisfied": s.dissatisfied,
    })
}

fn table_json(t: &Table, unit: &str, period: Period, scored: &cchc_app::scores::Scored) -> String {
    let counts = |c: &Counts| -> serde_json::Value {
        let mut m = serde_json::Map::new();
        // Every figure the ledger provides, by the names catalogues use in `source`.
        for k in cchc_dossiers::sources::SOURCES {
            m.insert(k.to_string(), json!(c.figure(k)));
        }
        serde_json::Value::Object(m)
    };
    let rows: Vec<_> = t.rows.iter().map(|((l, f), c)| json!({ "level": l.slug(), "field": f, "counts": counts(c) })).collect();
    serde_json::to_string_pretty(&json!({ "unit": unit, "period": period.to_string(), "rows": rows, "total": counts(&t.total()), "scores_766": scores_json(scored) })).expect("serialises")
}

/// `cchc dossiers form --id ID --form 01 [--out FILE]`: a form of Circular 03/2025/TT-VPCP of
/// one dossier, as DOCX, or PDF when the file ends in `.pdf`.
pub async fn form_cmd(
    app: &cchc_app::App,
    actor: &cchc_storage::User,
    id: &str,
    form: &str,
    out: Option<&Path>,
    base_url: &str,
) -> Result<ExitCode> {
    use cchc_documents::counter_forms::Form;
    let form = Form::parse(form).ok_or_else(|| anyhow::anyhow!("không có mẫu số \"{form}\": chỉ có 01 đến 06"))?;
    let printed = cchc_app::counter_forms::form(app, actor, id, form, base_url).await?;
    let path = out.map_or_else(|| std::path::PathBuf::from(format!("{}.docx", printed.file_stem)), Path::to_path_buf);
    let pdf = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    let bytes = if pdf { cchc_app::counter_forms::pdf(&printed.docx)? } else { printed.docx };
    std::fs::write(&path, bytes).with_context(|| format!("không ghi được {}", path.display()))?;
    println!("Đã ghi {} (mẫu số {}, hồ sơ {id}) vào {}", form.name_vi(), form.number(), path.display());
    Ok(ExitCode::SUCCESS)
}
