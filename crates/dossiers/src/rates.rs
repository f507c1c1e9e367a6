//! The headline rates of the one-stop ledger (tỷ lệ): the one definition the dashboard, the
//! Biểu 06 page and `cchc dossiers stats` print, each a ratio of two counts of a Biểu 06 table.

use crate::Counts;

/// One headline rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rate {
    /// Tỷ lệ giải quyết trước hạn và đúng hạn: resolved in time / resolved.
    OnTime,
    /// Tỷ lệ tiếp nhận trực tuyến: received online / newly received.
    Online,
    /// Tỷ lệ hồ sơ được số hóa: digitised / newly received.
    Digitised,
    /// Tỷ lệ hài lòng: satisfied / surveyed.
    Satisfied,
}

impl Rate {
    /// Every rate, in the order pages print them.
    pub const ALL: [Rate; 4] = [Rate::OnTime, Rate::Online, Rate::Digitised, Rate::Satisfied];

    /// Its name as reports and pages write it.
    pub fn name_vi(self) -> &'static str {
        match self {
            Rate::OnTime => "Tỷ lệ giải quyết trước hạn và đúng hạn",
            Rate::Online => "Tỷ lệ tiếp nhận trực tuyến",
            Rate::Digitised => "Tỷ lệ hồ sơ được số hóa",
            Rate::Satisfied => "Tỷ lệ hài lòng",
        }
    }

    /// The short heading of a table column.
    pub fn column_vi(self) -> &'static str {
        match self {
            Rate::OnTime => "Đúng hạn",
            Rate::Online => "Trực tuyến",
            Rate::Digitised => "Số hóa",
            Rate::Satisfied => "Hài lòng",
        }
    }

    /// Numerator and denominator in `c`.
    pub fn parts(self, c: &Counts) -> (u64, u64) {
        match self {
            Rate::OnTime => (c.resolved_in_time(), c.resolved_total()),
            Rate::Online => (c.received_online, c.received_new()),
            Rate::Digitised => (c.digitised, c.received_new()),
            Rate::Satisfied => (c.satisfaction_satisfied, c.satisfaction_surveyed),
        }
    }

    /// The rate in percent (half-up to two decimals as `cchc_format` rounds), `None` when its
    /// denominator is 0.
    pub fn percent(self, c: &Counts) -> Option<rust_decimal::Decimal> {
        let (n, d) = self.parts(c);
        cchc_format::ratio_percent(i64::try_from(n).ok()?, i64::try_from(d).ok()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rate_is_its_parts_ratio() {
        let c = Counts {
            received_online: 3,
            received_direct: 1,
            digitised: 2,
            satisfaction_surveyed: 10,
            satisfaction_satisfied: 9,
            ..Counts::default()
        };
        let shown = |r: Rate| r.percent(&c).map(cchc_format::percent);
        assert_eq!(shown(Rate::Online).as_deref(), Some("75,00%"));
        assert_eq!(shown(Rate::Digitised).as_deref(), Some("50,00%"));
        assert_eq!(shown(Rate::Satisfied).as_deref(), Some("90,00%"));
        assert_eq!(Rate::OnTime.percent(&c), None, "nothing resolved: no rate, not 0%");
        for r in Rate::ALL {
            assert!(r.name_vi().starts_with("Tỷ lệ") && !r.column_vi().is_empty());
        }
    }
}
