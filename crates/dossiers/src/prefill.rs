//! Filling a unit report from the ledger: figures are computed, never typed.

use cchc_catalogue::Catalogue;
use cchc_report::{Entry, Key, Value};
use cchc_units::Level;

use crate::stats::{Counts, Table};

/// What the entries say about where they come from.
pub const SOURCE: &str = "Sổ theo dõi hồ sơ";

/// Entries for every indicator of the catalogue that names a ledger `source`: the total and the
/// `level` and `field` splits the indicator declares.
pub fn prefill(table: &Table, catalogue: &Catalogue) -> Vec<Entry> {
    let levels: Vec<Level> = table.rows.keys().map(|(l, _)| *l).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    let fields: Vec<&String> = table.rows.keys().map(|(_, f)| f).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    let mut out = Vec::new();
    for ind in catalogue.value_indicators() {
        let Some(source) = ind.source.as_deref() else { continue };
        let by_level = ind.splits.iter().any(|s| s == "level");
        let by_field = ind.splits.iter().any(|s| s == "field");
        let mut push = |key: Key, c: Counts| {
            if let Some(n) = c.figure(source) {
                out.push(Entry { source: Some(SOURCE.into()), ..Entry::new(key, Value::Int(n as i64)) });
            }
        };
        push(Key::total(&ind.code), table.total());
        for l in levels.iter().filter(|_| by_level) {
            push(Key::split(&ind.code, &[("level", l.slug())]), table.level(*l));
        }
        for f in fields.iter().filter(|_| by_field) {
            push(Key::split(&ind.code, &[("field", f)]), table.field(f));
        }
        if by_level && by_field {
            for ((l, f), row) in &table.rows {
                push(Key::split(&ind.code, &[("level", l.slug()), ("field", f)]), *row);
            }
        }
    }
    out
}
