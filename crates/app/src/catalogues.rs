//! The catalogues administrators manage: the stored versions, the one in force (which new
//! reports follow), and a new version checked as a whole before it is stored.
//!
//! A report keeps the reference (`id@version`) of the catalogue it was made with, and a stored
//! version never changes ([`Store::add_catalogue`]), so putting a new version in force changes
//! what new reports look like and leaves every existing report readable as it was.

use anyhow::Result;
use cchc_catalogue::{Catalogue, CatalogueError, CatalogueFile, CatalogueSource, Changes, DEFAULT_CATALOGUE_TOML, compare, parse, resolve};
use cchc_storage::Store;
use cchc_storage::setting::CATALOGUE_IN_FORCE;

/// Every catalogue file known: the shipped default first, then the stored versions.
pub async fn sources(store: &dyn Store) -> Result<Vec<CatalogueFile>> {
    let mut files = vec![parse(DEFAULT_CATALOGUE_TOML)?];
    let default_ref = files[0].catalogue.reference();
    files.extend(store.catalogue_files().await?.into_iter().filter(|f| f.catalogue.reference() != default_ref));
    Ok(files)
}

/// Resolves `file` through its `extends` chain over `files` and checks it as the application
/// uses it: the catalogue's own checks, and every indicator's `source` against the figures the
/// dossier ledger provides ([`cchc_dossiers::sources::SOURCES`]) and those the work records
/// provide ([`cchc_records::figures::SOURCES`], [`cchc_records::inspections::SOURCES`]).
pub fn resolve_checked(file: CatalogueFile, files: &[CatalogueFile]) -> Result<Catalogue, CatalogueError> {
    let catalogue = resolve(file, &CatalogueSource(files.to_vec()))?;
    let known: Vec<&str> = cchc_dossiers::sources::SOURCES
        .iter()
        .chain(&cchc_records::figures::SOURCES)
        .chain(&cchc_records::inspections::SOURCES)
        .copied()
        .collect();
    let problems = catalogue.check_sources(&known);
    if problems.is_empty() { Ok(catalogue) } else { Err(CatalogueError::Invalid(problems.join("\n"))) }
}

/// The reference of the catalogue in force: the administrators' choice, else the shipped default.
pub async fn in_force_reference(store: &dyn Store) -> Result<String> {
    match store.setting(CATALOGUE_IN_FORCE).await? {
        Some(reference) => Ok(reference),
        None => Ok(parse(DEFAULT_CATALOGUE_TOML)?.catalogue.reference()),
    }
}

/// The catalogue in force, resolved through its `extends` chain.
pub async fn in_force(store: &dyn Store) -> Result<Catalogue> {
    crate::report_docs::catalogue(store, &in_force_reference(store).await?).await
}

/// One stored version as the administrators' page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub reference: String,
    pub name: String,
    pub extends: Option<String>,
    /// Indicators and rules once its `extends` chain is applied.
    pub indicators: usize,
    pub rules: usize,
    pub in_force: bool,
}

/// Every version known, the one in force marked.
pub async fn versions(store: &dyn Store) -> Result<Vec<Version>> {
    let files = sources(store).await?;
    let in_force = in_force_reference(store).await?;
    files
        .iter()
        .map(|f| {
            let meta = f.catalogue.clone();
            let resolved = resolve_checked(f.clone(), &files)?;
            let reference = meta.reference();
            Ok(Version {
                in_force: reference == in_force,
                reference,
                name: meta.name,
                extends: meta.extends,
                indicators: resolved.value_indicators().count(),
                rules: resolved.rules.len(),
            })
        })
        .collect()
}

/// A catalogue text checked against the stored versions.
#[derive(Debug, Clone)]
pub enum Checked {
    /// Usable: the file, the resolved catalogue, and what it changes compared with the one in
    /// force.
    Valid { file: Box<CatalogueFile>, catalogue: Box<Catalogue>, changes: Box<Changes> },
    /// Not usable: every problem, in Vietnamese.
    Invalid(Vec<String>),
}

/// Parses `text`, resolves its `extends` chain over the known versions and checks the result;
/// a reference already stored with another content is a problem too (versions never change).
pub async fn check_text(store: &dyn Store, text: &str) -> Result<Checked> {
    let file = match parse(text) {
        Ok(f) => f,
        Err(e) => return Ok(Checked::Invalid(vec![e.to_string()])),
    };
    let files = sources(store).await?;
    let reference = file.catalogue.reference();
    if files.iter().any(|f| f.catalogue.reference() == reference && f != &file) {
        return Ok(Checked::Invalid(vec![format!(
            "Bộ chỉ tiêu {reference} đã có với nội dung khác; báo cáo đã lập theo nó không được thay đổi, hãy đặt phiên bản mới (version)"
        )]));
    }
    let catalogue = match resolve_checked(file.clone(), &files) {
        Ok(c) => c,
        Err(e) => return Ok(Checked::Invalid(e.to_string().lines().map(str::to_string).collect())),
    };
    let changes = compare(&in_force(store).await?, &catalogue);
    Ok(Checked::Valid { file: Box::new(file), catalogue: Box::new(catalogue), changes: Box::new(changes) })
}

/// Checks `text` and, when it is usable, stores it as a new version (audited). Nothing is stored
/// otherwise.
pub async fn add_version(store: &dyn Store, text: &str, by: &str) -> Result<Checked> {
    let checked = check_text(store, text).await?;
    if let Checked::Valid { file, .. } = &checked {
        store.add_catalogue(file, by).await?;
    }
    Ok(checked)
}

/// Puts a known version in force for new reports (audited: old and new reference).
pub async fn set_in_force(store: &dyn Store, reference: &str, by: &str) -> Result<Catalogue> {
    if !sources(store).await?.iter().any(|f| f.catalogue.reference() == reference) {
        // One of the use-case errors, so that it reaches users as invalid input, not a fault.
        return Err(crate::Error::invalid(format!("Không áp dụng được: không có bộ chỉ tiêu \"{reference}\" đã lưu.")).into());
    }
    let catalogue = crate::report_docs::catalogue(store, reference).await?;
    store.put_setting(CATALOGUE_IN_FORCE, reference, by).await?;
    Ok(catalogue)
}
