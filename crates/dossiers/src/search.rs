//! Searching the ledger as officers type: without diacritics and case ("khai sinh" finds "Đăng
//! ký khai sinh", "ho tich" finds "Hộ tịch", đ as d), spaces collapsed.
//!
//! A dossier's own words (receipt code, procedure code, the applicant's name and ID number) are
//! kept normalised beside it in the store ([`dossier_text`], written with the row), so a search is
//! one `LIKE` on that text; the procedure's name and its field are the catalogue's and are
//! matched in Rust against the list of procedures ([`matches`]), which the store then takes as a
//! list of procedure codes.

use crate::model::Dossier;

/// `text` in lower case, without Vietnamese diacritics (đ → d), every run of white space one
/// space, trimmed.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        match base(c) {
            '\u{0}' => {}
            b => out.push(b),
        }
    }
    out
}

/// The letter without its tone and vowel marks (lower case in, lower case out).
fn base(c: char) -> char {
    match c {
        'à' | 'á' | 'ả' | 'ã' | 'ạ' | 'ă' | 'ằ' | 'ắ' | 'ẳ' | 'ẵ' | 'ặ' | 'â' | 'ầ' | 'ấ' | 'ẩ' | 'ẫ' | 'ậ' => {
            'a'
        }
        'è' | 'é' | 'ẻ' | 'ẽ' | 'ẹ' | 'ê' | 'ề' | 'ế' | 'ể' | 'ễ' | 'ệ' => 'e',
        'ì' | 'í' | 'ỉ' | 'ĩ' | 'ị' => 'i',
        'ò' | 'ó' | 'ỏ' | 'õ' | 'ọ' | 'ô' | 'ồ' | 'ố' | 'ổ' | 'ỗ' | 'ộ' | 'ơ' | 'ờ' | 'ớ' | 'ở' | 'ỡ' | 'ợ' => {
            'o'
        }
        'ù' | 'ú' | 'ủ' | 'ũ' | 'ụ' | 'ư' | 'ừ' | 'ứ' | 'ử' | 'ữ' | 'ự' => 'u',
        'ỳ' | 'ý' | 'ỷ' | 'ỹ' | 'ỵ' => 'y',
        'đ' => 'd',
        // Combining marks (text typed in decomposed form) vanish with the letter's base kept.
        '\u{0300}' | '\u{0301}' | '\u{0303}' | '\u{0309}' | '\u{0323}' | '\u{0302}' | '\u{0306}' | '\u{031B}' => '\u{0}',
        other => other,
    }
}

/// The dossier's own searchable words, normalised: receipt code, procedure code, and the
/// applicant's name and ID number when it has an applicant.
pub fn dossier_text(d: &Dossier) -> String {
    let mut words = vec![d.id.as_str(), d.procedure.as_str()];
    if let Some(a) = &d.applicant {
        words.push(a.name.as_str());
        if let Some(id) = &a.id_number {
            words.push(id.as_str());
        }
    }
    normalise(&words.join(" "))
}

/// What an officer typed, normalised as the stored texts are; empty when nothing is typed.
pub fn needle(typed: &str) -> String {
    normalise(typed)
}

/// Whether a normalised `needle` occurs in any of `texts` once normalised (a procedure's name,
/// its field's name and code).
pub fn matches<'a>(needle: &str, texts: impl IntoIterator<Item = &'a str>) -> bool {
    !needle.is_empty() && texts.into_iter().any(|t| normalise(t).contains(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diacritics_case_and_spaces_go() {
        assert_eq!(needle("  Đăng   ký KHAI sinh "), "dang ky khai sinh");
        assert_eq!(needle("Hộ tịch"), "ho tich");
        assert_eq!(needle("Bảo trợ xã hội"), "bao tro xa hoi");
        assert_eq!(needle("ĐƯỜNG"), "duong");
        // Decomposed input: base letters with combining marks.
        assert_eq!(needle("Ho\u{0302}\u{0323} ti\u{0323}ch"), "ho tich");
        assert!(matches(&needle("khai sinh"), ["Đăng ký khai sinh"]));
        assert!(matches(&needle("ho tich"), ["Chứng thực", "Hộ tịch"]));
        assert!(!matches("", ["Hộ tịch"]));
        assert_eq!(needle("50%_x"), "50%_x");
    }
}
