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
    assert_eq!(m, vec!["Tỷ lệ hoàn thành Kế hoạch CCHC năm ghi 92,85% nhưng tính từ 26/28 là 92,86%; văn bản in số tính được"]);
    // The office may choose to print its stated value; the finding says which one prints.
    r.document.keep_stated = vec!["1.2".into()];
    assert!(messages(&r)[0].ends_with("; văn bản in số đã ghi theo lựa chọn của đơn vị"), "{:?}", messages(&r));
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

/// The default catalogue with a change to its TOML (`old` must occur).
fn catalogue_with(old: &str, new: &str) -> cchc_catalogue::Catalogue {
    let text = cchc_catalogue::DEFAULT_CATALOGUE_TOML;
    assert!(text.contains(old), "{old}");
    let file = cchc_catalogue::parse(&text.replacen(old, new, 1)).unwrap();
    cchc_catalogue::resolve(file, &cchc_catalogue::CatalogueSource(vec![])).unwrap()
}

fn commune(period: &str, figures: &[Figure<'_>]) -> UnitReport {
    let mut r = report(period, figures);
    r.unit = UnitRef { code: "X".into(), name: "Xã X".into(), kind: UnitKind::Xa, parent: None };
    r
}

#[test]
fn parts_as_zero_checks_a_district_that_states_parts_but_not_the_resolved_total() {
    // Received 6.893; the outcomes are given as on time 4.137 and late 9 (no resolved total),
    // 208 in progress, 2.447 awaiting: 6.801, 92 short (the returned dossiers were left out of
    // the sum but not of the total). Before, lower-bound only checked 6.893 ≥ 6.801.
    let short =
        report("2022-H1", &[("3.5.1", &[], 6893), ("3.6.4", &[], 4137), ("3.6.5", &[], 9), ("3.6.7", &[], 208), ("3.6.10", &[], 2447)]);
    let f = validate(&short, &default_catalogue(), Context::default());
    let outcome: Vec<_> = f.iter().filter(|f| f.rule == "ho-so-tiep-nhan-theo-ket-qua").collect();
    assert_eq!(outcome.len(), 1, "{f:#?}");
    assert!(
        outcome[0].message.contains("4.137 + 9 + 208 + 2.447 = 6.801 (các phần không báo cáo được tính là 0)"),
        "{}",
        outcome[0].message
    );
    // The returned dossiers were counted as 0: a warning to explain. Stated as 0, the shortfall
    // is certain: an error.
    assert_eq!(outcome[0].severity, Severity::Warning);
    let mut stated_zero = short.clone();
    stated_zero.entries.push(Entry::new(Key::total("3.6.11"), Value::Int(0)));
    let f = validate(&stated_zero, &default_catalogue(), Context::default());
    assert_eq!(
        f.iter().map(|f| (f.rule.as_str(), f.severity)).collect::<Vec<_>>(),
        vec![("ho-so-tiep-nhan-theo-ket-qua", Severity::Error)]
    );
    // With the returned dossiers the same report holds together.
    let mut whole = short.clone();
    whole.entries.push(Entry::new(Key::total("3.6.11"), Value::Int(92)));
    assert!(validate(&whole, &default_catalogue(), Context::default()).is_empty());
    // Without any part stated, nothing is checked (a report need not state the outcomes).
    assert!(validate(&report("2022-H1", &[("3.5.1", &[], 6893)]), &default_catalogue(), Context::default()).is_empty());
}

#[test]
fn parts_as_zero_checks_only_the_lower_bound_at_a_split_by_field() {
    // Hộ tịch: 224 received, 220 resolved, the in-progress dossiers not listed by field: a
    // partial list, not a mistake. At cấp xã (a closed dimension) the same gap is one.
    let field = report("2022-H1", &[("3.5.1", &[("field", "ho-tich")], 224), ("3.6.1", &[("field", "ho-tich")], 220)]);
    assert!(validate(&field, &default_catalogue(), Context::default()).is_empty());
    let level = report("2022-H1", &[("3.5.1", &[("level", "xa")], 224), ("3.6.1", &[("level", "xa")], 220)]);
    let f = validate(&level, &default_catalogue(), Context::default());
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(f[0].message.starts_with("Cấp xã: Tổng số hồ sơ tiếp nhận 224"), "{}", f[0].message);
    // Above the total, the lower bound still catches it by field.
    let over = report("2022-H1", &[("3.5.1", &[("field", "ho-tich")], 224), ("3.6.1", &[("field", "ho-tich")], 230)]);
    assert_eq!(validate(&over, &default_catalogue(), Context::default()).len(), 1);
}

#[test]
fn alternatives_use_the_total_else_its_parts_so_a_total_above_its_parts_is_an_error() {
    // Resolved 150 stated with early 100 + on time 30 + late 10 = 140: the total is above its
    // parts, which lower-bound ("≥") accepted.
    let r = report("2022-H1", &[("3.6.1", &[], 150), ("3.6.2", &[], 100), ("3.6.3", &[], 30), ("3.6.5", &[], 10)]);
    let f = validate(&r, &default_catalogue(), Context::default());
    let resolved: Vec<_> = f.iter().filter(|f| f.rule == "ho-so-da-giai-quyet").collect();
    assert_eq!(resolved.len(), 1, "{f:#?}");
    assert!(resolved[0].message.contains("100 + 30 + 10 = 140"), "{}", resolved[0].message);
    // When "trước hạn và đúng hạn" is stated, it is the alternative taken.
    let r = report("2022-H1", &[("3.6.1", &[], 150), ("3.6.4", &[], 140), ("3.6.2", &[], 1), ("3.6.5", &[], 10)]);
    let m: Vec<_> =
        validate(&r, &default_catalogue(), Context::default()).into_iter().filter(|f| f.rule == "ho-so-da-giai-quyet").collect();
    assert!(m.is_empty(), "{m:#?}");
}

#[test]
fn the_catalogue_sets_the_severity_of_each_automatic_check() {
    // A truncated percentage (92,85% for 26/28 = 92,857…) is a warning in this catalogue, while
    // a broken split sum stays an error.
    let cat = catalogue_with("[severity]\n", "[severity]\n\"auto:stated-ratio\" = \"warning\"\n");
    let mut r = report("2021-Y", &[("1.2.1", &[], 28), ("1.2.2", &[], 26), ("3.6.4", &[], 53850), ("3.6.4", &[("level", "xa")], 53858)]);
    stated(&mut r, "1.2", "92,85", None);
    let f = validate(&r, &cat, Context::default());
    let severity = |rule: &str| f.iter().find(|f| f.rule == rule).map(|f| f.severity);
    assert_eq!(severity("auto:stated-ratio"), Some(Severity::Warning));
    assert_eq!(severity("auto:split-sum"), Some(Severity::Error));
    // The default catalogue keeps both errors; "off" drops a check's findings.
    assert_eq!(validate(&r, &default_catalogue(), Context::default()).iter().filter(|f| f.severity == Severity::Error).count(), 2);
    let off = catalogue_with("[severity]\n", "[severity]\n\"auto:split-sum\" = \"off\"\n");
    assert!(validate(&r, &off, Context::default()).iter().all(|f| f.rule != "auto:split-sum"));
}

#[test]
fn a_stated_ratio_without_its_counts_is_a_warning_naming_them() {
    let cat = catalogue_with("\"auto:ratio-without-counts\" = \"off\"", "\"auto:ratio-without-counts\" = \"warning\"");
    let mut r = report("2022-H1", &[("6.1.1", &[], 200)]);
    stated(&mut r, "6.1", "15", None);
    let f = validate(&r, &cat, Context::default());
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].rule, "auto:ratio-without-counts");
    assert_eq!(f[0].severity, Severity::Warning);
    assert!(f[0].message.contains("ghi 15% nhưng thiếu số liệu để tính lại: 6.1.2 \"Vốn đầu tư công đã giải ngân\""), "{}", f[0].message);
    assert!(!f[0].message.contains("6.1.1"), "{}", f[0].message);
    // Off in the default catalogue: the reference reports state such percentages legitimately.
    assert!(validate(&r, &default_catalogue(), Context::default()).is_empty());
}

#[test]
fn messages_name_a_ratio_once() {
    let mut r = report("2021-Y", &[("1.2.1", &[], 28), ("1.2.2", &[], 26)]);
    stated(&mut r, "1.2", "92,85", None);
    for m in messages(&r) {
        assert!(!m.contains("Tỷ lệ \"Tỷ lệ"), "{m}");
        assert_eq!(m.matches("Tỷ lệ hoàn thành Kế hoạch CCHC năm").count(), 1, "{m}");
    }
}

#[test]
fn a_thousand_directive_documents_in_a_communes_half_year_do_not_pass_silently() {
    let f = validate(&commune("2022-H1", &[("1.1", &[], 1000)]), &default_catalogue(), Context::default());
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!((f[0].rule.as_str(), f[0].severity), ("auto:range", Severity::Warning));
    assert!(f[0].message.contains("ghi 1.000 trong 6 tháng đầu năm 2022, vượt mức tối đa hợp lý 60"), "{}", f[0].message);
    // Lê Hồng's 20 is plausible; a district's own 1.000 in a year is not, at its own limit.
    assert!(validate(&commune("2022-H1", &[("1.1", &[], 20)]), &default_catalogue(), Context::default()).is_empty());
    assert!(validate(&report("2021-Y", &[("1.1", &[], 300)]), &default_catalogue(), Context::default()).is_empty());
    assert_eq!(validate(&report("2021-Y", &[("1.1", &[], 1000)]), &default_catalogue(), Context::default()).len(), 1);
}

#[test]
fn a_figure_changing_more_than_the_factor_against_last_year_or_the_previous_period_is_a_warning() {
    let now = report("2022-H1", &[("3.5.1", &[], 6893)]);
    let last_year = [report("2021-H1", &[("3.5.1", &[], 689)])];
    let f = validate(&now, &default_catalogue(), Context { earlier: &last_year });
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!((f[0].rule.as_str(), f[0].severity), ("auto:change", Severity::Warning));
    assert!(f[0].message.contains("tăng bất thường: 6.893 so với 689 (cùng kỳ năm trước, 6 tháng đầu năm 2021)"), "{}", f[0].message);
    // The previous period (6 months at the end of 2021) counts too, and falls are caught.
    let previous = [report("2021-H2", &[("3.5.1", &[], 40000)])];
    let f = validate(&now, &default_catalogue(), Context { earlier: &previous });
    assert!(f[0].message.contains("giảm bất thường: 6.893 so với 40.000 (kỳ trước, 6 tháng cuối năm 2021)"), "{}", f[0].message);
    // Within the factor, or below the floor, nothing.
    let close = [report("2021-H1", &[("3.5.1", &[], 5000)])];
    assert!(validate(&now, &default_catalogue(), Context { earlier: &close }).is_empty());
    let small = report("2022-H1", &[("3.5.1", &[], 40)]);
    let tiny = [report("2021-H1", &[("3.5.1", &[], 2)])];
    assert!(validate(&small, &default_catalogue(), Context { earlier: &tiny }).is_empty());
}

#[test]
fn change_factor_is_symmetric_and_respects_the_floor() {
    use limits::changed_too_much;
    let d = |n: i64| Decimal::from(n);
    assert!(changed_too_much(d(10), d(51), 5.0, 0.0));
    assert!(changed_too_much(d(51), d(10), 5.0, 0.0));
    assert!(!changed_too_much(d(10), d(50), 5.0, 0.0));
    assert!(changed_too_much(d(0), d(30), 5.0, 20.0));
    assert!(!changed_too_much(d(0), d(19), 5.0, 20.0));
    assert!(!changed_too_much(d(0), d(0), 5.0, 0.0));
}

#[test]
fn a_unit_far_from_its_peers_is_flagged_by_its_modified_z_score() {
    let z = peers::modified_z_scores(&[10.0, 12.0, 11.0, 13.0, 9.0, 1000.0]);
    assert!(z[5] > 100.0, "{z:?}");
    assert!(z[..5].iter().all(|s| s.abs() < 3.5), "{z:?}");
    assert_eq!(peers::modified_z_scores(&[4.0, 4.0, 4.0, 4.0]), vec![0.0; 4]);
    // More than half equal (MAD = 0): the mean absolute deviation stands in.
    let z = peers::modified_z_scores(&[5.0, 5.0, 5.0, 5.0, 50.0]);
    assert!(z[4] > 3.5 && z[0] == 0.0, "{z:?}");
    let communes: Vec<UnitReport> = [("A", 12), ("B", 15), ("C", 9), ("D", 14), ("E", 1000)]
        .into_iter()
        .map(|(code, n)| {
            let mut r = commune("2022-H1", &[("1.1", &[], n)]);
            r.unit.code = code.into();
            r.unit.name = format!("Xã {code}");
            r
        })
        .collect();
    let out = peers::outliers(&communes, &default_catalogue());
    assert_eq!(out.len(), 1, "{out:#?}");
    assert_eq!((out[0].unit.as_str(), out[0].indicator.as_str()), ("E", "1.1"));
    assert!(out[0].message.starts_with("Xã E: chỉ tiêu 1.1 \"Số văn bản chỉ đạo CCHC đã ban hành"), "{}", out[0].message);
    assert!(out[0].message.contains("1.000, cao bất thường so với các đơn vị cùng cấp (trung vị 14"), "{}", out[0].message);
    // Three peers say nothing about what is usual.
    assert!(peers::outliers(&communes[2..], &default_catalogue()).is_empty());
}

#[test]
fn completeness_counts_the_indicators_and_names_the_required_ones_missing() {
    let r = commune("2022-Y", &[("1.1", &[], 20), ("3.5.1", &[], 1224), ("3.6.1", &[("field", "ho-tich")], 200)]);
    let cat = default_catalogue();
    let c = completeness::completeness(&r, &cat);
    assert_eq!(c.stated, 3);
    assert_eq!(c.label_vi(), format!("3/{} chỉ tiêu", cchc_format::int(c.expected as i64)));
    assert_eq!(c.missing_required, vec!["1.2.1", "1.2.2", "3.6.4", "3.6.5"]);
    let f = completeness::finding(&c, &cat).unwrap();
    assert_eq!((f.rule.as_str(), f.severity), ("auto:required", Severity::Warning));
    assert!(f.message.starts_with("Báo cáo có số liệu 3/"), "{}", f.message);
    assert!(f.message.contains("còn thiếu 4 chỉ tiêu bắt buộc: 1.2.1 \"Số nhiệm vụ đề ra trong kế hoạch\""), "{}", f.message);
    // A half-year's report, or a district's, is not held to the set (but knows how complete it is).
    assert!(completeness::completeness(&commune("2022-H1", &[]), &cat).is_complete());
    assert!(completeness::completeness(&report("2022-Y", &[]), &cat).is_complete());
    assert_eq!(completeness::completeness(&commune("2022-H1", &[]), &cat).stated, 0);
    // Where the catalogue refuses, an incomplete report is an error.
    let strict = catalogue_with("periods = [\"year\"]\n", "periods = [\"year\"]\nrefuse = true\n");
    let c = completeness::completeness(&r, &strict);
    assert!(c.refuse);
    assert_eq!(completeness::finding(&c, &strict).unwrap().severity, Severity::Error);
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// The modified z-score does not depend on the unit of measure: shifting and scaling
        /// every peer's figure leaves every score as it was (so a threshold means the same for
        /// dossiers and documents).
        #[test]
        fn modified_z_scores_are_unit_free(
            values in proptest::collection::vec(0u32..100_000, 1..30),
            scale in 1u32..1000,
            shift in 0u32..1_000_000,
        ) {
            let xs: Vec<f64> = values.iter().map(|v| f64::from(*v)).collect();
            let ys: Vec<f64> = xs.iter().map(|x| x * f64::from(scale) + f64::from(shift)).collect();
            for (a, b) in peers::modified_z_scores(&xs).iter().zip(peers::modified_z_scores(&ys)) {
                prop_assert!((a - b).abs() < 1e-6 * (1.0 + a.abs()), "{} vs {}", a, b);
            }
        }

        /// Parts-as-zero never flags a report whose stated total is the sum of the parts it
        /// states, whichever parts are left out.
        #[test]
        fn parts_as_zero_never_flags_a_consistent_report(
            parts in proptest::collection::vec(proptest::option::of(0i64..100_000), 4),
            nested in any::<bool>(),
        ) {
            // 3.6.1 | 3.6.4 + 3.6.5 is exercised by giving the resolved parts instead of 3.6.1.
            let codes = ["3.6.1", "3.6.7", "3.6.10", "3.6.11"];
            let mut figures: Vec<(String, i64)> = Vec::new();
            for (code, part) in codes.iter().zip(&parts) {
                let Some(n) = part else { continue };
                if *code == "3.6.1" && nested {
                    figures.push(("3.6.4".into(), n / 2));
                    figures.push(("3.6.5".into(), n - n / 2));
                } else {
                    figures.push((code.to_string(), *n));
                }
            }
            let total: i64 = parts.iter().flatten().sum();
            figures.push(("3.5.1".into(), total));
            let fig_refs: Vec<Figure<'_>> = figures.iter().map(|(c, n)| (c.as_str(), &[][..], *n)).collect();
            let r = report("2022-H1", &fig_refs);
            let f = validate(&r, &default_catalogue(), Context::default());
            prop_assert!(f.iter().all(|f| f.rule != "ho-so-tiep-nhan-theo-ket-qua"), "{:#?}", f);
        }
    }
}

#[test]
fn nested_alternatives_are_evaluated_once_each_not_in_exponential_time() {
    // "((… (#{3.6.4} | #{3.6.2}) | #{3.6.2}) … ) + #{3.6.5}", 40 deep: every level takes its
    // first alternative, which was evaluated twice per level (2^40 evaluations).
    let n = 40;
    let right = format!("{}#{{3.6.4}}{} + #{{3.6.5}}", "(".repeat(n), " | #{3.6.2})".repeat(n));
    let text = cchc_catalogue::DEFAULT_CATALOGUE_TOML.replacen(
        "right = \"(#{3.6.4} | #{3.6.2} + #{3.6.3}) + #{3.6.5}\"",
        &format!("right = \"{right}\""),
        1,
    );
    assert_ne!(text, cchc_catalogue::DEFAULT_CATALOGUE_TOML);
    let cat = cchc_catalogue::resolve(cchc_catalogue::parse(&text).unwrap(), &cchc_catalogue::CatalogueSource(vec![])).unwrap();
    let r = report("2021-Y", &[("3.6.1", &[], 54647), ("3.6.4", &[], 53850), ("3.6.2", &[], 1), ("3.6.5", &[], 789)]);
    let (done, wait) = std::sync::mpsc::channel();
    std::thread::spawn(move || done.send(validate(&r, &cat, Context::default())).unwrap());
    let findings = wait.recv_timeout(std::time::Duration::from_secs(20)).expect("validation must not take exponential time");
    let f = findings.iter().find(|f| f.rule == "ho-so-da-giai-quyet").expect("54.647 ≠ 53.850 + 789");
    assert!(f.message.contains("53.850 + 789 = 54.639"), "{}", f.message);
}

/// A money figure (Triệu đồng): code, split (dimension, value), amount.
type Amount<'a> = (&'a str, &'a [(&'a str, &'a str)], Decimal);

/// A report of money figures.
fn money(figures: &[Amount<'_>]) -> UnitReport {
    let mut r = report("2022-H1", &[]);
    for (code, split, n) in figures {
        r.entries.push(Entry::new(Key::split(code, split), Value::Dec(*n)));
    }
    r
}

/// The default catalogue as `edit` makes its text (a rule added, a split declared).
fn catalogue_edited(edit: impl FnOnce(String) -> String) -> cchc_catalogue::Catalogue {
    let text = edit(cchc_catalogue::DEFAULT_CATALOGUE_TOML.to_string());
    cchc_catalogue::resolve(cchc_catalogue::parse(&text).unwrap(), &cchc_catalogue::CatalogueSource(vec![])).unwrap()
}

#[test]
fn maximal_money_figures_are_checked_without_a_panic_and_a_rule_they_overflow_is_an_error_naming_it() {
    let max = Decimal::MAX;
    // 6.1 = 6.1.2 / 6.1.1 × 100: the largest decimal times 100 does not fit.
    let f = validate(&money(&[("6.1.2", &[], max), ("6.1.1", &[], Decimal::ONE)]), &default_catalogue(), Context::default());
    assert!(f.iter().any(|f| f.rule == "auto:ratio-bound"), "{f:#?}");
    // A rule adding two maximal figures.
    let cat = catalogue_edited(|mut t| {
        t.push_str(
            "\n[[rules]]\nid = \"von-giai-ngan\"\nname = \"Vốn giải ngân không vượt kế hoạch cộng thu ngân sách\"\nleft = \"#{6.1.2}\"\noperator = \"<=\"\nright = \"#{6.1.1} + #{6.7}\"\nseverity = \"warning\"\nmessage = \"Vốn giải ngân {left} vượt {right_terms}\"\n",
        );
        t
    });
    let r = money(&[("6.1.2", &[], Decimal::ONE), ("6.1.1", &[], max), ("6.7", &[], max)]);
    let f = validate(&r, &cat, Context::default());
    let rule = f.iter().find(|f| f.rule == "von-giai-ngan").expect("the rule is not silently passed");
    assert_eq!(rule.severity, cchc_catalogue::Severity::Error);
    assert_eq!(
        rule.message,
        "Không kiểm tra được quy tắc \"Vốn giải ngân không vượt kế hoạch cộng thu ngân sách\": phép tính 79.228.162.514.264.337.593.543.950.335 + 79.228.162.514.264.337.593.543.950.335 vượt quá giới hạn của một số liệu; hãy kiểm tra lại các số liệu này"
    );
    assert_eq!(rule.codes(), vec!["6.1.2", "6.1.1", "6.7"]);
    // Parts by level adding up beyond a decimal: more than their total.
    let cat = catalogue_edited(|t| {
        t.replacen("code = \"6.1.1\"\nname = \"Kế hoạch vốn đầu tư công được giao\"\nunit = \"Triệu đồng\"\nkind = \"money\"\n", "code = \"6.1.1\"\nname = \"Kế hoạch vốn đầu tư công được giao\"\nunit = \"Triệu đồng\"\nkind = \"money\"\nsplits = [\"level\"]\n", 1)
    });
    assert!(cat.indicator("6.1.1").unwrap().splits.contains(&"level".to_string()));
    let r = money(&[("6.1.1", &[], Decimal::ONE), ("6.1.1", &[("level", "huyen")], max), ("6.1.1", &[("level", "xa")], max)]);
    let f = validate(&r, &cat, Context::default());
    let split = f.iter().find(|f| f.rule == "auto:split-sum").expect("a split-sum finding");
    assert!(split.message.ends_with("= một số vượt quá giới hạn của một số liệu, khác tổng số 1"), "{}", split.message);
    // A change against last year of a maximal figure.
    assert!(!limits::changed_too_much(max / Decimal::TWO, max, 3.0, 0.0));
    assert!(limits::changed_too_much(max / Decimal::from(4), max, 3.0, 0.0));
}

proptest::proptest! {
    /// Figures that fit are checked as before: a rule adding money figures holds exactly when
    /// the plain sum does.
    #[test]
    fn rules_over_small_money_figures_are_unchanged(a in 0i64..1_000_000_000_000, b in 0i64..1_000_000_000_000, c in 0i64..2_000_000_000_000) {
        let cat = catalogue_edited(|mut t| {
            t.push_str("\n[[rules]]\nid = \"von\"\nname = \"Vốn\"\nleft = \"#{6.1.2}\"\noperator = \"<=\"\nright = \"#{6.1.1} + #{6.7}\"\nseverity = \"warning\"\nmessage = \"{left} > {right}\"\n");
            t
        });
        let (a, b, c) = (Decimal::new(a, 2), Decimal::new(b, 2), Decimal::new(c, 2));
        let f = validate(&money(&[("6.1.2", &[], c), ("6.1.1", &[], a), ("6.7", &[], b)]), &cat, Context::default());
        let fired = f.iter().find(|f| f.rule == "von");
        proptest::prop_assert_eq!(fired.is_some(), c > a + b);
        if let Some(f) = fired {
            proptest::prop_assert_eq!(f.severity, cchc_catalogue::Severity::Warning);
        }
    }
}
