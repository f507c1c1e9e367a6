//! `cchc`: the command line of cchc. Every command is a thin shell over the domain crates:
//! parse arguments, load inputs, call the core, print in Vietnamese, set the exit status.

mod catalogues;
mod output;
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
    /// Catalogue commands.
    #[command(subcommand)]
    Catalogue(CatalogueCommand),
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
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("Lỗi: {e:#}");
            ExitCode::from(2)
        }
    }
}
