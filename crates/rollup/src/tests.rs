use std::collections::HashMap;

use cchc_catalogue::{Catalogue, parse, resolve};
use cchc_periods::{Period, WindowRule};
use cchc_report::{Entry, Key, UnitRef, UnitReport, Value};
use cchc_units::{Lineage, Unit, UnitKind, UnitTree};
use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;

/// A small catalogue with one indicator of each roll-up kind, independent of the default one.
pub(crate) fn catalogue() -> Catalogue {
    let text = r#"
[catalogue]
id = "test"
version = "1"
name = "Thử"

[[dimensions]]
id = "level"
name = "Cấp"
values = [{ id = "tinh", name = "cấp tỉnh" }, { id = "huyen", name = "cấp huyện" }, { id = "xa", name = "cấp xã" }]

[[forms]]
number = 3
name = "TTHC"

[[indicators]]
code = "3.1"
name = "Số hồ sơ đã giải quyết"
unit = "Hồ sơ"
kind = "count"
splits = ["level"]

[[indicators]]
code = "3.2"
name = "Số hồ sơ giải quyết đúng hạn"
unit = "Hồ sơ"
kind = "count"
splits = ["level"]

[[indicators]]
code = "3.3"
name = "Tỷ lệ đúng hạn"
unit = "%"
kind = "ratio"
numerator = "3.2"
denominator = "3.1"
splits = ["level"]

[[indicators]]
code = "3.4"
name = "Có niêm yết địa chỉ tiếp nhận phản ánh"
kind = "yes-no"

[[indicators]]
code = "3.5"
name = "Hình thức khảo sát"
kind = "choice"
options = [{ value = 0, name = "Trực tuyến" }, { value = 1, name = "Phát phiếu" }, { value = 2, name = "Kết hợp" }]

[[indicators]]
code = "3.6"
name = "Số TTHC đang có hiệu lực"
unit = "Thủ tục"
kind = "count"
rollup = "own"

[[indicators]]
code = "3.7"
name = "Ghi chú"
kind = "text"

[[indicators]]
code = "3.8"
name = "Kinh phí thực hiện CCHC"
unit = "Triệu đồng"
kind = "money"
"#;
    resolve(parse(text).unwrap(), &cchc_catalogue::CatalogueSource(vec![])).unwrap()
}

fn unit(code: &str, kind: UnitKind, parent: Option<&str>) -> Unit {
    Unit {
        code: code.into(),
        name: format!("Đơn vị {code}"),
        kind,
        parent: parent.map(Into::into),
        valid_from: None,
        valid_to: None,
        issuer: None,
    }
}

fn report(code: &str, figures: &[(&str, Value)]) -> UnitReport {
    let u = UnitRef { code: code.into(), name: code.into(), kind: UnitKind::Xa, parent: None };
    let mut r = UnitReport::new("test@1", u, "2022-H1".parse().unwrap());
    r.entries = figures.iter().map(|(k, v)| Entry::new(Key::parse(k).unwrap(), v.clone())).collect();
    r
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

struct World {
    tree: UnitTree,
    cat: Catalogue,
    reports: HashMap<String, UnitReport>,
    submitted: HashMap<String, NaiveDate>,
}

impl World {
    fn compile(&self, code: &str) -> Compiled {
        let period: Period = "2022-H1".parse().unwrap();
        let input = Input {
            tree: &self.tree,
            catalogue: &self.cat,
            period,
            window: WindowRule::default().window(period),
            reports: &self.reports,
            submitted_on: &self.submitted,
            due: d(2022, 6, 16),
        };
        compile(code, &input).unwrap()
    }
}

/// A district with its own one-stop figures and three communes, one of which has not reported.
fn district() -> World {
    let tree = UnitTree::new(
        vec![
            unit("H", UnitKind::Huyen, None),
            unit("X1", UnitKind::Xa, Some("H")),
            unit("X2", UnitKind::Xa, Some("H")),
            unit("X3", UnitKind::ThiTran, Some("H")),
        ],
        Lineage::default(),
    )
    .unwrap();
    let mut reports = HashMap::new();
    reports.insert(
        "H".into(),
        report("H", &[("3.1", Value::Int(100)), ("3.2", Value::Int(99)), ("3.6", Value::Int(268)), ("3.4", Value::Bool(true))]),
    );
    reports.insert(
        "X1".into(),
        report(
            "X1",
            &[
                ("3.1", Value::Int(10)),
                ("3.2", Value::Int(9)),
                ("3.6", Value::Int(146)),
                ("3.4", Value::Bool(true)),
                ("3.5", Value::Choice(1)),
                ("3.7", Value::Text("Không phát sinh".into())),
            ],
        ),
    );
    reports.insert(
        "X2".into(),
        report("X2", &[("3.1", Value::Int(100)), ("3.2", Value::Int(1)), ("3.4", Value::Bool(false)), ("3.5", Value::Choice(1))]),
    );
    let submitted = HashMap::from([("X1".to_string(), d(2022, 6, 15)), ("X2".to_string(), d(2022, 6, 20))]);
    World { tree, cat: catalogue(), reports, submitted }
}

fn int(c: &Compiled, key: &str) -> Option<i64> {
    match c.report.value(&Key::parse(key).unwrap()) {
        Some(Value::Int(n)) => Some(*n),
        _ => None,
    }
}

#[test]
fn a_district_is_compiled_from_its_communes_and_shows_the_missing_one() {
    let c = district().compile("H");
    assert_eq!(int(&c, "3.1"), Some(210));
    assert_eq!(int(&c, "3.1[level=huyen]"), Some(100));
    assert_eq!(int(&c, "3.1[level=xa]"), Some(110));
    assert_eq!(int(&c, "3.2"), Some(109));
    let arrivals: Vec<(&str, Arrival)> = c.completeness.expected.iter().map(|e| (e.code.as_str(), e.arrival)).collect();
    assert_eq!(arrivals, vec![("X1", Arrival::OnTime), ("X2", Arrival::Late), ("X3", Arrival::Missing)]);
    assert_eq!(c.completeness.missing().map(|e| e.name.as_str()).collect::<Vec<_>>(), vec!["Đơn vị X3"]);
    assert_eq!(c.completeness.submitted(), 2);
}

#[test]
fn ratios_are_recomputed_from_summed_parts_never_averaged() {
    let c = district().compile("H");
    // Own 99/100, X1 9/10, X2 1/100: the average of the three rates would be 66,33%;
    // the compiled rate is 109/210.
    assert_eq!(c.report.value(&Key::total("3.3")), None, "ratios are not stored");
    let figures = cchc_validation::validate(&c.report, &district().cat, cchc_validation::Context::default());
    assert!(figures.is_empty(), "{figures:?}");
    let rate = cchc_format::ratio_percent(int(&c, "3.2").unwrap(), int(&c, "3.1").unwrap()).unwrap();
    assert_eq!(cchc_format::percent(rate), "51,90%");
    let xa = cchc_format::ratio_percent(int(&c, "3.2[level=xa]").unwrap(), int(&c, "3.1[level=xa]").unwrap()).unwrap();
    assert_eq!(cchc_format::percent(xa), "9,09%");
}

#[test]
fn yes_no_choices_own_figures_and_texts_follow_their_rules() {
    let c = district().compile("H");
    assert_eq!(c.report.value(&Key::total("3.4")), Some(&Value::Tally { yes: 2, of: 3 }));
    assert_eq!(c.report.value(&Key::total("3.4")).unwrap().display(), "2/3 đơn vị");
    assert_eq!(c.report.value(&Key::total("3.5")), Some(&Value::OptionCounts([(1, 2)].into())));
    assert_eq!(int(&c, "3.6"), Some(268), "the district's own procedure count is not summed");
    assert_eq!(c.report.value(&Key::total("3.7")), Some(&Value::Text("Đơn vị X1: Không phát sinh".into())));
}

#[test]
fn a_province_compiles_through_districts_to_any_depth() {
    let mut w = district();
    let mut units: Vec<Unit> = w.tree.units().cloned().collect();
    units.iter_mut().find(|u| u.code == "H").unwrap().parent = Some("P".into());
    units.push(unit("P", UnitKind::Tinh, None));
    units.push(unit("H2", UnitKind::Huyen, Some("P")));
    units.push(unit("Y1", UnitKind::Xa, Some("H2")));
    w.tree = UnitTree::new(units, Lineage::default()).unwrap();
    w.reports.insert("Y1".into(), report("Y1", &[("3.1", Value::Int(5)), ("3.4", Value::Bool(true))]));
    let c = w.compile("P");
    assert_eq!(int(&c, "3.1"), Some(215));
    assert_eq!(int(&c, "3.1[level=xa]"), Some(115));
    assert_eq!(int(&c, "3.1[level=huyen]"), Some(100));
    assert_eq!(c.report.value(&Key::total("3.4")), Some(&Value::Tally { yes: 3, of: 4 }));
    assert_eq!(int(&c, "3.6"), None, "no own report of the province");
    assert_eq!(c.completeness.expected.len(), 6);
    // X3 and the new district H2 (whose own report is missing) are missing; H and Y1 reported
    // without a submission date.
    let missing: Vec<&str> = c.completeness.missing().map(|e| e.code.as_str()).collect();
    assert_eq!(missing, vec!["X3", "H2"]);
    assert_eq!(c.completeness.count(Arrival::Undated), 2);
}

/// A random hierarchy: each unit's parent is an earlier unit, so it is a tree.
fn arb_tree() -> impl Strategy<Value = (Vec<Option<usize>>, Vec<i64>)> {
    (2usize..40).prop_flat_map(|n| {
        let parents = (1..n).map(|i| (0..i).prop_map(Some).boxed()).collect::<Vec<_>>();
        (parents, prop::collection::vec(0i64..1_000_000, n)).prop_map(|(p, v)| (std::iter::once(None).chain(p).collect(), v))
    })
}

proptest! {
    #[test]
    fn the_roll_up_of_a_random_hierarchy_equals_the_sum_over_its_leaves((parents, counts) in arb_tree()) {
        let code = |i: usize| format!("U{i}");
        let has_child = |i: usize| parents.contains(&Some(i));
        let units: Vec<Unit> = parents.iter().enumerate().map(|(i, p)| {
            let kind = if i == 0 { UnitKind::Tinh } else if has_child(i) { UnitKind::Huyen } else { UnitKind::Xa };
            unit(&code(i), kind, p.map(code).as_deref())
        }).collect();
        let tree = UnitTree::new(units, Lineage::default()).unwrap();
        let leaves: Vec<usize> = (0..parents.len()).filter(|&i| !has_child(i)).collect();
        let reports: HashMap<String, UnitReport> = leaves.iter()
            .map(|&i| (code(i), report(&code(i), &[("3.1", Value::Int(counts[i])), ("3.4", Value::Bool(counts[i] % 2 == 0))])))
            .collect();
        let w = World { tree, cat: catalogue(), reports, submitted: HashMap::new() };
        let c = w.compile("U0");
        let sum: i64 = leaves.iter().map(|&i| counts[i]).sum();
        let yes = leaves.iter().filter(|&&i| counts[i] % 2 == 0).count() as u32;
        prop_assert_eq!(int(&c, "3.1"), Some(sum));
        prop_assert_eq!(c.report.value(&Key::total("3.4")), Some(&Value::Tally { yes, of: leaves.len() as u32 }));
        prop_assert_eq!(c.completeness.expected.len(), parents.len() - 1);
    }
}

/// The district of [`district`] whose own report states `own` instead (its figures at its own
/// level, its communes' level and the total, in any combination, as real reports do).
fn district_stating(own: &[(&str, Value)]) -> World {
    let mut w = district();
    w.reports.insert("H".into(), report("H", own));
    w
}

/// The compiled levels of a figure add up to its compiled total.
fn levels_add_up(c: &Compiled, code: &str) -> bool {
    let level = |l: &str| int(c, &format!("{code}[level={l}]")).unwrap_or(0);
    int(c, code).unwrap_or(0) == level("tinh") + level("huyen") + level("xa")
}

#[test]
fn own_figures_stated_only_at_the_own_level_count_in_the_total() {
    // As Cẩm Xuyên states its one-stop figures: "3.5.1[level=huyen] 6.893", no total.
    let c = district_stating(&[("3.1[level=huyen]", Value::Int(100)), ("3.2[level=huyen]", Value::Int(99))]).compile("H");
    assert_eq!(int(&c, "3.1"), Some(210), "100 of the district and 110 of its communes");
    assert_eq!(int(&c, "3.1[level=huyen]"), Some(100));
    assert_eq!(int(&c, "3.1[level=xa]"), Some(110));
    assert_eq!(int(&c, "3.2"), Some(109));
    let findings = cchc_validation::validate(&c.report, &district().cat, cchc_validation::Context::default());
    assert!(findings.is_empty(), "{findings:?}");
}

#[test]
fn the_communes_own_reports_replace_what_the_district_stated_of_them() {
    // The district states 300 in all, 100 its own and 200 for its communes; the communes' reports
    // (10 + 100) replace the 200.
    let own = [("3.1", Value::Int(300)), ("3.1[level=huyen]", Value::Int(100)), ("3.1[level=xa]", Value::Int(200))];
    let c = district_stating(&own).compile("H");
    assert_eq!(int(&c, "3.1[level=xa]"), Some(110));
    assert_eq!(int(&c, "3.1[level=huyen]"), Some(100));
    assert_eq!(int(&c, "3.1"), Some(210));
    // A total with its communes' part only: the rest is the district's own level.
    let c = district_stating(&[("3.1", Value::Int(300)), ("3.1[level=xa]", Value::Int(200))]).compile("H");
    assert_eq!((int(&c, "3.1"), int(&c, "3.1[level=huyen]"), int(&c, "3.1[level=xa]")), (Some(210), Some(100), Some(110)));
}

#[test]
fn what_the_district_states_of_levels_no_unit_below_reports_is_kept() {
    let mut w = district_stating(&[("3.1", Value::Int(300)), ("3.1[level=huyen]", Value::Int(100)), ("3.1[level=xa]", Value::Int(200))]);
    w.reports.retain(|code, _| code == "H");
    let c = w.compile("H");
    assert_eq!((int(&c, "3.1"), int(&c, "3.1[level=huyen]"), int(&c, "3.1[level=xa]")), (Some(300), Some(100), Some(200)));
}

#[test]
fn a_sum_that_does_not_fit_is_an_error_naming_the_indicator() {
    let mut w = district();
    w.reports.insert("X1".into(), report("X1", &[("3.1", Value::Int(i64::MAX))]));
    let period: Period = "2022-H1".parse().unwrap();
    let input = Input {
        tree: &w.tree,
        catalogue: &w.cat,
        period,
        window: WindowRule::default().window(period),
        reports: &w.reports,
        submitted_on: &w.submitted,
        due: d(2022, 6, 16),
    };
    let err = compile("H", &input).unwrap_err();
    assert_eq!(err, RollupError::Overflow { unit: "Đơn vị H".into(), code: "3.1".into(), name: "Số hồ sơ đã giải quyết".into() });
    assert_eq!(
        err.to_string(),
        "Không tổng hợp được báo cáo của Đơn vị H: tổng của chỉ tiêu 3.1 \"Số hồ sơ đã giải quyết\" vượt quá giới hạn của một số liệu; kiểm tra số liệu chỉ tiêu này của các đơn vị báo cáo."
    );
}

/// A province of two districts of one commune each, the communes reporting `figures` each.
fn province_of_two(figures: &[(&str, Value)]) -> World {
    let tree = UnitTree::new(
        vec![
            unit("T", UnitKind::Tinh, None),
            unit("H1", UnitKind::Huyen, Some("T")),
            unit("H2", UnitKind::Huyen, Some("T")),
            unit("X1", UnitKind::Xa, Some("H1")),
            unit("X2", UnitKind::Xa, Some("H2")),
        ],
        Lineage::default(),
    )
    .unwrap();
    let reports = HashMap::from([("X1".to_string(), report("X1", figures)), ("X2".to_string(), report("X2", figures))]);
    World { tree, cat: catalogue(), reports, submitted: HashMap::new() }
}

impl World {
    fn try_compile(&self, code: &str) -> Result<Compiled, RollupError> {
        let period: Period = "2022-H1".parse().unwrap();
        let input = Input {
            tree: &self.tree,
            catalogue: &self.cat,
            period,
            window: WindowRule::default().window(period),
            reports: &self.reports,
            submitted_on: &self.submitted,
            due: d(2022, 6, 16),
        };
        compile(code, &input)
    }
}

#[test]
fn two_maximal_figures_are_an_error_naming_the_figure_and_the_unit_never_a_panic_or_a_wrapped_number() {
    let cases = [
        ("3.1", "Số hồ sơ đã giải quyết", Value::Int(i64::MAX)),
        ("3.8", "Kinh phí thực hiện CCHC", Value::Dec(rust_decimal::Decimal::MAX)),
        ("3.4", "Có niêm yết địa chỉ tiếp nhận phản ánh", Value::Tally { yes: u32::MAX, of: u32::MAX }),
        ("3.5", "Hình thức khảo sát", Value::OptionCounts(std::collections::BTreeMap::from([(1, u32::MAX)]))),
    ];
    for (code, name, value) in cases {
        let w = province_of_two(&[(code, value.clone())]);
        // Each district holds one maximal figure; the province adds two.
        assert!(w.try_compile("H1").is_ok(), "{code}");
        let err = w.try_compile("T").unwrap_err();
        assert_eq!(err, RollupError::Overflow { unit: "Đơn vị T".into(), code: code.into(), name: name.into() });
        // The same two reports as children of one unit.
        let mut flat = district();
        flat.reports =
            HashMap::from([("X1".to_string(), report("X1", &[(code, value.clone())])), ("X2".to_string(), report("X2", &[(code, value)]))]);
        assert!(matches!(flat.try_compile("H"), Err(RollupError::Overflow { code: c, .. }) if c == code));
    }
    // A count and a money figure that fit are compiled exactly.
    let half = (rust_decimal::Decimal::MAX - rust_decimal::Decimal::ONE) / rust_decimal::Decimal::TWO;
    let c = province_of_two(&[("3.1", Value::Int(i64::MAX / 2)), ("3.8", Value::Dec(half))]).compile("T");
    assert_eq!(int(&c, "3.1"), Some(i64::MAX - 1));
    assert_eq!(c.report.value(&Key::total("3.8")), Some(&Value::Dec(rust_decimal::Decimal::MAX - rust_decimal::Decimal::ONE)));
}

#[test]
fn a_percentage_stated_without_its_counts_is_shown_as_units_reporting() {
    let mut w = district();
    w.reports.insert("X2".into(), report("X2", &[("3.3", Value::Dec(rust_decimal::Decimal::new(905, 1))), ("3.4", Value::Bool(true))]));
    let c = w.compile("H");
    let entry = c.report.entries.iter().find(|e| e.key == Key::total("3.3")).expect("the rate is not dropped");
    assert_eq!(entry.value, None, "a rate is never averaged");
    assert_eq!(entry.note.as_deref(), Some("1/3 đơn vị báo cáo tỷ lệ này nhưng không kèm số liệu để tính"));
    // A rate stated with its counts is recomputed from them, not counted as stated alone.
    assert!(!district().compile("H").report.entries.iter().any(|e| e.key.code == "3.3"));
}

/// A district of 2022 in which communes A and B merged into N on 1/4/2022, within the first
/// half-year's window (15/12/2021 → 14/6/2022).
fn merged() -> World {
    let mut a = unit("A", UnitKind::Xa, Some("H"));
    a.valid_to = Some(d(2022, 3, 31));
    let mut b = unit("B", UnitKind::Xa, Some("H"));
    b.valid_to = Some(d(2022, 3, 31));
    let mut n = unit("N", UnitKind::Xa, Some("H"));
    n.valid_from = Some(d(2022, 4, 1));
    let edge = |from: &str| cchc_units::LineageEdge {
        from: from.into(),
        to: "N".into(),
        kind: cchc_units::LineageKind::MergedInto,
        date: d(2022, 4, 1),
        basis: None,
    };
    let tree = UnitTree::new(vec![unit("H", UnitKind::Huyen, None), a, b, n], Lineage { edges: vec![edge("A"), edge("B")] }).unwrap();
    let reports = HashMap::from([
        ("A".to_string(), report("A", &[("3.1", Value::Int(5))])),
        ("N".to_string(), report("N", &[("3.1", Value::Int(7))])),
    ]);
    World { tree, cat: catalogue(), reports, submitted: HashMap::new() }
}

#[test]
fn a_successor_includes_the_units_it_absorbed_during_the_window() {
    let w = merged();
    assert_eq!(int(&w.compile("N"), "3.1"), Some(12));
    let c = w.compile("H");
    assert_eq!(int(&c, "3.1"), Some(12), "A counted once, through N");
    let expected: Vec<&str> = c.completeness.expected.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(expected, vec!["N"], "A and B no longer exist when the half-year's report is due");
}

proptest! {
    #[test]
    fn a_compiled_total_is_the_sum_of_its_compiled_levels(
        huyen in prop::option::of(0i64..10_000),
        xa in prop::option::of(0i64..10_000),
        extra in prop::option::of(0i64..10_000),
        with_total in any::<bool>(),
        communes in prop::collection::vec(prop::option::of(0i64..10_000), 3),
    ) {
        // A consistent own report: its total is its levels' sum, or more when a level is left out.
        let mut own = Vec::new();
        if let Some(h) = huyen { own.push(("3.1[level=huyen]", Value::Int(h))); }
        if let Some(x) = xa { own.push(("3.1[level=xa]", Value::Int(x))); }
        let unstated = if huyen.is_none() || xa.is_none() { extra.unwrap_or(0) } else { 0 };
        if with_total || own.is_empty() {
            own.push(("3.1", Value::Int(huyen.unwrap_or(0) + xa.unwrap_or(0) + unstated)));
        }
        let mut w = district_stating(&own);
        for (code, v) in ["X1", "X2", "X3"].iter().zip(&communes) {
            match v {
                Some(n) => { w.reports.insert(code.to_string(), report(code, &[("3.1", Value::Int(*n))])); }
                None => { w.reports.remove(*code); }
            }
        }
        let c = w.compile("H");
        // Only a total stated above its own level and no other level leaves a part whose level
        // is not known.
        if huyen.is_some() && xa.is_none() && unstated > 0 && with_total {
            prop_assert!(!levels_add_up(&c, "3.1"));
        } else {
            prop_assert!(levels_add_up(&c, "3.1"), "{:?}", c.report.entries);
        }
        let findings = cchc_validation::validate(&c.report, &w.cat, cchc_validation::Context::default());
        prop_assert!(findings.is_empty(), "{:?}", findings);
    }
}

#[test]
fn a_compiled_unit_without_a_level_of_government_keeps_its_own_figures() {
    // A Sở (no territorial level, no territorial ancestor) compiling its own units.
    let tree =
        UnitTree::new(vec![unit("S", UnitKind::CoQuanChuyenMon, None), unit("S1", UnitKind::DonViSuNghiep, Some("S"))], Lineage::default())
            .unwrap();
    let reports = HashMap::from([
        ("S".to_string(), report("S", &[("3.1", Value::Int(7)), ("3.1[level=huyen]", Value::Int(7))])),
        ("S1".to_string(), report("S1", &[("3.1", Value::Int(3))])),
    ]);
    let c = World { tree, cat: catalogue(), reports, submitted: HashMap::new() }.compile("S");
    assert_eq!(int(&c, "3.1"), Some(10));
}

proptest! {
    /// Sums that fit are the plain sums: counts, money, tallies and option counts of any two
    /// levels of units below.
    #[test]
    fn sums_of_small_figures_are_unchanged(
        counts in prop::collection::vec(0i64..1_000_000_000_000, 2),
        money in prop::collection::vec(0i64..1_000_000_000_000_000, 2),
        yes in prop::collection::vec(any::<bool>(), 2),
    ) {
        let mut w = province_of_two(&[]);
        for (i, code) in ["X1", "X2"].into_iter().enumerate() {
            let figures = [
                ("3.1", Value::Int(counts[i])),
                ("3.8", Value::Dec(rust_decimal::Decimal::new(money[i], 2))),
                ("3.4", Value::Bool(yes[i])),
                ("3.5", Value::Choice(u8::from(yes[i]))),
            ];
            w.reports.insert(code.into(), report(code, &figures));
        }
        let c = w.compile("T");
        prop_assert_eq!(int(&c, "3.1"), Some(counts[0] + counts[1]));
        prop_assert_eq!(int(&c, "3.1[level=xa]"), Some(counts[0] + counts[1]));
        prop_assert_eq!(c.report.value(&Key::total("3.8")), Some(&Value::Dec(rust_decimal::Decimal::new(money[0] + money[1], 2))));
        let n_yes = yes.iter().filter(|y| **y).count() as u32;
        prop_assert_eq!(c.report.value(&Key::total("3.4")), Some(&Value::Tally { yes: n_yes, of: 2 }));
        let mut options = std::collections::BTreeMap::new();
        for y in &yes {
            *options.entry(u8::from(*y)).or_insert(0u32) += 1;
        }
        prop_assert_eq!(c.report.value(&Key::total("3.5")), Some(&Value::OptionCounts(options)));
    }
}
