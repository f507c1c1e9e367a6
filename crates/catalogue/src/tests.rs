use super::*;
use proptest::prelude::*;

#[test]
fn default_catalogue_loads_and_checks() {
    let c = default_catalogue();
    assert_eq!(c.meta.reference().split('@').next(), Some("vn-default"));
    assert_eq!(c.forms.len(), 7);
    let ratio = c.indicator("3.6.6").expect("on-time rate");
    assert!(matches!(&ratio.kind, Kind::Ratio { numerator, denominator } if numerator == "3.6.4" && denominator == "3.6.1"));
    assert_eq!(ratio.rollup_rule(), Rollup::Recompute);
    assert!(check(&c).is_empty());
}

#[test]
fn default_catalogue_round_trips_through_toml() {
    let c = default_catalogue();
    let text = to_toml(&c.to_file());
    let again = resolve(parse(&text).unwrap(), &overlay::NoParents).unwrap();
    assert_eq!(again, c);
}

const PROVINCE: &str = r#"
remove = ["3.5.7"]

[catalogue]
id = "hd"
version = "2023.1"
name = "Bộ chỉ tiêu tỉnh Hải Dương"
province = "30"
extends = "vn-default@2022.1"

[[indicators]]
code = "3.6.6"
name = "Tỷ lệ hồ sơ giải quyết đúng hạn (tên của tỉnh)"
unit = "%"
kind = "ratio"
numerator = "3.6.4"
denominator = "3.6.1"

[[indicators]]
code = "7.99"
name = "Số điểm phục vụ dịch vụ công trực tuyến"
unit = "Điểm"
kind = "count"
"#;

#[test]
fn a_province_variant_adds_renames_and_removes_without_code() {
    let base = parse(DEFAULT_CATALOGUE_TOML).unwrap();
    let variant = parse(PROVINCE).unwrap();
    let c = resolve(variant, &CatalogueSource(vec![base])).unwrap();
    assert_eq!(c.meta.id, "hd");
    assert_eq!(c.indicator("3.6.6").unwrap().name, "Tỷ lệ hồ sơ giải quyết đúng hạn (tên của tỉnh)");
    assert!(c.indicator("7.99").is_some());
    assert!(c.indicator("3.5.7").is_none());
    // The parent's order is kept for replaced indicators.
    let pos = |code: &str| c.indicators.iter().position(|i| i.code == code).unwrap();
    assert!(pos("3.6.5") < pos("3.6.6") && pos("3.6.6") < pos("3.6.7"));
}

#[test]
fn broken_catalogues_are_refused_with_every_problem_named() {
    let text = DEFAULT_CATALOGUE_TOML
        .replace("denominator = \"3.6.1\"", "denominator = \"9.9.9\"")
        .replace("right = \"(#{3.6.4} | #{3.6.2} + #{3.6.3}) + #{3.6.5}\"", "right = \"#{3.6.4} + #{3.6.55[field=x]}\"");
    let err = resolve(parse(&text).unwrap(), &overlay::NoParents).unwrap_err().to_string();
    assert!(err.contains("Chỉ tiêu 3.6.6: mẫu số 9.9.9 không có trong bộ chỉ tiêu"), "{err}");
    assert!(err.contains("Quy tắc ho-so-da-giai-quyet, vế phải: chỉ tiêu 3.6.55 không có"), "{err}");
    let missing_parent = parse(PROVINCE).unwrap();
    assert_eq!(resolve(missing_parent, &overlay::NoParents).unwrap_err().to_string(), "Không tìm thấy bộ chỉ tiêu cha vn-default@2022.1");
    assert!(parse("[catalogue]\nid = 1").unwrap_err().to_string().starts_with("Tệp bộ chỉ tiêu sai cú pháp"));
}

#[test]
fn syntax_errors_name_the_line_in_vietnamese() {
    let no_name = "# tỉnh\n[catalogue]\nid = \"hl\"\nversion = \"1\"\n";
    let e = parse(no_name).unwrap_err().to_string();
    assert!(e.starts_with("Tệp bộ chỉ tiêu sai cú pháp: dòng ") && e.contains("thiếu trường \"name\""), "{e}");
    let bad_type = "[catalogue]\nid = \"hl\"\nversion = \"1\"\nname = \"x\"\n\n[[forms]]\nnumber = \"ba\"\nname = \"y\"\n";
    let e = parse(bad_type).unwrap_err().to_string();
    assert!(e.contains("dòng 7: sai kiểu giá trị"), "{e}");
}

fn arb_kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        Just(Kind::Count),
        Just(Kind::Money),
        Just(Kind::Percent),
        Just(Kind::Score),
        Just(Kind::Text),
        Just(Kind::Group),
        ("[A-Za-zÀ-ỹ ]{1,8}", "[A-Za-zÀ-ỹ ]{1,8}").prop_map(|(yes, no)| Kind::YesNo { yes, no }),
        prop::collection::vec((0u8..5, "[a-zà-ỹ ]{1,10}"), 1..4)
            .prop_map(|o| Kind::Choice { options: o.into_iter().map(|(value, name)| ChoiceOption { value, name }).collect() }),
        ("[1-7]\\.[0-9]", "[1-7]\\.[0-9]").prop_map(|(numerator, denominator)| Kind::Ratio { numerator, denominator }),
    ]
}

fn arb_indicator() -> impl Strategy<Value = Indicator> {
    (
        "[1-7](\\.[0-9]{1,2}){1,3}",
        "[A-Za-zÀ-ỹ0-9 ,()%\"]{1,40}",
        "[A-Za-zÀ-ỹ%]{0,10}",
        arb_kind(),
        prop::collection::vec(prop_oneof![Just("level".to_string()), Just("field".to_string())], 0..2),
        prop::option::of(prop_oneof![Just(Rollup::Sum), Just(Rollup::Own), Just(Rollup::Max), Just(Rollup::None)]),
        any::<bool>(),
        prop::option::of("[a-z_]{1,12}"),
    )
        .prop_map(|(code, name, unit, kind, splits, rollup, cumulative, source)| Indicator {
            code,
            name,
            unit,
            kind,
            splits,
            applies_to: vec![],
            rollup,
            cumulative,
            hint: None,
            source,
        })
}

fn arb_rule() -> impl Strategy<Value = Rule> {
    (
        "[a-z-]{1,12}",
        "[A-Za-zÀ-ỹ ]{1,20}",
        prop_oneof![Just(Operator::Eq), Just(Operator::Le), Just(Operator::CompulsoryPair)],
        prop_oneof![Just(MissingStrategy::NeverSkip), Just(MissingStrategy::LowerBound)],
        prop_oneof![Just(Severity::Error), Just(Severity::Warning)],
        any::<bool>(),
    )
        .prop_map(|(id, message, operator, missing, severity, per_split)| Rule {
            name: id.clone(),
            id,
            left: "#{3.5.1}".into(),
            operator,
            right: "#{3.5.2} + #{3.5.3[field=ho-tich]}".into(),
            missing,
            severity,
            message,
            per_split,
        })
}

proptest! {
    #[test]
    fn any_catalogue_file_survives_parse_serialise_parse(
        indicators in prop::collection::vec(arb_indicator(), 0..12),
        rules in prop::collection::vec(arb_rule(), 0..4),
        remove in prop::collection::vec("[1-7]\\.[0-9]", 0..3),
    ) {
        let mut file = parse(DEFAULT_CATALOGUE_TOML).unwrap();
        file.indicators = indicators;
        file.rules = rules;
        file.remove = remove;
        let text = to_toml(&file);
        let back = parse(&text).unwrap();
        prop_assert_eq!(&back, &file);
        prop_assert_eq!(to_toml(&back), text);
    }
}

#[test]
fn the_default_catalogue_covers_all_seven_forms_with_at_least_120_figures() {
    let c = default_catalogue();
    assert!(c.value_indicators().count() >= 120, "{}", c.value_indicators().count());
    for form in 1..=7 {
        assert!(c.form_indicators(form).filter(|i| i.holds_value()).count() >= 10, "biểu mẫu {form}");
    }
    // Every ratio's parts are counts or money; every rule parses (checked by `resolve`).
    assert!(c.rules.len() >= 25);
}

/// The default catalogue with `old` replaced by `new` (which must occur).
fn edited(old: &str, new: &str) -> String {
    assert!(DEFAULT_CATALOGUE_TOML.contains(old), "{old}");
    DEFAULT_CATALOGUE_TOML.replacen(old, new, 1)
}

/// The line of the default catalogue where `needle` first occurs.
fn line_of(needle: &str) -> usize {
    DEFAULT_CATALOGUE_TOML[..DEFAULT_CATALOGUE_TOML.find(needle).unwrap()].matches('\n').count() + 1
}

fn problems(text: &str) -> String {
    resolve(parse(text).unwrap(), &overlay::NoParents).unwrap_err().to_string()
}

#[test]
fn a_typo_in_a_field_name_is_refused_with_its_line() {
    let text = edited("source = \"resolved_in_time\"", "sourse = \"resolved_in_time\"");
    let e = parse(&text).unwrap_err().to_string();
    let line = line_of("source = \"resolved_in_time\"");
    assert!(e.contains(&format!("dòng {line}")) && e.contains("trường \"sourse\" không có trong định dạng"), "{e}");
    // In the other tables too: a rule, a dimension, the catalogue's head, the documents.
    for (old, new) in [
        ("severity = \"error\"", "severty = \"error\""),
        ("name = \"Lĩnh vực\"", "nam = \"Lĩnh vực\""),
        ("version = \"2022.1\"", "version = \"2022.1\"\nextend = \"x\""),
        ("per_level = true", "per_levels = true"),
        ("below = \"{unit}", "bellow = \"{unit}"),
        ("watch = [", "wach = ["),
    ] {
        let e = parse(&edited(old, new)).unwrap_err().to_string();
        assert!(e.contains("dòng ") && e.contains("không có trong định dạng"), "{new}: {e}");
    }
}

#[test]
fn a_field_of_another_kind_is_refused_with_its_line() {
    let text = edited("kind = \"count\"", "kind = \"count\"\nnumerator = \"1.1\"");
    let e = parse(&text).unwrap_err().to_string();
    assert!(e.contains("chỉ tiêu 1.1: trường `numerator` không dùng cho loại \"count\""), "{e}");
    assert!(e.contains(&format!("dòng {}:", line_of("[[indicators]]\ncode = \"1.1\""))), "{e}");
    let e = parse(&edited("numerator = \"3.6.4\"", "")).unwrap_err().to_string();
    assert!(e.contains("chỉ tiêu 3.6.6: loại \"ratio\" cần trường `numerator`") && e.contains("dòng "), "{e}");
}

#[test]
fn unknown_sources_are_refused_naming_the_indicator_and_the_known_ones() {
    let c = resolve(parse(&edited("source = \"resolved_in_time\"", "source = \"resolved_ontime\"")).unwrap(), &overlay::NoParents).unwrap();
    let known = ["received_total", "resolved_in_time"];
    let p = c.check_sources(&known);
    assert!(
        p.iter().any(|m| m == "Chỉ tiêu 3.6.4: nguồn số liệu \"resolved_ontime\" không có; các nguồn có: received_total, resolved_in_time"),
        "{p:#?}"
    );
    assert!(p.iter().all(|m| !m.contains("\"received_total\"")), "{p:#?}");
}

#[test]
fn a_placeholder_the_validation_cannot_fill_is_refused_naming_the_rule() {
    let e = problems(&edited("{right_terms} = {right}", "{right_term} = {right}"));
    assert!(e.contains("Quy tắc ho-so-tiep-nhan-theo-kenh, thông báo: chỗ trống {right_term} không điền được"), "{e}");
    let e = problems(&edited("message = \"{where}Tổng số", "message = \"{where Tổng số"));
    assert!(e.contains("Quy tắc ho-so-tiep-nhan-theo-kenh, thông báo: dấu {"), "{e}");
}

#[test]
fn a_value_a_closed_dimension_does_not_declare_is_refused() {
    let e = problems(&edited(
        "right = \"(#{3.6.4} | #{3.6.2} + #{3.6.3}) + #{3.6.5}\"",
        "right = \"#{3.6.4[level=quan]} + #{3.6.5[level=quan]}\"",
    ));
    assert!(
        e.contains("Quy tắc ho-so-da-giai-quyet, vế phải: chiều phân tổ level không có giá trị \"quan\"; các giá trị có: tinh, huyen, xa"),
        "{e}"
    );
    // In a sentence template too; an open dimension (lĩnh vực) accepts values it does not list.
    let e = problems(&edited("{7.7.14[level=huyen]}", "{7.7.14[level=cap-huyen]}"));
    assert!(
        e.contains("Mẫu câu cau-truc-tuyen-cap-huyen, chỗ trống {7.7.14[level=cap-huyen]}: chiều phân tổ level không có giá trị"),
        "{e}"
    );
    let field =
        edited("right = \"(#{3.6.4} | #{3.6.2} + #{3.6.3}) + #{3.6.5}\"", "right = \"#{3.6.4[field=thue]} + #{3.6.5[field=thue]}\"");
    if let Err(e) = resolve(parse(&field).unwrap(), &overlay::NoParents) {
        assert!(!e.to_string().contains("không có giá trị"), "{e}");
    }
}

#[test]
fn sentence_templates_name_only_figures_of_the_catalogue() {
    let e = problems(&edited("{3.6.7} hồ sơ", "{3.6.77} hồ sơ"));
    assert!(e.contains("Mẫu câu cau-ho-so-dang-giai-quyet, chỗ trống {3.6.77}: chỉ tiêu 3.6.77 không có"), "{e}");
    let e = problems(&edited("{1.2:cmp}", "{1.2:so-sanh}"));
    assert!(e.contains("Mẫu câu cau-ke-hoach-cchc: chỗ trống {1.2:so-sanh}"), "{e}");
    let e = problems(&edited("hồ sơ[ ({where})]", "hồ sơ[ ({where})"));
    assert!(e.contains("Mẫu câu cau-ho-so-tiep-nhan: phần tùy chọn"), "{e}");
    let e = problems(&edited("value = \"#{3.6.9}\"", "value = \"#{3.6.99}\""));
    assert!(e.contains("Hạn chế han-che-dang-giai-quyet-qua-han, value: chỉ tiêu 3.6.99 không có"), "{e}");
    let e = problems(&edited("text = \"Vẫn còn {value}", "text = \"Vẫn còn {unit}"));
    assert!(e.contains("Hạn chế han-che-giai-quyet-qua-han, text: chỗ trống {unit} chỉ dùng trong below"), "{e}");
    let e = problems(&edited("watch = [\"1.2\"", "watch = [\"1.2.99\""));
    assert!(e.contains("Danh sách theo dõi (documents.watch): chỉ tiêu 1.2.99 không có"), "{e}");
}

#[test]
fn a_variant_inherits_the_documents_and_replaces_one_sentence_template() {
    let variant = r#"
remove = ["cau-ho-so-dang-giai-quyet", "3.6.17"]

[catalogue]
id = "ht"
version = "2024.1"
name = "Bộ chỉ tiêu tỉnh Hà Tĩnh"
extends = "vn-default@2022.1"

[[documents.sentences]]
id = "cau-ke-hoach-cchc"
section = "I"
text = "Hoàn thành {1.2.2}/{1.2.1} nhiệm vụ."
"#;
    let base = default_catalogue();
    let c = resolve(parse(variant).unwrap(), &CatalogueSource(vec![parse(DEFAULT_CATALOGUE_TOML).unwrap()])).unwrap();
    let ids = |c: &Catalogue| c.documents.sentences.iter().map(|t| t.id.clone()).collect::<Vec<_>>();
    let mut expected = ids(&base);
    expected.retain(|id| id != "cau-ho-so-dang-giai-quyet");
    assert_eq!(ids(&c), expected, "replaced in place, removed, nothing else");
    assert_eq!(c.documents.sentences.iter().find(|t| t.id == "cau-ke-hoach-cchc").unwrap().text, "Hoàn thành {1.2.2}/{1.2.1} nhiệm vụ.");
    assert_eq!(c.documents.weaknesses, base.documents.weaknesses);
    // The removed indicator leaves the inherited watch-list.
    assert_eq!(c.documents.watched(), ["1.2", "1.5.5", "3.6.6", "3.5.7"]);
    // A variant's own list replaces the parent's.
    let text = variant.replacen("[[documents.sentences]]", "[documents]\nwatch = [\"3.6.6\"]\n\n[[documents.sentences]]", 1);
    let c = resolve(parse(&text).unwrap(), &CatalogueSource(vec![parse(DEFAULT_CATALOGUE_TOML).unwrap()])).unwrap();
    assert_eq!(c.documents.watched(), ["3.6.6"]);
}

#[test]
fn new_check_fields_are_read_strictly_with_their_line() {
    for (old, new, field) in [
        ("change_floor = 20\n", "change_flor = 20\n", "change_flor"),
        ("periods = [\"year\"]\n", "periods = [\"year\"]\nrefused = true\n", "refused"),
    ] {
        let text = edited(old, new);
        let e = parse(&text).unwrap_err().to_string();
        let line = text[..text.find(field).unwrap()].matches('\n').count() + 1;
        assert!(e.contains(&format!("dòng {line}")) && e.contains(field), "{e}");
    }
    // A period kind that does not exist, and a severity that is not one.
    assert!(parse(&edited("periods = [\"year\"]", "periods = [\"half\", \"nam\"]")).is_err());
    assert!(parse(&edited("\"auto:ratio-without-counts\" = \"off\"", "\"auto:ratio-without-counts\" = \"nhe\"")).is_err());
}

#[test]
fn new_check_fields_are_checked_against_the_catalogue() {
    let e = problems(&edited("\"auto:ratio-without-counts\" = \"off\"", "\"auto:ratio-without-count\" = \"off\""));
    assert!(
        e.contains("Mức độ (severity): \"auto:ratio-without-count\" không phải là kiểm tra tự động; các kiểm tra có: auto:conflict"),
        "{e}"
    );
    let e = problems(&edited("indicators = [\"1.1\", \"1.2.1\"", "indicators = [\"1.99\", \"1.3\""));
    assert!(e.contains("Chỉ tiêu bắt buộc bat-buoc-chi-dao-va-thu-tuc: chỉ tiêu 1.99 không có"), "{e}");
    assert!(e.contains("Chỉ tiêu bắt buộc bat-buoc-chi-dao-va-thu-tuc: 1.3 là dòng tiêu đề, không có số liệu"), "{e}");
    let e = problems(&edited("unit_kinds = [\"huyen\"]\nmax = 30", "unit_kinds = [\"quan\"]\nmin = 40\nmax = 30"));
    assert!(e.contains("Giới hạn van-ban-chi-dao-cap-huyen: loại đơn vị \"quan\" không hợp lệ"), "{e}");
    assert!(e.contains("Giới hạn van-ban-chi-dao-cap-huyen: min lớn hơn max"), "{e}");
    let e = problems(&edited("change = 5\nchange_floor = 100", "change = 0.5\nchange_floor = 100"));
    assert!(e.contains("Giới hạn ho-so-tiep-nhan: change là hệ số lớn hơn 1"), "{e}");
    let e = problems(&edited("indicator = \"3.5.1\"", "indicator = \"1.4.5\""));
    assert!(e.contains("Giới hạn ho-so-tiep-nhan: chỉ tiêu 1.4.5 không phải là số"), "{e}");
    let e = problems(&edited("id = \"ho-so-tiep-nhan\"", "id = \"van-ban-chi-dao-cap-xa\""));
    assert!(e.contains("Giới hạn van-ban-chi-dao-cap-xa: mã bị trùng"), "{e}");
    let e = problems(&edited("id = \"ho-so-da-giai-quyet\"", "id = \"auto:split-sum\""));
    assert!(e.contains("Quy tắc auto:split-sum: mã bắt đầu bằng \"auto:\" dành cho các kiểm tra tự động"), "{e}");
    let e = problems(&edited("id = \"ho-so-tiep-nhan\"", "id = \"ho-so-da-giai-quyet\""));
    assert!(e.contains("Giới hạn ho-so-da-giai-quyet: mã trùng với một chỉ tiêu hoặc quy tắc"), "{e}");
    // The parts strategies need a sum on the right.
    let e = problems(&edited("missing = \"parts-as-zero\"", "missing = \"parts-as-zero\"\nper_split = false").replacen(
        "right = \"(#{3.6.1} | (#{3.6.4} | #{3.6.2} + #{3.6.3}) + #{3.6.5})",
        "right = \"2 * (#{3.6.1} | (#{3.6.4} | #{3.6.2} + #{3.6.3}) + #{3.6.5})",
        1,
    ));
    assert!(e.contains("Quy tắc ho-so-tiep-nhan-theo-ket-qua: chiến lược parts-as-zero chỉ dùng cho"), "{e}");
}

#[test]
fn a_variant_overrides_severities_one_by_one_and_replaces_or_removes_limits() {
    let variant = r#"
remove = ["van-ban-chi-dao-cap-huyen"]

[catalogue]
id = "ht"
version = "2024.1"
name = "Bộ chỉ tiêu tỉnh Hà Tĩnh"
extends = "vn-default@2022.1"

[severity]
"auto:stated-ratio" = "warning"

[[limits]]
id = "ho-so-tiep-nhan"
indicator = "3.5.1"
change = 3
"#;
    let parent = parse(DEFAULT_CATALOGUE_TOML).unwrap();
    let c = resolve(parse(variant).unwrap(), &CatalogueSource(vec![parent])).unwrap();
    assert_eq!(c.severity_of(AutoCheck::StatedRatio), Some(Severity::Warning));
    assert_eq!(c.severity_of(AutoCheck::RatioWithoutCounts), None, "the parent's entry is kept");
    assert_eq!(c.severity_of(AutoCheck::SplitSum), Some(Severity::Error));
    assert!(c.limits.iter().all(|l| l.id != "van-ban-chi-dao-cap-huyen"));
    let l = c.limits.iter().find(|l| l.id == "ho-so-tiep-nhan").unwrap();
    assert_eq!((l.change, l.peers), (Some(3.0), None));
    assert_eq!(c.required.len(), 1);
}

/// Runs `f` on a thread with a 1 MB stack (half a server thread's): recursion as deep as the
/// hostile text nests would overflow it and abort the test.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(1024 * 1024).spawn(f).unwrap().join().unwrap()
}

#[test]
fn a_rule_expression_nested_too_deep_or_too_long_is_refused_naming_the_rule_and_the_limit() {
    let rule = "right = \"(#{3.6.4} | #{3.6.2} + #{3.6.3}) + #{3.6.5}\"";
    for (n, limit) in [(1_990, "lồng sâu quá 64 tầng"), (3_000, "vượt giới hạn 4.000 ký tự"), (100_000, "vượt giới hạn 4.000 ký tự")]
    {
        let text = edited(rule, &format!("right = \"{}#{{3.6.4}}{}\"", "(".repeat(n), ")".repeat(n)));
        let e = on_small_stack(move || problems(&text));
        assert!(e.contains("Quy tắc ho-so-da-giai-quyet, vế phải: Biểu thức \"((((("), "{e}");
        assert!(e.contains(limit), "{e}");
        assert!(e.len() < 2_000, "the message quotes the expression's beginning only: {} bytes", e.len());
    }
}

#[test]
fn a_catalogue_file_nested_deeply_is_refused_in_vietnamese_without_deep_recursion() {
    let n = 100_000;
    for text in [
        format!("a = {}1{}", "[".repeat(n), "]".repeat(n)),
        format!("a = {}1{}", "{ b = ".repeat(n), " }".repeat(n)),
        format!("{} = 1", vec!["a"; n].join(".")),
        format!("[{}]\nb = 1", vec!["a"; n].join(".")),
    ] {
        let start = text[..20].to_string();
        let e = on_small_stack(move || parse(&text)).unwrap_err().to_string();
        assert!(e.starts_with("Tệp bộ chỉ tiêu sai cú pháp: ") && e.ends_with("dữ liệu lồng nhau quá sâu"), "{start}: {e}");
    }
}
