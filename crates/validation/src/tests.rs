use cchc_catalogue::default_catalogue;
use cchc_periods::Period;
use cchc_report::{Entry, Key, Qualifier, UnitRef, UnitReport, Value};
use cchc_units::UnitKind;

use super::*;

/// A figure: code, split (dimension, value), count.
type Figure<'a> = (&'a str, &'a [(&'a str, &'a str)], i64);

fn report(period: &str, figures: &[Figure<'_>]) -> UnitReport {
    let unit = UnitRef { code: "H".into(), name: "Huyện H".into(), kind: UnitKind::Huyen, parent: None };
    let mut r = UnitReport::new("vn-default@2022.1", unit, period.parse::<Period>().unwrap());
    for (code, split, n) in figures {
        r.entries.push(Entry::new(Key::split(code, split), Value::Int(*n)));
    }
    r
}

fn stated(r: &mut UnitReport, code: &str, text: &str, q: Option<Qualifier>) {
    let mut e = Entry::new(Key::total(code), Value::Dec(cchc_format::parse_number(text).unwrap()));
    e.qualifier = q;
    r.entries.push(e);
}

fn messages(r: &UnitReport) -> Vec<String> {
    validate(r, &default_catalogue(), Context::default()).into_iter().map(|f| f.message).collect()
}

#[test]
fn level_splits_that_exceed_their_total_are_caught() {
    // Mỹ Tú 2021: 4.738 (huyện) + 49.120 (xã) = 53.858, but the text says 53.850.
    let r = report("2021-Y", &[("3.6.4", &[], 53850), ("3.6.4", &[("level", "huyen")], 4738), ("3.6.4", &[("level", "xa")], 49120)]);
    let m = messages(&r);
    assert_eq!(m.len(), 1, "{m:#?}");
    assert!(m[0].contains("4.738 + 49.120 = 53.858, khác tổng số 53.850"), "{}", m[0]);
}

#[test]
fn resolved_must_equal_in_time_plus_late() {
    let r = report("2021-Y", &[("3.6.1", &[], 54647), ("3.6.4", &[], 53850), ("3.6.5", &[], 789)]);
    let f = validate(&r, &default_catalogue(), Context::default());
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].rule, "ho-so-da-giai-quyet");
    assert!(f[0].message.contains("54.647") && f[0].message.contains("53.850 + 789 = 54.639"), "{}", f[0].message);
    assert_eq!(f[0].codes(), vec!["3.6.1", "3.6.4", "3.6.5"]);
}

#[test]
fn a_field_total_below_its_channels_is_caught_without_false_alarms_elsewhere() {
    // Lê Hồng: Hộ tịch 224 but 94 online + 150 direct; Bảo trợ xã hội 107 with 38 + 60 given
    // (the 9 carried over are not split by field): the second must not raise an alarm.
    let r = report(
        "2022-H1",
        &[
            ("3.5.1", &[("field", "ho-tich")], 224),
            ("3.5.2", &[("field", "ho-tich")], 94),
            ("3.5.3", &[("field", "ho-tich")], 150),
            ("3.5.1", &[("field", "bao-tro-xa-hoi")], 107),
            ("3.5.2", &[("field", "bao-tro-xa-hoi")], 38),
            ("3.5.3", &[("field", "bao-tro-xa-hoi")], 60),
        ],
    );
    let m = messages(&r);
    assert_eq!(m.len(), 1, "{m:#?}");
    assert!(m[0].starts_with("Lĩnh vực Hộ tịch: Tổng số hồ sơ tiếp nhận 224"), "{}", m[0]);
    assert!(m[0].contains("94 + 150 = 244"), "{}", m[0]);
}

#[test]
fn a_consistent_report_has_no_finding() {
    // Cẩm Xuyên 6 months 2022 holds together.
    let r = report(
        "2022-H1",
        &[
            ("3.5.1", &[], 6893),
            ("3.5.2", &[], 1179),
            ("3.5.3", &[], 4224),
            ("3.5.5", &[], 1490),
            ("3.6.1", &[], 4146),
            ("3.6.4", &[], 4137),
            ("3.6.5", &[], 9),
            ("3.6.7", &[], 208),
            ("3.6.10", &[], 2447),
            ("3.6.11", &[], 92),
        ],
    );
    assert_eq!(messages(&r), Vec::<String>::new());
}

#[test]
fn stated_ratios_are_checked_half_up_at_their_own_precision() {
    let mut r = report("2021-Y", &[("1.2.1", &[], 28), ("1.2.2", &[], 26)]);
    stated(&mut r, "1.2", "92,85", None);
    let m = messages(&r);
    assert_eq!(m, vec!["Tỷ lệ hoàn thành Kế hoạch CCHC năm ghi 92,85% nhưng tính từ 26/28 là 92,86%"]);
    let mut ok = report("2021-Y", &[("1.2.1", &[], 28), ("1.2.2", &[], 26)]);
    stated(&mut ok, "1.2", "92,86", None);
    stated(&mut ok, "1.2", "92,9", None);
    stated(&mut ok, "1.2", "93", None);
    assert!(messages(&ok).is_empty());
    let mut le_hong = report("2022-H1", &[("1.2.1", &[], 28), ("1.2.2", &[], 24)]);
    stated(&mut le_hong, "1.2", "85", None);
    assert!(messages(&le_hong)[0].contains("ghi 85% nhưng tính từ 24/28 là 85,71%"));
}

#[test]
fn claims_are_checked_against_the_computed_ratio() {
    // Lê Hồng: "tỷ lệ hồ sơ tiếp nhận online đạt trên 80%" while 539 of 1.215 is 44,36%.
    let mut r = report("2022-H1", &[("3.5.2", &[], 539), ("3.5.6", &[], 1215)]);
    stated(&mut r, "3.5.7", "80", Some(Qualifier::Above));
    let m = messages(&r);
    assert_eq!(m.len(), 1);
    assert!(m[0].contains("ghi trên 80% nhưng tính từ 539/1.215 là 44,36%"), "{}", m[0]);
}

#[test]
fn two_statements_of_one_figure_that_differ_are_a_conflict() {
    let mut r = report("2021-Y", &[("3.6.4", &[("level", "xa")], 49120)]);
    let mut note = Entry::new(Key::split("3.6.4", &[("level", "xa")]), Value::Int(26600));
    note.source = Some("Phụ lục, ghi chú".into());
    r.entries.push(note);
    r.entries.push(Entry::new(Key::split("3.6.4", &[("level", "xa")]), Value::Int(49120)));
    let f = validate(&r, &default_catalogue(), Context::default());
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].rule, "auto:conflict");
    assert!(f[0].message.contains("49.120 và 26.600 (Phụ lục, ghi chú)"), "{}", f[0].message);
}

#[test]
fn ratios_above_one_hundred_percent_are_caught() {
    let r = report("2022-H1", &[("1.2.1", &[], 10), ("1.2.2", &[], 12)]);
    let f = validate(&r, &default_catalogue(), Context::default());
    assert!(f.iter().any(|f| f.rule == "auto:ratio-bound" && f.message.contains("12 lớn hơn")));
    let mut p = report("2022-H1", &[]);
    stated(&mut p, "1.2", "120", None);
    assert!(messages(&p)[0].contains("vượt quá 100%"));
}

#[test]
fn cumulative_figures_cannot_fall_within_a_year() {
    let h1 = report("2024-H1", &[("1.2.2", &[], 20)]);
    let nine = report("2024-9M", &[("1.2.2", &[], 18)]);
    let earlier = [h1];
    let f = validate(&nine, &default_catalogue(), Context { earlier: &earlier });
    assert_eq!(f.len(), 1);
    assert!(f[0].message.contains("giảm từ 20 (kỳ 2024-H1) xuống 18"), "{}", f[0].message);
    // A new year starts again from zero.
    let next_year = report("2025-Q1", &[("1.2.2", &[], 2)]);
    let earlier = [report("2024-9M", &[("1.2.2", &[], 18)])];
    assert!(validate(&next_year, &default_catalogue(), Context { earlier: &earlier }).is_empty());
}

#[test]
fn complete_closed_splits_must_add_up_exactly() {
    let r = report(
        "2022-H1",
        &[
            ("3.6.1", &[], 100),
            ("3.6.1", &[("level", "tinh")], 10),
            ("3.6.1", &[("level", "huyen")], 20),
            ("3.6.1", &[("level", "xa")], 30),
        ],
    );
    let m = messages(&r);
    assert_eq!(m.len(), 1);
    assert!(m[0].contains("10 + 20 + 30 = 60, khác tổng số 100"), "{}", m[0]);
}

#[test]
fn every_placeholder_the_catalogue_allows_in_a_message_is_filled() {
    let mut cat = default_catalogue();
    let rule = cat.rules.iter_mut().find(|r| r.id == "ho-so-da-giai-quyet").unwrap();
    rule.message = cchc_catalogue::RULE_MESSAGE_PLACEHOLDERS.map(|p| format!("{p}={{{p}}}")).join("; ");
    let r = report("2021-Y", &[("3.6.1", &[("level", "xa")], 100), ("3.6.4", &[("level", "xa")], 90), ("3.6.5", &[("level", "xa")], 5)]);
    let f = validate(&r, &cat, Context::default());
    let m = &f.iter().find(|f| f.rule == "ho-so-da-giai-quyet").expect("the rule fails at cấp xã").message;
    assert_eq!(m, "where=Cấp xã: ; left=100; right=95; left_terms=100; right_terms=90 + 5");
}
