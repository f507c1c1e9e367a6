//! The names of the figures the ledger provides to a report, which a catalogue's indicators
//! name in their `source` (docs/catalogue-format.md). The application checks every catalogue it
//! loads against this list (`Catalogue::check_sources`).

/// Every name [`crate::Counts::figure`] answers, in the order of the Biểu 06 columns and then
/// the ledger's other figures.
pub const SOURCES: [&str; 23] = [
    "received_total",
    "received_online",
    "received_direct",
    "received_postal",
    "carried_over",
    "received_new",
    "resolved_total",
    "resolved_early",
    "resolved_on_due",
    "resolved_in_time",
    "resolved_late",
    "in_progress_total",
    "in_progress_within",
    "in_progress_overdue",
    "awaiting_supplement",
    "returned",
    "apology_letters",
    "returned_by_postal",
    "digitised",
    "paid_online",
    "fee_paid",
    "satisfaction_surveyed",
    "satisfaction_satisfied",
];

#[cfg(test)]
mod tests {
    use super::SOURCES;
    use crate::Counts;

    #[test]
    fn every_listed_source_is_a_figure_of_the_ledger() {
        let counts = Counts::default();
        for s in SOURCES {
            assert!(counts.figure(s).is_some(), "{s}");
        }
        for (column, _) in crate::BIEU06_COLUMNS {
            assert!(SOURCES.contains(&column), "{column}");
        }
        assert_eq!(counts.figure("bieu06.received_total"), None);
    }
}
