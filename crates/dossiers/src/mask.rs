//! Masking an applicant's personal data (dữ liệu cá nhân, Decree 13/2023/NĐ-CP) for everyone
//! but the unit handling the dossier: what a list, an export or another unit's page shows.
//!
//! | field | shown | e.g. |
//! |---|---|---|
//! | a person's name | the family name, then each other word's first letter and `***` | Nguyễn V*** A*** |
//! | ID number (CCCD), tax code of a person | `*` for all but the last 4 characters | ********1234 |
//! | phone | `*` for all but the last 3 characters | *******678 |
//! | e-mail | the first character of the name, `***`, the domain | a***@gmail.com |
//! | address | `***` then the last part after a comma (the province) | ***, Hà Nội |
//!
//! An organisation's name and tax code are public (the business register): they are kept; its
//! phone, e-mail and address may be a person's and are masked like a person's. The number of
//! stars never depends on the hidden part's length for names, e-mails and addresses; for the
//! numbers it keeps their length, as officers expect ("********1234").
//!
//! [`matches_last_digits`] is the public status lookup's check (the last 4 digits of the phone
//! or of the ID number), here so that the lookup never handles more than it needs.

use crate::model::{Applicant, ApplicantKind};

const STARS: &str = "***";

/// A person's name with every word after the first reduced to its first letter: "Nguyễn Văn An"
/// → "Nguyễn V*** A***"; a one-word name keeps its first letter only.
pub fn name(full: &str) -> String {
    let mut words = full.split_whitespace();
    let Some(first) = words.next() else { return String::new() };
    let initial = |w: &str| w.chars().next().map(|c| format!("{c}{STARS}")).unwrap_or_default();
    let rest: Vec<String> = words.map(initial).collect();
    if rest.is_empty() {
        return initial(first);
    }
    format!("{first} {}", rest.join(" "))
}

/// `*` for every character but the last `keep` (all of them when there are no more than `keep`).
pub fn keep_last(text: &str, keep: usize) -> String {
    let text = text.trim();
    let n = text.chars().count();
    if n <= keep {
        return "*".repeat(n.max(keep));
    }
    let mut out = "*".repeat(n - keep);
    out.extend(text.chars().skip(n - keep));
    out
}

/// A phone number with its last 3 characters: "0912345678" → "*******678".
pub fn phone(p: &str) -> String {
    keep_last(p, 3)
}

/// An ID number (CCCD) or tax code with its last 4 characters: "001203004567" → "********4567".
pub fn id_number(id: &str) -> String {
    keep_last(id, 4)
}

/// An e-mail address with the first character of its local part and its domain.
pub fn email(e: &str) -> String {
    match e.trim().rsplit_once('@') {
        Some((local, domain)) if !domain.is_empty() => {
            format!("{}{STARS}@{domain}", local.chars().next().map(String::from).unwrap_or_default())
        }
        _ => STARS.into(),
    }
}

/// An address with only its last part after a comma (the province or city).
pub fn address(a: &str) -> String {
    match a.trim().rsplit_once(',') {
        Some((_, last)) if !last.trim().is_empty() => format!("{STARS}, {}", last.trim()),
        _ => STARS.into(),
    }
}

/// The applicant as anyone outside the handling unit sees it (see the module's table).
pub fn applicant(a: &Applicant) -> Applicant {
    let person = a.kind == ApplicantKind::Person;
    Applicant {
        kind: a.kind,
        name: if person { name(&a.name) } else { a.name.clone() },
        id_number: a.id_number.as_deref().map(|i| if person { id_number(i) } else { i.to_string() }),
        phone: a.phone.as_deref().map(phone),
        address: a.address.as_deref().map(address),
        email: a.email.as_deref().map(email),
    }
}

/// The field of `a` (as the forms name it) that holds a masked value, if any: a file exported for
/// someone who may not see the applicant in full must not be imported as if it were real data.
/// No real name, number or address holds `*`.
pub fn masked_field(a: &Applicant) -> Option<&'static str> {
    let fields = [
        ("họ và tên", Some(a.name.as_str())),
        ("số định danh / mã số thuế", a.id_number.as_deref()),
        ("số điện thoại", a.phone.as_deref()),
        ("địa chỉ", a.address.as_deref()),
        ("thư điện tử", a.email.as_deref()),
    ];
    fields.into_iter().find(|(_, v)| v.is_some_and(|v| v.contains('*'))).map(|(f, _)| f)
}

/// The ASCII digits of a text.
fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Whether `last4` (exactly 4 digits, spaces around allowed) are the last 4 digits of the
/// applicant's phone or ID number. Anything else (3 digits, letters, no applicant) never matches.
pub fn matches_last_digits(a: &Applicant, last4: &str) -> bool {
    let last4 = last4.trim();
    if last4.len() != 4 || !last4.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    [&a.phone, &a.id_number].into_iter().flatten().any(|v| {
        let d = digits(v);
        d.len() >= 4 && d.ends_with(last4)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_masked_applicant_is_told_from_a_real_one() {
        let real = person("Nguyễn Văn An");
        assert_eq!(masked_field(&real), None);
        assert_eq!(masked_field(&applicant(&real)), Some("họ và tên"));
        let one_word = Applicant { phone: None, ..person("An") };
        assert_eq!(masked_field(&applicant(&Applicant { name: "An".into(), ..one_word })), Some("họ và tên"));
    }

    fn person(name: &str) -> Applicant {
        Applicant {
            kind: ApplicantKind::Person,
            name: name.into(),
            id_number: Some("001203004567".into()),
            phone: Some("0912345678".into()),
            address: Some("Số 12 ngõ 3, phường Ba Đình, Hà Nội".into()),
            email: Some("an.nguyen@gmail.com".into()),
        }
    }

    #[test]
    fn a_person_is_masked_as_the_table_says() {
        let m = applicant(&person("Nguyễn Văn An"));
        assert_eq!(m.name, "Nguyễn V*** A***");
        assert_eq!(m.id_number.as_deref(), Some("********4567"));
        assert_eq!(m.phone.as_deref(), Some("*******678"));
        assert_eq!(m.address.as_deref(), Some("***, Hà Nội"));
        assert_eq!(m.email.as_deref(), Some("a***@gmail.com"));
        assert_eq!(name("Lan"), "L***");
        assert_eq!(name("  "), "");
        assert_eq!(phone("12"), "***");
        assert_eq!(email("no-at-sign"), "***");
        assert_eq!(address("Hà Nội"), "***");
    }

    #[test]
    fn an_organisation_keeps_its_name_and_tax_code_only() {
        let org = Applicant {
            kind: ApplicantKind::Organisation,
            name: "Công ty TNHH Hoa Sen".into(),
            id_number: Some("0101234567".into()),
            ..person("x")
        };
        let m = applicant(&org);
        assert_eq!((m.name.as_str(), m.id_number.as_deref()), ("Công ty TNHH Hoa Sen", Some("0101234567")));
        assert_eq!(m.phone.as_deref(), Some("*******678"));
    }

    #[test]
    fn the_last_digits_match_the_phone_or_the_id_number_only_exactly() {
        let a = person("Nguyễn Văn An");
        assert!(matches_last_digits(&a, "5678") && matches_last_digits(&a, " 4567 "));
        for wrong in ["1234", "678", "45678", "", "abcd", "٤٥٦٧"] {
            assert!(!matches_last_digits(&a, wrong), "{wrong}");
        }
        let none = Applicant { id_number: None, phone: Some("+84 912 345 678".into()), ..a };
        assert!(matches_last_digits(&none, "5678"));
        assert!(!matches_last_digits(&Applicant { phone: Some("678".into()), ..none }, "0678"));
    }

    fn arb_word() -> impl Strategy<Value = String> {
        // À-ỹ (U+00C0–U+1EF9) also holds spaces (U+1680, the Ogham space mark): a word has none.
        "[A-Za-zÀ-ỹĐđ]{1,8}".prop_filter("a word, without spaces", |w| !w.chars().any(char::is_whitespace))
    }

    proptest! {
        /// A masked name keeps the family name and one letter of each other word, nothing more.
        #[test]
        fn names_keep_only_the_family_name_and_initials(words in proptest::collection::vec(arb_word(), 2..5)) {
            let full = words.join(" ");
            let m = name(&full);
            let parts: Vec<&str> = m.split(' ').collect();
            prop_assert_eq!(parts.len(), words.len());
            prop_assert_eq!(parts[0], words[0].as_str());
            for (p, w) in parts[1..].iter().zip(&words[1..]) {
                prop_assert_eq!(p.chars().next(), w.chars().next());
                prop_assert!(p.ends_with(STARS) && p.chars().count() == 4);
            }
            // Masking twice changes nothing more (a masked name shown again is the same).
            prop_assert_eq!(name(&m), m.clone());
        }

        /// Numbers keep their length and only their last characters.
        #[test]
        fn numbers_keep_their_length_and_last_characters(n in "[0-9]{5,15}") {
            for (masked, keep) in [(phone(&n), 3), (id_number(&n), 4)] {
                prop_assert_eq!(masked.chars().count(), n.len());
                prop_assert!(masked[..n.len() - keep].bytes().all(|b| b == b'*'));
                prop_assert_eq!(&masked[n.len() - keep..], &n[n.len() - keep..]);
            }
        }

        /// Whatever the text, masking never panics and a person's masked record never contains
        /// the whole of a field longer than what it keeps.
        #[test]
        fn no_masked_field_gives_the_whole_value_away(
            first in arb_word(), rest in proptest::collection::vec("[A-Za-zÀ-ỹ]{2,8}", 1..4),
            id in "[0-9]{9,12}", tel in "[0-9]{8,11}", local in "[a-z]{2,10}", street in "[^,]{3,20}", any in "\\PC{0,30}",
        ) {
            let a = Applicant {
                kind: ApplicantKind::Person,
                name: format!("{first} {}", rest.join(" ")),
                id_number: Some(id.clone()),
                phone: Some(tel.clone()),
                address: Some(format!("{street}, Hà Nội")),
                email: Some(format!("{local}@example.vn")),
            };
            let m = applicant(&a);
            let shown = serde_json::to_string(&m).unwrap();
            prop_assert!(!shown.contains(&a.name) && !shown.contains(&id) && !shown.contains(&tel));
            prop_assert_eq!(m.address.as_deref(), Some("***, Hà Nội"));
            let at = format!("{local}@");
            prop_assert!(!shown.contains(&at));
            for f in [name, phone, id_number, email, address] {
                let _ = f(&any);
            }
            prop_assert_eq!(matches_last_digits(&a, &tel[tel.len() - 4..]), true);
        }
    }
}
