//! The indicator catalogue (bộ chỉ tiêu thống kê CCHC), kept as data.
//!
//! A catalogue holds the forms (biểu mẫu 1–7), the split dimensions (cấp, kênh, lĩnh vực), the
//! indicators (chỉ tiêu) and the validation rules (quy tắc kiểm tra). It is written in TOML (see
//! `docs/catalogue-format.md`), versioned, and loadable per province: a province's catalogue can
//! `extends` another and add, replace or remove indicators and rules. Nothing in code knows an
//! indicator code; everything comes from here.

mod check;
pub mod checks;
mod compare;
pub mod expr;
mod model;
mod overlay;
pub mod template;

pub use check::{CatalogueError, check};
pub use checks::{AutoCheck, CheckSeverity, Limit, Required, Severities};
pub use compare::{Changes, compare};
pub use model::*;
pub use overlay::{CatalogueSource, Resolver, resolve};

/// The default catalogue shipped with cchc, merged from the appendices of the reference reports.
pub const DEFAULT_CATALOGUE_TOML: &str = include_str!("../../../catalogues/vn-default.toml");

/// Parses one catalogue file (without resolving `extends`).
pub fn parse(text: &str) -> Result<CatalogueFile, CatalogueError> {
    toml::from_str(text).map_err(|e| CatalogueError::Syntax(syntax_message(text, &e)))
}

/// The line of the problem and the parser's message, in Vietnamese where it is a common one.
fn syntax_message(text: &str, e: &toml::de::Error) -> String {
    let vi = cchc_format::serde_message(e.message());
    match e.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!("dòng {line}: {vi}")
        }
        None => vi,
    }
}

/// Writes a catalogue file back to TOML.
pub fn to_toml(file: &CatalogueFile) -> String {
    toml::to_string_pretty(file).expect("a catalogue always serialises")
}

/// The default catalogue, parsed and checked.
pub fn default_catalogue() -> Catalogue {
    let file = parse(DEFAULT_CATALOGUE_TOML).expect("the default catalogue parses");
    resolve(file, &overlay::NoParents).expect("the default catalogue is valid")
}

#[cfg(test)]
mod tests;
