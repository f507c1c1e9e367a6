//! The lines of the issuing body's name in the header (tên cơ quan, tổ chức ban hành), as Decree
//! 30/2020's sample breaks them: between words, never inside a place's name, the kind of unit
//! (XÃ, HUYỆN, THỊ TRẤN, …) kept with its name: "ỦY BAN NHÂN DÂN" / "XÃ LÊ HỒNG". A break the
//! unit typed (a newline or "|" in its document settings or the report's `issuer`) wins.

/// The words that open a place's name ("XÃ LÊ HỒNG", "THÀNH PHỐ HÀ TĨNH"), longest first.
const KINDS: [&str; 10] = ["THÀNH PHỐ", "THỊ TRẤN", "THỊ XÃ", "ĐẶC KHU", "PHƯỜNG", "HUYỆN", "QUẬN", "TỈNH", "XÃ", "SỞ"];

/// The lines of `text` in capitals, each at most `width` characters where the words allow.
pub fn lines(text: &str, width: usize) -> Vec<String> {
    let text = text.to_uppercase();
    if text.contains(['\n', '|']) {
        return text.split(['\n', '|']).map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|l| !l.is_empty()).collect();
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() {
        return Vec::new();
    }
    if len(&words) <= width {
        return vec![words.join(" ")];
    }
    match place_start(&words) {
        // The body, then the place: each broken further only if it is still too long.
        // The body, broken further only if it is still too long, then the place whole: a name
        // is never broken (a name wider than the column is wrapped by the word processor).
        Some(at) => {
            let mut out = greedy(&words[..at], width);
            out.push(words[at..].join(" "));
            out
        }
        None => greedy(&words, width),
    }
}

/// Characters of the words joined by spaces.
fn len(words: &[&str]) -> usize {
    words.iter().map(|w| w.chars().count()).sum::<usize>() + words.len().saturating_sub(1)
}

/// Where the last place's name begins: its kind word.
fn place_start(words: &[&str]) -> Option<usize> {
    (0..words.len()).rev().find(|&i| KINDS.iter().any(|k| starts_with_kind(&words[i..], k)))
}

fn starts_with_kind(words: &[&str], kind: &str) -> bool {
    let kind: Vec<&str> = kind.split(' ').collect();
    words.len() > kind.len() && words[..kind.len()] == kind[..]
}

/// Words into lines of at most `width` (a word longer than that alone on its line).
fn greedy(words: &[&str], width: usize) -> Vec<String> {
    let mut out: Vec<Vec<&str>> = Vec::new();
    for w in words {
        match out.last_mut() {
            Some(line) if len(line) + 1 + w.chars().count() <= width => line.push(w),
            _ => out.push(vec![w]),
        }
    }
    out.into_iter().map(|l| l.join(" ")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_body_and_the_place_are_broken_between_names() {
        assert_eq!(lines("ỦY BAN NHÂN DÂN XÃ LÊ HỒNG", 22), ["ỦY BAN NHÂN DÂN", "XÃ LÊ HỒNG"]);
        assert_eq!(lines("Ủy ban nhân dân huyện Thanh Miện", 22), ["ỦY BAN NHÂN DÂN", "HUYỆN THANH MIỆN"]);
        assert_eq!(lines("ỦY BAN NHÂN DÂN THỊ TRẤN HUỲNH HỮU NGHĨA", 22), ["ỦY BAN NHÂN DÂN", "THỊ TRẤN HUỲNH HỮU NGHĨA"]);
        assert_eq!(lines("ỦY BAN NHÂN DÂN TỈNH", 22), ["ỦY BAN NHÂN DÂN TỈNH"]);
        assert_eq!(lines("SỞ NỘI VỤ", 22), ["SỞ NỘI VỤ"]);
        assert_eq!(lines("ỦY BAN NHÂN DÂN|PHƯỜNG 1", 40), ["ỦY BAN NHÂN DÂN", "PHƯỜNG 1"]);
        assert_eq!(lines("ỦY BAN NHÂN DÂN\nXÃ LÊ HỒNG", 40), ["ỦY BAN NHÂN DÂN", "XÃ LÊ HỒNG"]);
    }

    proptest! {
        /// No line is empty, no word is split, the lines give back the words in order, and a line
        /// is longer than the width only when it is one word or a place's whole name.
        #[test]
        fn lines_keep_every_word_whole(words in proptest::collection::vec("(XÃ|HUYỆN|THỊ TRẤN|[A-ZĐỦÂỆ]{1,9})", 1..9), width in 8usize..30) {
            let text = words.join(" ");
            let out = lines(&text, width);
            prop_assert!(out.iter().all(|l| !l.is_empty()));
            prop_assert_eq!(out.join(" "), text.clone());
            for l in &out {
                let place = KINDS.iter().any(|k| l.starts_with(&format!("{k} ")));
                prop_assert!(l.chars().count() <= width || !l.contains(' ') || place, "{:?} {}", out, width);
            }
        }
    }
}
