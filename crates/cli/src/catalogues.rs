//! Where catalogues come from: the built-in default plus files named on the command line.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};
use cchc_catalogue::{Catalogue, CatalogueFile, CatalogueSource, DEFAULT_CATALOGUE_TOML, parse};

/// Every catalogue file known to this run: the default first, then the given files.
pub fn sources(extra: &[PathBuf]) -> Result<CatalogueSource> {
    let mut files = vec![parse(DEFAULT_CATALOGUE_TOML)?];
    for path in extra {
        files.push(read_file(path)?);
    }
    Ok(CatalogueSource(files))
}

/// The catalogue files named with `--catalogue`, as written.
pub fn files(extra: &[PathBuf]) -> Result<Vec<CatalogueFile>> {
    extra.iter().map(|p| read_file(p)).collect()
}

fn read_file(path: &Path) -> Result<CatalogueFile> {
    let text = std::fs::read_to_string(path).with_context(|| format!("không đọc được tệp {}", path.display()))?;
    parse(&text).with_context(|| format!("tệp {}", path.display()))
}

/// The catalogue a report names (`id@version`), resolved through its `extends` chain.
pub fn find(reference: &str, extra: &[PathBuf]) -> Result<Catalogue> {
    let src = sources(extra)?;
    let file = src
        .0
        .iter()
        .find(|f| f.catalogue.reference() == reference)
        .cloned()
        .ok_or_else(|| anyhow!("không tìm thấy bộ chỉ tiêu \"{reference}\" (dùng --catalogue TỆP để chỉ ra tệp)"))?;
    Ok(cchc_app::catalogues::resolve_checked(file, &src.0)?)
}

/// `cchc catalogue check FILE`.
pub fn check_command(path: &Path, extra: &[PathBuf]) -> Result<ExitCode> {
    let file = match read_file(path) {
        Ok(f) => f,
        Err(e) => {
            println!("{e:#}");
            return Ok(ExitCode::from(1));
        }
    };
    let reference = file.catalogue.reference();
    match cchc_app::catalogues::resolve_checked(file, &sources(extra)?.0) {
        Ok(c) => {
            println!("{}", c.summary_vi());
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            println!("Bộ chỉ tiêu {reference} không hợp lệ:\n{e}");
            Ok(ExitCode::from(1))
        }
    }
}
