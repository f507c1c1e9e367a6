//! `cchc`: the command line of cchc. Every command is a thin shell over the domain crates:
//! parse arguments, load inputs, call the core, print in Vietnamese, set the exit status.

mod catalogues;
mod dossier_cmds;
mod output;
mod store_cmds;
mod validate;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cchc", version, about = "Báo cáo cải cách hành chính: kiểm tra, nhập, tổng hợp số liệu")]
struct Cli {
    /// Extra catalogue files (TOML) besides the built-in default; a report names the one it uses.
    #[arg(long = "catalogue", global = true, value_name = "FILE")]
    catalogues: Vec<PathBuf>,
    /// The database: `sqlite://cchc.db` (default), `sqlite::memory:` or `postgres://…`.
    #[arg(long, global = true, env = "CCHC_DB", default_value = "sqlite://cchc.db")]
    db: String,
    /// The province's data-window rule (TOML, see docs/periods.md); default: 15th → 14th, due in 2
    /// working days.
    #[arg(long, global = true, value_name = "FILE")]
    window: Option<PathBuf>,
    /// Who is acting, for the audit log.
    #[arg(long = "as", global = true, default_value = "cli")]
    user: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a unit-report file without storing it. Exit status 1 when an error-level finding
    /// (lỗi) is found, 0 otherwise.
    Validate {
        file: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: output::Format,
    },
    /// Validate a unit-report file, then store it atomically; nothing is stored on an error.
    Import { file: PathBuf },
    /// Compile a unit's report for a period from its own and its subtree's submitted reports.
    Rollup {
        #[arg(long)]
        unit: String,
        #[arg(long)]
        period: String,
        #[arg(long, value_enum, default_value = "text")]
        format: output::Format,
        /// Also write the compiled report as a report file (JSON).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Move a stored report through the workflow: submit (gửi), approve (duyệt), return (trả lại,
    /// needs --reason), lock (khóa), unlock (mở khóa).
    Workflow {
        #[arg(long)]
        unit: String,
        #[arg(long)]
        period: String,
        #[arg(long, value_enum)]
        action: store_cmds::WorkflowAction,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Catalogue commands.
    #[command(subcommand)]
    Catalogue(CatalogueCommand),
    /// Unit commands.
    #[command(subcommand)]
    Units(UnitsCommand),
    /// The one-stop dossier ledger.
    #[command(subcommand)]
    Dossiers(DossiersCommand),
    /// The Vietnamese working-day calendar.
    #[command(subcommand)]
    Calendar(CalendarCommand),
}

#[derive(Subcommand)]
enum DossiersCommand {
    /// Import a dossier export: .csv (one row per event) or .jsonl (one dossier per line).
    Import { file: PathBuf },
    /// Print the Biểu 06 statistics of a unit's subtree for a period.
    Stats {
        #[arg(long)]
        unit: String,
        #[arg(long)]
        period: String,
        #[arg(long, value_enum, default_value = "text")]
        format: output::Format,
    },
    /// Fill the unit's report for the period with the figures computed from the ledger.
    Prefill {
        #[arg(long)]
        unit: String,
        #[arg(long)]
        period: String,
    },
    /// Generate realistic synthetic dossiers for the units below --unit (stored, or written to --out).
    Generate {
        #[arg(long)]
        dossiers: usize,
        #[arg(long)]
        unit: String,
        #[arg(long, default_value_t = 2026)]
        year: i32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum CalendarCommand {
    /// Print the lunar date of a day as D/M/YYYY, with "(nhuận)" in a leap month.
    Lunar { date: String },
    /// List the days off of a year (dd/mm/yyyy and name).
    Holidays { year: i32 },
}

#[derive(Subcommand)]
enum UnitsCommand {
    /// Load units and their lineage from a JSON file (docs/units-format.md).
    Import { file: PathBuf },
}

#[derive(Subcommand)]
enum CatalogueCommand {
    /// Check a catalogue file (and the chain it extends); print every problem.
    Check { file: PathBuf },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate { file, format } => validate::run(&file, format, &cli.catalogues),
        Command::Catalogue(CatalogueCommand::Check { file }) => catalogues::check_command(&file, &cli.catalogues),
        Command::Calendar(c) => calendar(c),
        store_command => run_with_store(&cli.db, &cli.user, store_command, &cli.catalogues, cli.window.as_deref()),
    };
    finish(result)
}

fn run_with_store(db: &str, user: &str, command: Command, extra: &[PathBuf], window: Option<&std::path::Path>) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let store = cchc_storage::open(db).await?;
        match command {
            Command::Import { file } => store_cmds::import(store.as_ref(), &file, extra, user).await,
            Command::Units(UnitsCommand::Import { file }) => store_cmds::import_units(store.as_ref(), &file).await,
            Command::Rollup { unit, period, format, out } => {
                let period = period.parse()?;
                let rule = store_cmds::window_rule(window)?;
                store_cmds::rollup(store.as_ref(), &unit, period, &rule, format, out.as_deref(), extra).await
            }
            Command::Workflow { unit, period, action, reason } => {
                store_cmds::workflow(store.as_ref(), &unit, period.parse()?, action, reason.as_deref(), user).await
            }
            Command::Dossiers(DossiersCommand::Import { file }) => dossier_cmds::import_cmd(store.as_ref(), &file).await,
            Command::Dossiers(DossiersCommand::Stats { unit, period, format }) => {
                let rule = store_cmds::window_rule(window)?;
                dossier_cmds::stats_cmd(store.as_ref(), &unit, period.parse()?, &rule, format).await
            }
            Command::Dossiers(DossiersCommand::Prefill { unit, period }) => {
                let rule = store_cmds::window_rule(window)?;
                dossier_cmds::prefill_cmd(store.as_ref(), &unit, period.parse()?, &rule, user).await
            }
            Command::Dossiers(DossiersCommand::Generate { dossiers, unit, year, seed, out }) => {
                dossier_cmds::generate_cmd(store.as_ref(), &unit, dossiers, year, seed, out.as_deref()).await
            }
            Command::Validate { .. } | Command::Catalogue(_) | Command::Calendar(_) => unreachable!("handled without a store"),
        }
    })
}

fn calendar(command: CalendarCommand) -> anyhow::Result<ExitCode> {
    match command {
        CalendarCommand::Lunar { date } => {
            let day = cchc_format::parse_date(&date).ok_or_else(|| anyhow::anyhow!("ngày \"{date}\" không hợp lệ (viết YYYY-MM-DD hoặc dd/mm/yyyy)"))?;
            println!("{}", cchc_calendar::solar_to_lunar(day));
        }
        CalendarCommand::Holidays { year } => {
            let cal = cchc_calendar::WorkCalendar::vietnam();
            for d in cal.days_off(year) {
                println!("{} {}", cchc_format::date(d.date), d.name);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn finish(result: anyhow::Result<ExitCode>) -> ExitCode {
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("Lỗi: {e:#}");
            ExitCode::from(2)
        }
    }
}
