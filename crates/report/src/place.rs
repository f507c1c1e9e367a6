//! Where a narrative text sits in the report (vị trí của phần lời): the keys of
//! [`crate::UnitReport::narrative`] and their order (docs/narrative-format.md).
//!
//! A report is an opening paragraph (căn cứ), parts numbered with Roman numerals ("II."), each
//! with sections numbered from 1 ("II.7"), and a closing paragraph ("Trên đây là báo cáo …").
//! Reports number their parts and sections their own way, so any numeral and number is a place;
//! the standard titles ([`crate::SECTIONS`]) apply to the places that have one.

use std::cmp::Ordering;
use std::fmt;

/// A place of the narrative, parsed from its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    /// `opening`: the căn cứ paragraph before part I.
    Opening,
    /// `II`: a part, by its numeral's value.
    Part(u16),
    /// `II.7`: a section of a part.
    Section(u16, u16),
    /// `closing`: "Trên đây là báo cáo …", after the last part.
    Closing,
}

/// Parts are numbered up to this (XX); a larger numeral is not a report's.
const MAX_PART: u16 = 20;
/// Sections of a part are numbered up to this.
const MAX_SECTION: u16 = 99;

impl Place {
    /// The place of a key, or `None` when the key is not one (the caller names the rule).
    pub fn parse(key: &str) -> Option<Place> {
        match key {
            "opening" => return Some(Place::Opening),
            "closing" => return Some(Place::Closing),
            _ => {}
        }
        let (part, section) = match key.split_once('.') {
            Some((p, s)) => (p, Some(s)),
            None => (key, None),
        };
        let part = roman_value(part).filter(|p| (1..=MAX_PART).contains(p))?;
        match section {
            None => Some(Place::Part(part)),
            Some(s) if !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()) && !s.starts_with('0') => {
                let n: u16 = s.parse().ok()?;
                (n <= MAX_SECTION).then_some(Place::Section(part, n))
            }
            Some(_) => None,
        }
    }

    /// The part a place belongs to (`None` for the opening and the closing).
    pub fn part(self) -> Option<u16> {
        match self {
            Place::Part(p) | Place::Section(p, _) => Some(p),
            Place::Opening | Place::Closing => None,
        }
    }

    fn rank(self) -> (u8, u16, u16) {
        match self {
            Place::Opening => (0, 0, 0),
            Place::Part(p) => (1, p, 0),
            Place::Section(p, s) => (1, p, s),
            Place::Closing => (2, 0, 0),
        }
    }
}

impl Ord for Place {
    fn cmp(&self, other: &Self) -> Ordering {
        self.rank().cmp(&other.rank())
    }
}

impl PartialOrd for Place {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Opening => f.write_str("opening"),
            Place::Closing => f.write_str("closing"),
            Place::Part(p) => f.write_str(&roman(*p)),
            Place::Section(p, s) => write!(f, "{}.{s}", roman(*p)),
        }
    }
}

/// The rule a narrative key must follow, as a user reads it.
pub const PLACE_RULE: &str =
    "khóa phần lời phải là \"opening\", \"closing\", một số La Mã (I, II, …) hoặc số La Mã, dấu chấm và số thứ tự (II.7)";

/// The narrative's keys that are not places, for the reader's error message.
pub fn invalid_keys<'a>(keys: impl IntoIterator<Item = &'a String>) -> Vec<&'a str> {
    keys.into_iter().filter(|k| Place::parse(k).is_none()).map(String::as_str).collect()
}

/// "XIV" → 14; `None` unless the text is a numeral written the standard way.
fn roman_value(text: &str) -> Option<u16> {
    if text.is_empty() {
        return None;
    }
    let digit = |c: char| match c {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        _ => None,
    };
    let digits: Vec<u16> = text.chars().map(digit).collect::<Option<_>>()?;
    let mut value = 0i32;
    for (i, d) in digits.iter().enumerate() {
        let d = i32::from(*d);
        if digits.get(i + 1).is_some_and(|next| i32::from(*next) > d) { value -= d } else { value += d }
    }
    let value = u16::try_from(value).ok()?;
    // "IIII" or "VX" read to a number too: only the standard spelling is a numeral.
    (value > 0 && roman(value) == text).then_some(value)
}

/// 14 → "XIV" (1–89).
fn roman(mut n: u16) -> String {
    const TABLE: [(u16, &str); 7] = [(50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")];
    let mut out = String::new();
    for (v, s) in TABLE {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keys_parse_to_places_in_report_order() {
        let mut keys = ["closing", "II.10", "III", "II.2", "opening", "II", "I", "II.7", "IV"];
        keys.sort_by_key(|k| Place::parse(k).unwrap());
        assert_eq!(keys, ["opening", "I", "II", "II.2", "II.7", "II.10", "III", "IV", "closing"]);
    }

    #[test]
    fn what_is_not_a_place_is_refused() {
        for key in ["", "ii", "IIII", "VX", "II.", "II.0", "II.01", "II.1.2", "II.a", "Mở đầu", "XXI", "II.100"] {
            assert_eq!(Place::parse(key), None, "{key:?}");
        }
    }

    proptest! {
        #[test]
        fn a_place_writes_the_key_it_was_read_from(part in 1u16..=MAX_PART, section in 0u16..=MAX_SECTION) {
            let place = if section == 0 { Place::Part(part) } else { Place::Section(part, section) };
            prop_assert_eq!(Place::parse(&place.to_string()), Some(place));
        }
    }
}
