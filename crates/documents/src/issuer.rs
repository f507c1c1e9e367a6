//! The lines of the issuing body's name in the header (tên cơ quan, tổ chức ban hành), as Decree
//! 30/2020's sample breaks them: between words, never inside a place's name, the body and its
//! place on lines of their own, the kind of unit (XÃ, HUYỆN, THỊ TRẤN, …) kept with its name:
//! "ỦY BAN NHÂN DÂN" / "XÃ LÊ HỒNG". A line is measured with the advance widths of Times New
//! Roman bold (the metrics Liberation Serif shares with it), so that it fits the header's column
//! as Word and LibreOffice set it. A break the unit typed (a newline, or "|" where a newline
//! cannot be typed, as on the command line) wins.

use unicode_normalization::UnicodeNormalization;

/// The words that open a place's name ("XÃ LÊ HỒNG", "THÀNH PHỐ HÀ TĨNH"), longest first.
const KINDS: [&str; 9] = ["THÀNH PHỐ", "THỊ TRẤN", "THỊ XÃ", "ĐẶC KHU", "PHƯỜNG", "HUYỆN", "QUẬN", "TỈNH", "XÃ"];

/// The lines of `text` in capitals, set in 13 pt bold in a column `column` twips wide.
///
/// - A newline or "|" in the text is a break as typed; a typed line too wide for the column is
///   broken further as below.
/// - Otherwise the body ("ỦY BAN NHÂN DÂN") and its place ("XÃ LÊ HỒNG") go on lines of their
///   own; each is broken further only when it does not fit, between words, preferably before
///   another place ("XÃ A" / "HUYỆN B"), into as few and as even lines as fit, and never after a
///   kind of unit (it stays with its name).
/// - A word (or a kind with the first word of its name) wider than the column is a line alone.
pub fn lines(text: &str, column: f64) -> Vec<String> {
    let text: String = text.nfc().collect::<String>().to_uppercase();
    text.split(['\n', '|']).flat_map(|typed| typed_line(typed, column)).collect()
}

/// The issuing body on one line, for where it is named in running text (the appendix's "Kèm
/// theo Báo cáo … của …", the document's creator): a typed break becomes a space.
pub fn single_line(text: &str) -> String {
    text.split(['\n', '|']).flat_map(str::split_whitespace).collect::<Vec<_>>().join(" ")
}

/// The width of `text` set in Times New Roman bold at `size` points, in twips.
pub fn bold_width(text: &str, size: f64) -> f64 {
    let units: u32 = text.chars().map(advance).sum();
    f64::from(units) / 1000.0 * size * 20.0
}

/// The size of the issuing body's name, in points (Decree 30: 12–13 pt).
const SIZE: f64 = 13.0;

fn width(words: &[&str]) -> f64 {
    bold_width(&words.join(" "), SIZE)
}

/// One typed line of the text: the body, then its places, each as few lines as fit.
fn typed_line(text: &str, column: f64) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() {
        return Vec::new();
    }
    let places = place_starts(&words);
    let (body, place) = words.split_at(places.first().copied().unwrap_or(words.len()));
    let starts: Vec<usize> = places.iter().map(|p| p - body.len()).collect();
    let mut out = broken(body, &[], column);
    out.extend(broken(place, &starts, column));
    out
}

/// Where each place's name begins (its kind word), the kind and the first word of the name
/// taken as one: a name inside a name ("THỊ XÃ" is not "THỊ" + "XÃ …") is not looked for.
fn place_starts(words: &[&str]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        match kind_at(&words[i..]) {
            Some(n) => {
                out.push(i);
                i += n + 1;
            }
            None => i += 1,
        }
    }
    out
}

/// The number of words of the kind of unit `words` begins with, when a name follows it.
fn kind_at(words: &[&str]) -> Option<usize> {
    KINDS.iter().map(|k| k.split(' ').collect::<Vec<_>>()).find(|k| words.len() > k.len() && words[..k.len()] == k[..]).map(|k| k.len())
}

/// Whether a line may end after `words[..at]`: not inside a kind of unit nor right after it.
fn may_break(words: &[&str], at: usize) -> bool {
    (0..at).all(|i| kind_at(&words[i..]).is_none_or(|n| i + n < at))
}

/// The cost of some lines: how many, how many breaks not before a place, the widest (twips).
type Cost = (usize, usize, f64);

/// `words` as lines of at most `column`, breaking only where [`may_break`] allows: the fewest
/// lines, then the fewest breaks that are not before a place (`starts`), then the narrowest
/// widest line. A line wider than the column is one that cannot be broken.
fn broken(words: &[&str], starts: &[usize], column: f64) -> Vec<String> {
    if words.is_empty() {
        return Vec::new();
    }
    let n = words.len();
    // best[j]: the cost of the best lines of words[..j] and where their last line begins.
    let mut best: Vec<Option<(Cost, usize)>> = vec![None; n + 1];
    best[0] = Some(((0, 0, 0.0), 0));
    for j in 1..=n {
        if j < n && !may_break(words, j) {
            continue;
        }
        for i in 0..j {
            let Some(((lines, bad, widest), _)) = best[i] else { continue };
            let w = width(&words[i..j]);
            let unbreakable = (i + 1..j).all(|k| !may_break(words, k));
            if w > column && !unbreakable {
                continue;
            }
            let bad = bad + usize::from(i > 0 && !starts.contains(&i));
            let cost = (lines + 1, bad, widest.max(w));
            if best[j].is_none_or(|(c, _)| cost < c) {
                best[j] = Some((cost, i));
            }
        }
    }
    let mut out = Vec::new();
    let mut j = n;
    while j > 0 {
        let (_, i) = best[j].expect("every word can end a line of its own or with its kind");
        out.push(words[i..j].join(" "));
        j = i;
    }
    out.reverse();
    out
}

/// The advance width of a character in Times New Roman bold, in thousandths of an em: the width
/// of its base letter (the tone and vowel marks of Vietnamese do not widen a letter, the horn of
/// Ư, ư and ơ does). Values of Liberation Serif Bold, metric-compatible with Times New Roman.
fn advance(c: char) -> u32 {
    let mut base = c;
    let mut horn = false;
    let mut first = true;
    unicode_normalization::char::decompose_canonical(c, |d| {
        if first {
            base = d;
            first = false;
        }
        horn |= d == '\u{31B}';
    });
    match base {
        'U' if horn => 795,
        'u' if horn => 600,
        'o' if horn => 553,
        ' ' => 250,
        'A' | 'C' | 'D' | 'N' | 'R' | 'U' | 'V' | 'X' | 'Y' | 'Đ' => 722,
        'B' | 'E' | 'L' | 'T' | 'Z' => 666,
        'F' | 'P' => 610,
        'G' | 'H' | 'K' | 'O' | 'Q' => 777,
        'I' => 389,
        'J' => 500,
        'M' => 943,
        'S' => 556,
        'W' => 1000,
        'a' | 'g' | 'o' | 'v' | 'x' | 'y' => 500,
        'b' | 'd' | 'h' | 'k' | 'n' | 'p' | 'q' | 'u' | 'đ' => 556,
        'c' | 'e' | 'r' | 'z' => 443,
        'f' | 'j' | 't' => 333,
        'i' | 'l' => 277,
        'm' => 833,
        's' => 389,
        'w' => 722,
        '0'..='9' => 500,
        '.' | ',' => 250,
        '-' | '(' | ')' | ':' | ';' => 333,
        '/' => 277,
        '&' => 833,
        // Anything else as a wide capital, so that a line is never thought narrower than it is.
        _ => 1000,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The left column of the header less its cell margins (3.700 − 2 × 108 twips).
    const COLUMN: f64 = 3484.0;

    #[test]
    fn the_body_and_the_place_are_broken_between_names() {
        assert_eq!(lines("ỦY BAN NHÂN DÂN XÃ LÊ HỒNG", COLUMN), ["ỦY BAN NHÂN DÂN", "XÃ LÊ HỒNG"]);
        assert_eq!(lines("Ủy ban nhân dân huyện Thanh Miện", COLUMN), ["ỦY BAN NHÂN DÂN", "HUYỆN THANH MIỆN"]);
        assert_eq!(lines("ỦY BAN NHÂN DÂN HUYỆN CẨM XUYÊN", COLUMN), ["ỦY BAN NHÂN DÂN", "HUYỆN CẨM XUYÊN"]);
        assert_eq!(lines("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", COLUMN), ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH"]);
        assert_eq!(lines("ỦY BAN NHÂN DÂN THỊ XÃ KỲ ANH", COLUMN), ["ỦY BAN NHÂN DÂN", "THỊ XÃ KỲ ANH"]);
        // Even a short name that would fit beside the body has a line of its own.
        assert_eq!(lines("ỦY BAN NHÂN DÂN XÃ AN", COLUMN), ["ỦY BAN NHÂN DÂN", "XÃ AN"]);
        // No place: one line when it fits.
        assert_eq!(lines("ỦY BAN NHÂN DÂN TỈNH", COLUMN), ["ỦY BAN NHÂN DÂN TỈNH"]);
        assert_eq!(lines("SỞ NỘI VỤ", COLUMN), ["SỞ NỘI VỤ"]);
        // Decomposed accents (copied text) are composed first.
        assert_eq!(lines("U\u{309}Y BAN NHÂN DÂN XÃ LÊ HÔ\u{300}NG", COLUMN), ["ỦY BAN NHÂN DÂN", "XÃ LÊ HỒNG"]);
    }

    #[test]
    fn a_name_too_wide_for_the_column_breaks_between_words_with_its_kind() {
        // 196 pt in a 174 pt column: two even lines, "THỊ TRẤN" with the first word of the name.
        assert_eq!(lines("ỦY BAN NHÂN DÂN THỊ TRẤN HUỲNH HỮU NGHĨA", COLUMN), ["ỦY BAN NHÂN DÂN", "THỊ TRẤN HUỲNH", "HỮU NGHĨA"]);
        // Two places: broken between them rather than inside one.
        assert_eq!(lines("ỦY BAN NHÂN DÂN XÃ LÊ HỒNG HUYỆN THANH MIỆN", COLUMN), ["ỦY BAN NHÂN DÂN", "XÃ LÊ HỒNG", "HUYỆN THANH MIỆN"]);
        // A long body is broken evenly.
        assert_eq!(
            lines("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH HÀ TĨNH", COLUMN),
            ["TRUNG TÂM PHỤC VỤ", "HÀNH CHÍNH CÔNG", "TỈNH HÀ TĨNH"]
        );
        // Narrower than a kind with its first word: that pair alone, never a kind alone.
        assert_eq!(lines("XÃ LÊ HỒNG", 1000.0), ["XÃ LÊ", "HỒNG"]);
    }

    #[test]
    fn a_typed_break_wins() {
        assert_eq!(lines("ỦY BAN NHÂN DÂN XÃ\nLÊ HỒNG", COLUMN), ["ỦY BAN NHÂN DÂN XÃ", "LÊ HỒNG"]);
        assert_eq!(lines("ỦY BAN NHÂN DÂN|PHƯỜNG 1", COLUMN), ["ỦY BAN NHÂN DÂN", "PHƯỜNG 1"]);
        assert_eq!(lines("Ủy ban nhân dân huyện Thanh Miện\n", COLUMN), ["ỦY BAN NHÂN DÂN", "HUYỆN THANH MIỆN"]);
        assert_eq!(lines(" \n \n", COLUMN), Vec::<String>::new());
        assert_eq!(single_line("ỦY BAN NHÂN DÂN\nXÃ LÊ HỒNG"), "ỦY BAN NHÂN DÂN XÃ LÊ HỒNG");
        assert_eq!(single_line("ỦY BAN NHÂN DÂN | PHƯỜNG 1"), "ỦY BAN NHÂN DÂN PHƯỜNG 1");
    }

    #[test]
    fn widths_are_those_of_times_new_roman_bold() {
        // 13 pt: "ỦY BAN NHÂN DÂN" 122,4 pt; the motto at 14 pt 171,3 pt.
        assert!((bold_width("ỦY BAN NHÂN DÂN", 13.0) - 2447.4).abs() < 1.0, "{}", bold_width("ỦY BAN NHÂN DÂN", 13.0));
        assert!((bold_width("Độc lập - Tự do - Hạnh phúc", 14.0) - 3426.1).abs() < 1.0);
        assert!(bold_width("Ư", 13.0) > bold_width("U", 13.0));
    }

    fn word() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("XÃ".to_string()),
            Just("HUYỆN".to_string()),
            Just("THỊ TRẤN".to_string()),
            Just("THÀNH PHỐ".to_string()),
            Just("ỦY BAN NHÂN DÂN".to_string()),
            "[A-ZĐỦÂỆƯỜ0-9]{1,12}",
        ]
    }

    proptest! {
        /// No line is empty, no word is split, the lines give back the words in order, a kind of
        /// unit never ends a line before its name, and a line is wider than the column only
        /// when it cannot be broken (one word, or a kind with the first word of its name).
        #[test]
        fn lines_keep_every_word_whole(words in proptest::collection::vec(word(), 1..10), column in 800.0f64..6000.0) {
            let text = words.join(" ");
            let out = lines(&text, column);
            prop_assert!(out.iter().all(|l| !l.trim().is_empty()));
            let given: Vec<&str> = text.split_whitespace().collect();
            let got: Vec<&str> = out.iter().flat_map(|l| l.split_whitespace()).collect();
            prop_assert_eq!(&got, &given);
            let mut at = 0;
            for l in &out {
                let w: Vec<&str> = l.split_whitespace().collect();
                at += w.len();
                prop_assert!(at == given.len() || may_break(&given, at), "a kind of unit without its name: {:?}", out);
                let unbreakable = (1..w.len()).all(|at| !may_break(&w, at));
                prop_assert!(width(&w) <= column || unbreakable, "{:?} {}", out, column);
            }
        }
    }
}
