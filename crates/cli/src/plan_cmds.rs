//! `cchc plans …`: a plan's task table imported from the Excel table offices keep, exported
//! back, and a unit's tasks listed with their states (issue 14).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use cchc_app::plans::TaskFilter;
use clap::Subcommand;

#[derive(Subcommand)]
pub enum PlansCommand {
    #[doc = "Nhập kế hoạch và danh sách nhiệm vụ từ bảng Excel (.xlsx, theo mẫu examples/plans/ke-hoach-cchc.xlsx); có lỗi ở bất kỳ hàng nào thì không nhập gì"]
    Import {
        file: PathBuf,
        #[doc = "Mã đơn vị ban hành kế hoạch"]
        #[arg(long)]
        unit: String,
    },
    #[doc = "Xuất kế hoạch và danh sách nhiệm vụ ra bảng Excel (.xlsx) cùng mẫu với tệp nhập"]
    Export {
        #[doc = "Số thứ tự của kế hoạch trong hệ thống (xem cchc plans list)"]
        #[arg(long)]
        id: i64,
        #[arg(long)]
        out: PathBuf,
    },
    #[doc = "Danh sách kế hoạch và nhiệm vụ của đơn vị (kể cả nhiệm vụ cấp trên giao) với tình trạng hôm nay"]
    List {
        #[arg(long)]
        unit: String,
        #[doc = "Chỉ các nhiệm vụ chưa hoàn thành đến hạn trong số ngày làm việc này"]
        #[arg(long, value_name = "NGÀY")]
        due_within: Option<u32>,
        #[doc = "Chỉ các nhiệm vụ quá hạn chưa hoàn thành"]
        #[arg(long)]
        overdue: bool,
    },
}

pub async fn run(app: &cchc_app::App, actor: &cchc_storage::User, command: PlansCommand) -> Result<ExitCode> {
    match command {
        PlansCommand::Import { file, unit } => import(app, actor, &file, &unit).await,
        PlansCommand::Export { id, out } => export(app, actor, id, &out).await,
        PlansCommand::List { unit, due_within, overdue } => {
            let filter = match (due_within, overdue) {
                (_, true) => TaskFilter::Overdue,
                (Some(n), false) => TaskFilter::DueWithin(n),
                (None, false) => TaskFilter::All,
            };
            list(app, actor, &unit, filter).await
        }
    }
}

async fn import(app: &cchc_app::App, actor: &cchc_storage::User, file: &Path, unit: &str) -> Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("không đọc được {}", file.display()))?;
    let stored = cchc_app::plans::import(app, actor, unit, &bytes).await?;
    println!(
        "Đã nhập {} ({} nhiệm vụ) của đơn vị {unit}, số thứ tự {}.",
        stored.plan.short_citation(),
        cchc_format::int(stored.tasks.len() as i64),
        stored.plan.id
    );
    Ok(ExitCode::SUCCESS)
}

async fn export(app: &cchc_app::App, actor: &cchc_storage::User, id: i64, out: &Path) -> Result<ExitCode> {
    let (plan, bytes) = cchc_app::plans::export(app, actor, id).await?;
    std::fs::write(out, bytes).with_context(|| format!("không ghi được {}", out.display()))?;
    println!("Đã xuất {} ra {}.", plan.short_citation(), out.display());
    Ok(ExitCode::SUCCESS)
}

async fn list(app: &cchc_app::App, actor: &cchc_storage::User, unit: &str, filter: TaskFilter) -> Result<ExitCode> {
    let plans = cchc_app::plans::list(app, actor, unit).await?;
    if filter == TaskFilter::All {
        for p in plans.own.iter().chain(&plans.assigned) {
            println!(
                "[{}] {} ({}; {} nhiệm vụ)",
                p.plan.id,
                p.plan.citation(),
                p.plan.kind.name_vi(),
                cchc_format::int(p.tasks.len() as i64)
            );
        }
    }
    let today = cchc_app::plans::today();
    let rows = cchc_app::plans::tasks(app, actor, unit, today, filter).await?;
    println!("Nhiệm vụ ngày {} ({}):", cchc_format::date(today), cchc_format::int(rows.len() as i64));
    for r in rows {
        println!(
            "- {} | chủ trì: {} | hạn {} | {}",
            r.task.content,
            r.task.responsible,
            cchc_format::date(r.task.deadline),
            r.state.name_vi()
        );
    }
    Ok(ExitCode::SUCCESS)
}
