//! What administrators also do in the browser, from the command line: the procedure list, the
//! yearly schedule of days off, catalogue versions and the one in force.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use cchc_app::App;
use cchc_app::calendar::SavedYear;
use cchc_app::catalogues::Checked;
use cchc_app::procedures::ProceduresImport;
use cchc_calendar::{Schedule, WorkCalendar};
use cchc_storage::{Store, User};

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("không đọc được {}", path.display()))
}

/// `cchc procedures import FILE.csv`.
pub async fn import_procedures(app: &App, actor: &User, path: &Path) -> Result<ExitCode> {
    let file = std::fs::File::open(path).with_context(|| format!("không mở được {}", path.display()))?;
    match cchc_app::admin::import_procedures(app, actor, file).await? {
        ProceduresImport::Stored { procedures, rederived } => {
            println!("Đã nhập {} thủ tục hành chính.", cchc_format::int(procedures as i64));
            if rederived > 0 {
                println!("Thời hạn giải quyết thay đổi: đã tính lại hạn của {} hồ sơ.", cchc_format::int(rederived as i64));
            }
            Ok(ExitCode::SUCCESS)
        }
        ProceduresImport::Refused(errors) => {
            println!("Tệp không hợp lệ ({} lỗi), không nhập thủ tục nào:", cchc_format::int(errors.len() as i64));
            errors.iter().for_each(|e| println!("LỖI {e}"));
            Ok(ExitCode::from(1))
        }
    }
}

/// `cchc calendar import FILE.toml`: every year of the file is checked before any is stored.
pub async fn import_schedule(app: &App, actor: &User, path: &Path) -> Result<ExitCode> {
    let schedule = Schedule::parse(&read(path)?)?;
    match cchc_app::admin::save_calendar_years(app, actor, &schedule.years).await? {
        SavedYear::Saved { rederived } => {
            let years: Vec<String> = schedule.years.iter().map(|y| y.year.to_string()).collect();
            println!(
                "Đã lưu lịch nghỉ năm {}; đã tính lại hạn giải quyết của {} hồ sơ.",
                years.join(", "),
                cchc_format::int(rederived as i64)
            );
            Ok(ExitCode::SUCCESS)
        }
        SavedYear::Refused(problems) => {
            println!("Lịch nghỉ không hợp lệ, không lưu năm nào:");
            problems.iter().for_each(|p| println!("LỖI {p}"));
            Ok(ExitCode::from(1))
        }
    }
}

/// `cchc calendar holidays YEAR`: from the store when it exists (what administrators recorded),
/// else the shipped schedule. The days off (`dd/mm/yyyy name`), then the weekend days worked in
/// exchange (làm bù), which change due dates as much as the days off do.
pub async fn holidays(store: Option<&dyn Store>, year: i32) -> Result<ExitCode> {
    let calendar = match store {
        Some(s) => cchc_app::calendar::work_calendar(s).await?,
        None => WorkCalendar::vietnam(),
    };
    for d in calendar.days_off(year) {
        println!("{} {}", cchc_format::date(d.date), d.name);
    }
    let worked = calendar.schedule().year_or_empty(year).working_days;
    if !worked.is_empty() {
        println!();
        println!("Ngày làm việc bù (ngày nghỉ hằng tuần đi làm):");
        for d in worked {
            println!("{} {} — {}", cchc_format::date(d.date), cchc_format::weekday(d.date), d.name);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `cchc catalogue add FILE [--in-force]`.
pub async fn add_catalogue(app: &App, actor: &User, path: &Path, in_force: bool) -> Result<ExitCode> {
    match cchc_app::admin::add_catalogue(app, actor, &read(path)?).await? {
        Checked::Valid { file, changes, .. } => {
            let reference = file.catalogue.reference();
            println!("Đã lưu bộ chỉ tiêu {reference}.");
            changes.lines_vi().iter().for_each(|l| println!("  {l}"));
            if in_force {
                cchc_app::admin::put_catalogue_in_force(app, actor, &reference).await?;
                println!("Báo cáo lập mới dùng bộ chỉ tiêu {reference}.");
            }
            Ok(ExitCode::SUCCESS)
        }
        Checked::Invalid(problems) => {
            println!("Bộ chỉ tiêu không hợp lệ, không lưu:");
            problems.iter().for_each(|p| println!("LỖI {p}"));
            Ok(ExitCode::from(1))
        }
    }
}

/// `cchc catalogue use REFERENCE`.
pub async fn use_catalogue(app: &App, actor: &User, reference: &str) -> Result<ExitCode> {
    cchc_app::admin::put_catalogue_in_force(app, actor, reference).await?;
    println!("Báo cáo lập mới dùng bộ chỉ tiêu {reference}.");
    Ok(ExitCode::SUCCESS)
}
