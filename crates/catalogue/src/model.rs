//! The catalogue's data model, as read from TOML.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::checks::{AutoCheck, Limit, Required, Severities};

/// One catalogue file as written. A file may extend another (`extends`); [`crate::resolve`]
/// turns it into a complete [`Catalogue`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueFile {
    pub catalogue: CatalogueMeta,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dimensions: Vec<Dimension>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forms: Vec<Form>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<Indicator>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<Rule>,
    /// What the report documents write from the figures: sentence templates, the watch-list and
    /// the weaknesses of the draft assessment (see [`Documents`]).
    #[serde(default, skip_serializing_if = "Documents::is_empty")]
    pub documents: Documents,
    /// The severity of automatic checks (`"auto:stated-ratio" = "warning"`); a variant's entries
    /// override its parent's one by one.
    #[serde(default, skip_serializing_if = "Severities::is_empty")]
    pub severity: Severities,
    /// Sets of indicators a report must state, per unit kind and period kind.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required: Vec<Required>,
    /// Plausible ranges and changes of figures, and the peers' outlier threshold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub limits: Vec<Limit>,
    /// Codes of indicators (or ids of rules, sentence templates, weaknesses) of the parent
    /// catalogue that this one drops.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<String>,
}

/// Identity of a catalogue: `id@version`, e.g. `vn-default@2022.1`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueMeta {
    pub id: String,
    pub version: String,
    /// Vietnamese title, e.g. "Bộ chỉ tiêu thống kê CCHC định kỳ".
    pub name: String,
    /// The province this variant belongs to (unit code), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
    /// `id@version` of the catalogue this one extends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extends: Option<String>,
    /// First day from which reports should use this version (yyyy-mm-dd).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<String>,
}

impl CatalogueMeta {
    pub fn reference(&self) -> String {
        format!("{}@{}", self.id, self.version)
    }
}

/// A split dimension (chiều phân tổ): `level` (cấp), `channel` (kênh tiếp nhận), `field` (lĩnh vực).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    pub id: String,
    /// Vietnamese name: "Cấp", "Lĩnh vực".
    pub name: String,
    pub values: Vec<DimensionValue>,
    /// When true, values not listed are accepted (new lĩnh vực appear every year).
    #[serde(default, skip_serializing_if = "is_false")]
    pub open: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DimensionValue {
    pub id: String,
    pub name: String,
}

/// A form (biểu mẫu) of the statistical appendix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Form {
    pub number: u8,
    /// Vietnamese title: "Công tác chỉ đạo điều hành CCHC".
    pub name: String,
    /// How the province numbers the form in its own documents ("Biểu số 02/CCHC"), when it is
    /// not "Biểu mẫu N": a variant relabels its forms without renumbering the indicators, whose
    /// codes are their meanings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

impl Form {
    /// "Biểu mẫu 3", or the form's own label.
    pub fn title(&self) -> String {
        self.label.clone().unwrap_or_else(|| format!("Biểu mẫu {}", self.number))
    }
}

/// One indicator (chỉ tiêu thống kê).
///
/// Read through [`RawIndicator`], which refuses unknown fields (serde's `deny_unknown_fields`
/// does not work with the flattened kind) and fields of another kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawIndicator")]
pub struct Indicator {
    /// Code unique in the catalogue; its first segment is the form number: "3.5.1".
    pub code: String,
    /// Vietnamese name as printed in the appendix.
    pub name: String,
    /// Unit of measure (đơn vị tính): "Văn bản", "Hồ sơ", "%", "Triệu đồng", …; empty for groups.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
    #[serde(flatten)]
    pub kind: Kind,
    /// Split dimensions (ids of [`Dimension`]s) by which the figure may also be given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub splits: Vec<String>,
    /// Unit kinds (slugs of `cchc_units::UnitKind`) that report it; empty means all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applies_to: Vec<String>,
    /// How a parent's figure is compiled from its children's; defaults by kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollup: Option<Rollup>,
    /// Whether the figure is cumulative since the start of the year (lũy kế).
    #[serde(default, skip_serializing_if = "is_false")]
    pub cumulative: bool,
    /// Guidance shown to the person entering data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Name of the figure the dossier ledger computes for this indicator (see cchc-dossiers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// An indicator as written: every key of every kind, flat, so that an unknown key (a typo such
/// as `sourse`) is refused; [`Indicator`] is made from it, refusing keys of another kind.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    code: String,
    name: String,
    #[serde(default)]
    unit: String,
    kind: KindTag,
    numerator: Option<String>,
    denominator: Option<String>,
    yes: Option<String>,
    no: Option<String>,
    options: Option<Vec<ChoiceOption>>,
    #[serde(default)]
    splits: Vec<String>,
    #[serde(default)]
    applies_to: Vec<String>,
    rollup: Option<Rollup>,
    #[serde(default)]
    cumulative: bool,
    hint: Option<String>,
    source: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum KindTag {
    Group,
    Count,
    Money,
    Ratio,
    Percent,
    Score,
    YesNo,
    Choice,
    Text,
}

impl KindTag {
    fn slug(self) -> &'static str {
        match self {
            KindTag::Group => "group",
            KindTag::Count => "count",
            KindTag::Money => "money",
            KindTag::Ratio => "ratio",
            KindTag::Percent => "percent",
            KindTag::Score => "score",
            KindTag::YesNo => "yes-no",
            KindTag::Choice => "choice",
            KindTag::Text => "text",
        }
    }
}

impl TryFrom<RawIndicator> for Indicator {
    type Error = String;

    fn try_from(r: RawIndicator) -> Result<Indicator, String> {
        let at = format!("chỉ tiêu {}", r.code);
        let tag = r.kind;
        let required =
            |field: &str, value: Option<String>| value.ok_or_else(|| format!("{at}: loại \"{}\" cần trường `{field}`", tag.slug()));
        // Keys that belong to another kind than the one declared.
        let extra: Vec<&str> = [
            ("numerator", r.numerator.is_some() && tag != KindTag::Ratio),
            ("denominator", r.denominator.is_some() && tag != KindTag::Ratio),
            ("yes", r.yes.is_some() && tag != KindTag::YesNo),
            ("no", r.no.is_some() && tag != KindTag::YesNo),
            ("options", r.options.is_some() && tag != KindTag::Choice),
        ]
        .into_iter()
        .filter_map(|(field, wrong)| wrong.then_some(field))
        .collect();
        if let Some(field) = extra.first() {
            return Err(format!("{at}: trường `{field}` không dùng cho loại \"{}\"", tag.slug()));
        }
        let kind = match tag {
            KindTag::Group => Kind::Group,
            KindTag::Count => Kind::Count,
            KindTag::Money => Kind::Money,
            KindTag::Ratio => {
                Kind::Ratio { numerator: required("numerator", r.numerator)?, denominator: required("denominator", r.denominator)? }
            }
            KindTag::Percent => Kind::Percent,
            KindTag::Score => Kind::Score,
            KindTag::YesNo => Kind::YesNo { yes: r.yes.unwrap_or_else(yes_label), no: r.no.unwrap_or_else(no_label) },
            KindTag::Choice => {
                Kind::Choice { options: r.options.ok_or_else(|| format!("{at}: loại \"choice\" cần trường `options`"))? }
            }
            KindTag::Text => Kind::Text,
        };
        Ok(Indicator {
            code: r.code,
            name: r.name,
            unit: r.unit,
            kind,
            splits: r.splits,
            applies_to: r.applies_to,
            rollup: r.rollup,
            cumulative: r.cumulative,
            hint: r.hint,
            source: r.source,
        })
    }
}

/// The kind of an indicator, with what that kind needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Kind {
    /// A heading row of the form; holds no figure.
    Group,
    /// A non-negative whole number.
    Count,
    /// An amount of money in the indicator's unit (usually triệu đồng); may have decimals.
    Money,
    /// A percentage that is always `numerator / denominator × 100`, computed, never typed.
    Ratio { numerator: String, denominator: String },
    /// A percentage typed as such, when the report gives no parts (e.g. "Tỷ lệ giải ngân 15%").
    Percent,
    /// A score in points (điểm), 0 to 100 with at most two decimals: the PAR index (Chỉ số CCHC)
    /// of a unit, "85,52 điểm". A unit's own; never summed across units.
    Score,
    /// Yes/no (Có = 1, Không = 0), with the labels the form prints.
    YesNo {
        #[serde(default = "yes_label")]
        yes: String,
        #[serde(default = "no_label")]
        no: String,
    },
    /// One of listed options (Trực tuyến = 0, Phát phiếu = 1, Kết hợp = 2).
    Choice { options: Vec<ChoiceOption> },
    /// Free text (ghi chú, a list of documents).
    Text,
}

fn yes_label() -> String {
    "Có".into()
}
fn no_label() -> String {
    "Không".into()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    pub value: u8,
    pub name: String,
}

/// Roll-up semantics: how a parent's figure is made from its own and its children's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rollup {
    /// Add the parent's own figure and all children's (counts, money).
    Sum,
    /// Recompute from the rolled-up numerator and denominator (ratios); never average.
    Recompute,
    /// Count the units answering yes: "n/m đơn vị" (yes/no).
    CountYes,
    /// Count the units per option (choices).
    CountOptions,
    /// Keep only the parent's own figure (e.g. the number of procedures the district applies).
    Own,
    /// The largest figure among parent and children.
    Max,
    /// Collect the texts, each prefixed by its unit's name.
    Concat,
    /// Not compiled.
    None,
}

impl Indicator {
    /// The roll-up rule in force: the declared one or the default for the kind.
    pub fn rollup_rule(&self) -> Rollup {
        self.rollup.unwrap_or(match &self.kind {
            Kind::Group => Rollup::None,
            Kind::Count | Kind::Money => Rollup::Sum,
            Kind::Ratio { .. } => Rollup::Recompute,
            Kind::Percent => Rollup::None,
            Kind::Score => Rollup::Own,
            Kind::YesNo { .. } => Rollup::CountYes,
            Kind::Choice { .. } => Rollup::CountOptions,
            Kind::Text => Rollup::Concat,
        })
    }

    /// The form number, from the first segment of the code.
    pub fn form(&self) -> u8 {
        self.code.split('.').next().and_then(|s| s.parse().ok()).unwrap_or(0)
    }

    /// Whether a unit of this kind reports the indicator.
    pub fn applies_to_kind(&self, kind_slug: &str) -> bool {
        self.applies_to.is_empty() || self.applies_to.iter().any(|k| k == kind_slug)
    }

    pub fn holds_value(&self) -> bool {
        !matches!(self.kind, Kind::Group)
    }

    /// The Vietnamese label of the kind's unit of measure for yes/no and choices, as the forms
    /// print it: "Có = 1; Không = 0".
    pub fn unit_label(&self) -> String {
        match &self.kind {
            Kind::YesNo { yes, no } => format!("{yes} = 1; {no} = 0"),
            Kind::Choice { options } => options.iter().map(|o| format!("{} = {}", o.name, o.value)).collect::<Vec<_>>().join("; "),
            _ => self.unit.clone(),
        }
    }
}

/// A validation rule, shaped like DHIS2's: `left operator right`, with a missing-value strategy,
/// a severity and a Vietnamese message template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    /// Short Vietnamese description shown in lists of rules.
    pub name: String,
    /// Expression over indicators: `#{3.5.1}`, `#{3.5.1[field=ho-tich]}`, numbers, `+ - * /`, `( )`.
    pub left: String,
    pub operator: Operator,
    pub right: String,
    #[serde(default)]
    pub missing: MissingStrategy,
    #[serde(default)]
    pub severity: Severity,
    /// Vietnamese message. Placeholders: `{left}`, `{right}` (values), `{left_terms}`,
    /// `{right_terms}` (the expression with its values, "4.738 + 49.120"), `{where}` (the split,
    /// "lĩnh vực Hộ tịch"; empty for totals).
    pub message: String,
    /// Evaluate the rule also at every split shared by the indicators it names (default true).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub per_split: bool,
}

fn yes() -> bool {
    true
}
fn is_true(b: &bool) -> bool {
    *b
}
pub(crate) fn is_false(b: &bool) -> bool {
    !*b
}

/// Comparison of a rule (toán tử).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Operator {
    #[serde(rename = "==")]
    Eq,
    #[serde(rename = "!=")]
    Ne,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = ">=")]
    Ge,
    /// Both sides are given, or neither (cặp bắt buộc).
    #[serde(rename = "compulsory_pair")]
    CompulsoryPair,
    /// Never both sides given (cặp loại trừ).
    #[serde(rename = "exclusive_pair")]
    ExclusivePair,
}

impl Operator {
    pub fn symbol(self) -> &'static str {
        match self {
            Operator::Eq => "=",
            Operator::Ne => "≠",
            Operator::Lt => "<",
            Operator::Le => "≤",
            Operator::Gt => ">",
            Operator::Ge => "≥",
            Operator::CompulsoryPair => "cặp bắt buộc",
            Operator::ExclusivePair => "cặp loại trừ",
        }
    }
}

/// What to do when figures named by a rule are not reported (DHIS2's missing-value strategy,
/// plus `lower-bound`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MissingStrategy {
    /// Skip when any figure is missing.
    SkipIfAnyMissing,
    /// Skip only when every figure is missing; otherwise missing counts as 0.
    #[default]
    SkipIfAllMissing,
    /// Never skip; missing counts as 0.
    NeverSkip,
    /// For `total == part + part + …`: when parts are missing, check only that the total is not
    /// below the parts that are given (counts are never negative). Skips when the left is missing.
    LowerBound,
    /// For `total == part + part + …`: when the total and at least one part are stated, a part
    /// not reported counts as 0 and the comparison is checked in full (a report that states its
    /// parts states all that are not zero). Skips when the left is missing or no part is given.
    PartsAsZero,
}

/// How serious a finding is: lỗi blocks submission, cảnh báo needs a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Cảnh báo.
    Warning,
    /// Lỗi.
    #[default]
    Error,
}

impl Severity {
    pub fn name_vi(self) -> &'static str {
        match self {
            Severity::Error => "lỗi",
            Severity::Warning => "cảnh báo",
        }
    }
}

/// The placeholders a rule's `message` may use; the validation fills every one of them.
pub const RULE_MESSAGE_PLACEHOLDERS: [&str; 5] = ["where", "left", "right", "left_terms", "right_terms"];

/// What the report documents (cchc-documents) write from the figures, kept with the catalogue
/// version so that a province changes its phrasing without a rebuild. A variant inherits its
/// parent's; sentence templates and weaknesses with an id of the parent replace it in place, new
/// ones are appended, `remove` drops; a `watch` list replaces the parent's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Documents {
    /// Indicators whose fall against the same period of last year the draft of "III. Đánh giá
    /// chung" names as a weakness. `None` in a variant: the parent's list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watch: Option<Vec<String>>,
    /// Sentences generated from the figures, per report section.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sentences: Vec<SentenceTemplate>,
    /// Weaknesses the draft names when the figures show them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weaknesses: Vec<Weakness>,
}

impl Documents {
    pub fn is_empty(&self) -> bool {
        self == &Documents::default()
    }

    /// The watch-list in force (empty when none is given).
    pub fn watched(&self) -> &[String] {
        self.watch.as_deref().unwrap_or_default()
    }
}

/// A sentence of the report text: `{CODE}`, `{CODE[dim=value]}` figures, `{CODE:cmp}`
/// comparisons, `{where}` the level, and optional parts in `[ … ]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SentenceTemplate {
    /// Unique among the sentence templates; a variant replaces a template by giving its id.
    pub id: String,
    /// The report section it belongs to: "I", "II.2", …
    pub section: String,
    /// Write the sentence for the total and again for each level (cấp) the report splits by.
    #[serde(default, skip_serializing_if = "is_false")]
    pub per_level: bool,
    pub text: String,
}

/// A weakness of the draft of "III. Đánh giá chung", written when `value` is above zero.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weakness {
    pub id: String,
    /// An expression over indicators, like a rule's side: `#{1.2.1} - #{1.2.2}`. A figure not
    /// reported counts as 0; a total not stated is the sum of its levels.
    pub value: String,
    /// The sentence for the report's own figures: `{value}`, `{CODE}` figures.
    pub text: String,
    /// The sentence written for each subordinate unit whose stored report shows the weakness:
    /// `{unit}` (its name), `{value}`, `{CODE}`. None: only the unit's own figures are read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub below: Option<String>,
}

/// A resolved, checked catalogue: the parent chain applied, everything cross-referenced.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalogue {
    pub meta: CatalogueMeta,
    pub dimensions: Vec<Dimension>,
    pub forms: Vec<Form>,
    pub indicators: Vec<Indicator>,
    pub rules: Vec<Rule>,
    pub documents: Documents,
    pub severity: Severities,
    pub required: Vec<Required>,
    pub limits: Vec<Limit>,
    index: BTreeMap<String, usize>,
}

/// What a catalogue holds besides its forms, dimensions, indicators and rules.
pub(crate) struct Extras {
    pub documents: Documents,
    pub severity: Severities,
    pub required: Vec<Required>,
    pub limits: Vec<Limit>,
}

impl Catalogue {
    pub(crate) fn assemble(
        meta: CatalogueMeta,
        dimensions: Vec<Dimension>,
        forms: Vec<Form>,
        indicators: Vec<Indicator>,
        rules: Vec<Rule>,
        extras: Extras,
    ) -> Self {
        let index = indicators.iter().enumerate().map(|(i, ind)| (ind.code.clone(), i)).collect();
        let Extras { documents, severity, required, limits } = extras;
        Catalogue { meta, dimensions, forms, indicators, rules, documents, severity, required, limits, index }
    }

    /// The severity of an automatic check: the catalogue's `[severity]`, else its default;
    /// `None` when the catalogue turns the check off.
    pub fn severity_of(&self, check: AutoCheck) -> Option<Severity> {
        self.severity.get(check.id()).map_or(Some(check.default_severity()), |s| s.severity())
    }

    /// Checks every indicator's `source` against the names the record keepers provide (the
    /// dossier ledger's figures, `cchc_dossiers::sources::SOURCES`): the caller passes them, so
    /// that this crate knows no record keeper. Every problem, in Vietnamese (empty when clean).
    pub fn check_sources(&self, known: &[&str]) -> Vec<String> {
        self.indicators
            .iter()
            .filter_map(|ind| Some((ind, ind.source.as_deref()?)))
            .filter(|(_, source)| !known.contains(source))
            .map(|(ind, source)| format!("Chỉ tiêu {}: nguồn số liệu \"{source}\" không có; các nguồn có: {}", ind.code, known.join(", ")))
            .collect()
    }

    pub fn indicator(&self, code: &str) -> Option<&Indicator> {
        self.index.get(code).map(|&i| &self.indicators[i])
    }

    pub fn dimension(&self, id: &str) -> Option<&Dimension> {
        self.dimensions.iter().find(|d| d.id == id)
    }

    /// Vietnamese name of a dimension value, falling back to the id for open dimensions.
    pub fn dimension_value_name<'a>(&'a self, dim: &str, value: &'a str) -> &'a str {
        self.dimension(dim).and_then(|d| d.values.iter().find(|v| v.id == value)).map_or(value, |v| v.name.as_str())
    }

    /// The indicators of a form, in catalogue order.
    pub fn form_indicators(&self, form: u8) -> impl Iterator<Item = &Indicator> {
        self.indicators.iter().filter(move |i| i.form() == form)
    }

    /// Indicators that hold a figure (everything but group headings).
    pub fn value_indicators(&self) -> impl Iterator<Item = &Indicator> {
        self.indicators.iter().filter(|i| i.holds_value())
    }

    /// "Bộ chỉ tiêu vn-default@2022.1 hợp lệ: 7 biểu mẫu, 245 chỉ tiêu có số liệu, 29 quy tắc
    /// kiểm tra." — what `cchc catalogue check` and the administrators' editor say of a usable one.
    pub fn summary_vi(&self) -> String {
        let n = |k: usize| cchc_format::int(k as i64);
        format!(
            "Bộ chỉ tiêu {} hợp lệ: {} biểu mẫu, {} chỉ tiêu có số liệu, {} quy tắc kiểm tra.",
            self.meta.reference(),
            n(self.forms.len()),
            n(self.value_indicators().count()),
            n(self.rules.len())
        )
    }

    /// Back to a self-contained file (no `extends`), e.g. to export a province's variant.
    pub fn to_file(&self) -> CatalogueFile {
        CatalogueFile {
            catalogue: CatalogueMeta { extends: None, ..self.meta.clone() },
            dimensions: self.dimensions.clone(),
            forms: self.forms.clone(),
            indicators: self.indicators.clone(),
            rules: self.rules.clone(),
            documents: self.documents.clone(),
            severity: self.severity.clone(),
            required: self.required.clone(),
            limits: self.limits.clone(),
            remove: Vec::new(),
        }
    }
}
