//! Vietnamese presentation of numbers and dates.
//!
//! Everything a user sees in cchc goes through these functions, so that a count is always written
//! `8.803` (dot for thousands), a ratio `99,43%` (comma for decimals) and a date `24/09/2024`.
//! The parsers accept what officials type: `1.224`, `1224`, `99,9`, `99,9%`.

mod parser_words;
pub use parser_words::serde_message;

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};

/// Writes an integer with a dot between groups of three digits: `8803` → `8.803`.
pub fn int(n: i64) -> String {
    let digits = group(&n.unsigned_abs().to_string());
    if n < 0 { format!("-{digits}") } else { digits }
}

/// Digits grouped by three with dots: "8803" → "8.803".
fn group(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

/// Writes a decimal with Vietnamese separators, keeping the scale it has: `4900.5` → `4.900,5`.
pub fn decimal(d: Decimal) -> String {
    let s = d.abs().to_string();
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (s.as_str(), None),
    };
    let mut out = String::new();
    if d.is_sign_negative() && !d.is_zero() {
        out.push('-');
    }
    // The whole part as its digits: a decimal has up to 29 of them, beyond an i64.
    out.push_str(&group(whole));
    if let Some(f) = frac {
        out.push(',');
        out.push_str(f);
    }
    out
}

/// Rounds half-up (away from zero) to `dp` decimals, the rule of the reference reports.
pub fn round_half_up(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// The percentage `num / den × 100`, rounded half-up to two decimals; `None` when `den` is 0.
pub fn ratio_percent(num: i64, den: i64) -> Option<Decimal> {
    if den == 0 {
        return None;
    }
    let exact = Decimal::from(num) * Decimal::from(100) / Decimal::from(den);
    Some(round_half_up(exact, 2))
}

/// Writes a percentage with two decimals and a decimal comma: `92.857` → `92,86%`.
/// Whole numbers keep two decimals too (`100,00%`) unless `trim` is asked for.
pub fn percent(p: Decimal) -> String {
    format!("{}%", decimal(round_half_up(p, 2).round_dp(2).normalize_to(2)))
}

/// Like [`percent`] but drops a zero fraction: `100,00` → `100%`, `85,50` → `85,5%`.
pub fn percent_short(p: Decimal) -> String {
    format!("{}%", decimal(round_half_up(p, 2).normalize()))
}

/// Writes a date as `dd/mm/yyyy`.
pub fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The day of the week as Vietnamese calendars print it: "Thứ Hai" … "Thứ Bảy", "Chủ nhật".
pub fn weekday(d: NaiveDate) -> &'static str {
    use chrono::Datelike;
    ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"][d.weekday().num_days_from_monday() as usize]
}

/// Parses `dd/mm/yyyy` (also `d/m/yyyy`) or ISO `yyyy-mm-dd`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y")).ok()
}

/// Parses a number as Vietnamese officials write it: `1.224` and `1224` are 1224, `99,9` is 99.9.
/// A trailing `%` is ignored. A dot followed by exactly three digits is a thousands separator;
/// any other dot is taken as a decimal point (text extracted from PDFs often has `96.90`).
pub fn parse_number(s: &str) -> Option<Decimal> {
    let s = s.trim().trim_end_matches('%').trim();
    if s.is_empty() {
        return None;
    }
    let normalised = if s.contains(',') {
        // Comma present: it is the decimal mark, dots are thousands separators.
        s.replace('.', "").replace(',', ".")
    } else if is_thousands_grouped(s) {
        s.replace('.', "")
    } else {
        s.to_string()
    };
    normalised.parse::<Decimal>().ok()
}

fn is_thousands_grouped(s: &str) -> bool {
    let body = s.strip_prefix('-').unwrap_or(s);
    let mut groups = body.split('.');
    let first = groups.next().unwrap_or("");
    let rest: Vec<&str> = groups.collect();
    !rest.is_empty() && (1..=3).contains(&first.len()) && rest.iter().all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()))
}

/// Extension trait so that `Decimal` can be forced to a fixed scale for display.
trait NormalizeTo {
    fn normalize_to(self, dp: u32) -> Decimal;
}

impl NormalizeTo for Decimal {
    fn normalize_to(self, dp: u32) -> Decimal {
        let mut d = self;
        if d.scale() < dp {
            d.rescale(dp);
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    #[test]
    fn weekdays_in_vietnamese() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(weekday(d(2026, 2, 17)), "Thứ Ba");
        assert_eq!(weekday(d(2026, 11, 29)), "Chủ nhật");
        assert_eq!(weekday(d(2026, 11, 28)), "Thứ Bảy");
    }

    #[test]
    fn integers_use_dot_thousands() {
        assert_eq!(int(0), "0");
        assert_eq!(int(999), "999");
        assert_eq!(int(8803), "8.803");
        assert_eq!(int(54647), "54.647");
        assert_eq!(int(1_234_567), "1.234.567");
        assert_eq!(int(-4900), "-4.900");
        assert_eq!(int(i64::MIN), "-9.223.372.036.854.775.808");
        // Beyond an i64, as a money figure may be; never "0".
        assert_eq!(decimal(Decimal::MAX), "79.228.162.514.264.337.593.543.950.335");
        assert_eq!(decimal(-Decimal::MAX / Decimal::from(1000)), "-79.228.162.514.264.337.593.543.950,335");
    }

    #[test]
    fn ratios_round_half_up() {
        assert_eq!(percent(ratio_percent(26, 28).unwrap()), "92,86%");
        assert_eq!(percent(ratio_percent(4137, 4146).unwrap()), "99,78%");
        assert_eq!(percent(ratio_percent(1179, 3332).unwrap()), "35,38%");
        assert_eq!(percent(ratio_percent(539, 1215).unwrap()), "44,36%");
        assert_eq!(percent(ratio_percent(1, 1).unwrap()), "100,00%");
        assert_eq!(percent_short(ratio_percent(1, 1).unwrap()), "100%");
        assert_eq!(ratio_percent(1, 0), None);
    }

    #[test]
    fn dates_are_day_first() {
        let d = NaiveDate::from_ymd_opt(2024, 9, 4).unwrap();
        assert_eq!(date(d), "04/09/2024");
        assert_eq!(parse_date("4/9/2024"), Some(d));
        assert_eq!(parse_date("2024-09-04"), Some(d));
    }

    #[test]
    fn numbers_parse_as_written() {
        assert_eq!(parse_number("1.224"), Some(Decimal::from(1224)));
        assert_eq!(parse_number("54.647"), Some(Decimal::from(54647)));
        assert_eq!(parse_number("99,9%"), Some(Decimal::from_str("99.9").unwrap()));
        assert_eq!(parse_number("96.90"), Some(Decimal::from_str("96.90").unwrap()));
        assert_eq!(parse_number("4.900,5"), Some(Decimal::from_str("4900.5").unwrap()));
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("abc"), None);
    }

    proptest! {
        #[test]
        fn int_round_trips(n in -10_000_000_000i64..10_000_000_000i64) {
            let text = int(n);
            prop_assert_eq!(parse_number(&text), Some(Decimal::from(n)));
        }
    }
}
