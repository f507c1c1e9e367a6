//! A unit's report for a period (báo cáo định kỳ của một đơn vị).
//!
//! A report holds figures for a unit × period × catalogue version. Each figure is an [`Entry`]:
//! an indicator code, an optional split (cấp, lĩnh vực, …), a typed [`Value`] or nothing (not
//! reported is different from 0), a qualifier for claims like "trên 80%", a note (ghi chú) and
//! the place it is stated. The same figure may be stated twice (text and appendix); the
//! validation crate reports the conflict when the two differ.
//!
//! [`file`] reads and writes the JSON file format (`docs/report-format.md`), checking every entry
//! against the catalogue so that bad input names its row, field and rule.

pub mod file;
mod key;
mod place;
mod value;
pub mod workflow;

use std::collections::{BTreeMap, HashMap};

use cchc_periods::{DateRange, Period};
use cchc_units::UnitKind;
use serde::{Deserialize, Serialize};

pub use key::{Key, Split};
pub use place::{PLACE_RULE, Place, invalid_keys};
pub use value::{Qualifier, Value};

/// One statement of a figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub key: Key,
    /// `None`: not reported (only a note, or an empty cell).
    pub value: Option<Value>,
    pub qualifier: Option<Qualifier>,
    /// Ghi chú.
    pub note: Option<String>,
    /// Where the figure is stated: "II.5", "Phụ lục, Biểu mẫu 3", "Sổ theo dõi hồ sơ".
    pub source: Option<String>,
}

impl Entry {
    pub fn new(key: Key, value: Value) -> Entry {
        Entry { key, value: Some(value), qualifier: None, note: None, source: None }
    }

    /// Whether the figure was compiled from the units below (see [`COMPILED_SOURCE`]).
    pub fn is_compiled(&self) -> bool {
        self.source.as_deref() == Some(COMPILED_SOURCE)
    }
}

/// Which unit a report is about, as named in the report (the unit need not be in the store).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitRef {
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Box<UnitRef>>,
}

/// Document metadata for the DOCX (Decree 30/2020 layout): number, place, date, signer, recipients.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DocumentMeta {
    /// "303/BC-UBND".
    pub number: Option<String>,
    /// Địa danh: "Mỹ Tú".
    pub place: Option<String>,
    pub date: Option<chrono::NaiveDate>,
    /// The title after "BÁO CÁO".
    pub title: Option<String>,
    /// Kính gửi.
    pub addressee: Option<String>,
    /// Tên cơ quan ban hành: "ỦY BAN NHÂN DÂN HUYỆN MỸ TÚ".
    pub issuer: Option<String>,
    /// Tên cơ quan chủ quản, printed above the issuer when there is one.
    pub parent_body: Option<String>,
    /// "TM. ỦY BAN NHÂN DÂN".
    pub sign_for: Option<String>,
    /// "KT. CHỦ TỊCH" when a deputy signs.
    pub deputy: Option<String>,
    /// "CHỦ TỊCH", "PHÓ CHỦ TỊCH".
    pub signer_title: Option<String>,
    pub signer: Option<String>,
    /// Nơi nhận, each line as printed ("- Lưu: VT, NV." is the last one).
    pub recipients: Vec<String>,
    /// The ratios (keys: "1.2", "3.6.6[level=xa]") whose stated value the office chose to print
    /// where it differs from the one computed from its parts; every other ratio prints computed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub keep_stated: Vec<String>,
}

impl DocumentMeta {
    /// Whether the office chose to print the stated value of this ratio.
    pub fn keeps_stated(&self, key: &Key) -> bool {
        let key = key.to_string();
        self.keep_stated.iter().any(|k| k.trim() == key)
    }
}

/// A unit's report for one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitReport {
    /// `id@version` of the catalogue the figures follow.
    pub catalogue: String,
    pub unit: UnitRef,
    pub period: Period,
    /// The data window the report states, when it states one.
    pub window: Option<DateRange>,
    pub document: DocumentMeta,
    pub entries: Vec<Entry>,
    /// The officials' own text per section: "I", "II.1" … "II.6", "III", "IV", "V".
    pub narrative: BTreeMap<String, String>,
    /// For a compiled report (báo cáo tổng hợp), what it was compiled from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compilation: Option<Compilation>,
}

/// The `source` of a figure compiled from the reports of the units below (read-only on the
/// parent's forms; compiling again replaces it).
pub const COMPILED_SOURCE: &str = "Tổng hợp từ báo cáo của các đơn vị";

/// What a parent's report was compiled from (tổng hợp báo cáo): when and by whom, the reports of
/// the units below that were counted (with their versions, to tell when it is out of date), the
/// units expected that had not reported, and the parent's own statements of the figures the
/// compiled ones replaced, kept so that compiling again starts from them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Compilation {
    pub at: chrono::NaiveDateTime,
    pub by: String,
    pub sources: Vec<CompiledSource>,
    pub missing: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub own: Vec<Entry>,
}

/// One report counted in a compilation: the unit and the version of its report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompiledSource {
    pub unit: String,
    pub version: i64,
}

impl UnitReport {
    pub fn new(catalogue: &str, unit: UnitRef, period: Period) -> UnitReport {
        UnitReport {
            catalogue: catalogue.to_string(),
            unit,
            period,
            window: None,
            document: DocumentMeta::default(),
            entries: Vec::new(),
            narrative: BTreeMap::new(),
            compilation: None,
        }
    }

    /// The figure in force for each key: the first exact statement that has a value. Claims
    /// with a qualifier ("trên 80%") are not figures; validation checks them separately.
    pub fn values(&self) -> HashMap<&Key, &Value> {
        let mut out = HashMap::with_capacity(self.entries.len());
        for e in self.entries.iter().filter(|e| e.qualifier.is_none()) {
            if let Some(v) = &e.value {
                out.entry(&e.key).or_insert(v);
            }
        }
        out
    }

    /// Replaces every entry of the indicators `filled` holds (totals and splits) with `filled`:
    /// how figures derived from records take the place of what was stated before.
    pub fn replace_indicators(&mut self, filled: Vec<Entry>) {
        let codes: std::collections::HashSet<String> = filled.iter().map(|e| e.key.code.clone()).collect();
        self.entries.retain(|e| !codes.contains(&e.key.code));
        self.entries.extend(filled);
    }

    /// The figure in force for one key (see [`Self::values`]).
    pub fn value(&self, key: &Key) -> Option<&Value> {
        self.entries.iter().filter(|e| e.qualifier.is_none() && &e.key == key).find_map(|e| e.value.as_ref())
    }

    /// Sets a figure, replacing every earlier statement of the same key.
    pub fn set(&mut self, key: Key, value: Option<Value>) {
        self.entries.retain(|e| e.key != key);
        self.entries.push(Entry { key, value, qualifier: None, note: None, source: None });
    }
}

impl UnitReport {
    /// The report as its unit stated it, without what was compiled from the units below: the
    /// compiled figures taken out and the own statements they had replaced put back.
    pub fn own_part(&self) -> UnitReport {
        let mut own = self.clone();
        own.entries.retain(|e| !e.is_compiled());
        if let Some(c) = own.compilation.take() {
            own.entries.extend(c.own);
        }
        own
    }

    /// The value of a ratio indicator for a split, computed from the report's own numerator and
    /// denominator (half-up to two decimals), never read from a stated percentage.
    pub fn computed_ratio(&self, indicator: &cchc_catalogue::Indicator, split: &Split) -> Option<rust_decimal::Decimal> {
        let cchc_catalogue::Kind::Ratio { numerator, denominator } = &indicator.kind else { return None };
        let count = |code: &str| {
            let key = Key { code: code.to_string(), split: split.clone() };
            self.value(&key).and_then(Value::number).and_then(|d| i64::try_from(d).ok())
        };
        cchc_format::ratio_percent(count(numerator)?, count(denominator)?)
    }
}

/// One section of a report's narrative (phần của báo cáo): its id (the key of
/// [`UnitReport::narrative`]), its title on the report page, and its heading in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Section {
    pub id: &'static str,
    /// As the report page lists it: "II.1. Cải cách thể chế".
    pub title: &'static str,
    /// As the document prints it under its part (Decree 30's numbering): "1. Cải cách thể chế".
    pub heading: &'static str,
    /// The heading of the part this section opens, printed before it ("II. KẾT QUẢ …").
    pub opens_part: Option<&'static str>,
}

/// The sections of a CCHC report, in order: the one list the pages, the API and the documents
/// use.
pub const SECTIONS: [Section; 10] = [
    Section {
        id: "I",
        title: "I. Công tác chỉ đạo, điều hành",
        heading: "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH",
        opens_part: None,
    },
    Section {
        id: "II.1",
        title: "II.1. Cải cách thể chế",
        heading: "1. Cải cách thể chế",
        opens_part: Some("II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH"),
    },
    Section {
        id: "II.2", title: "II.2. Cải cách thủ tục hành chính", heading: "2. Cải cách thủ tục hành chính", opens_part: None
    },
    Section {
        id: "II.3",
        title: "II.3. Cải cách tổ chức bộ máy",
        heading: "3. Cải cách tổ chức bộ máy hành chính nhà nước",
        opens_part: None,
    },
    Section {
        id: "II.4", title: "II.4. Cải cách chế độ công vụ", heading: "4. Cải cách chế độ công vụ", opens_part: None
    },
    Section { id: "II.5", title: "II.5. Cải cách tài chính công", heading: "5. Cải cách tài chính công", opens_part: None },
    Section {
        id: "II.6",
        title: "II.6. Xây dựng chính quyền điện tử, chính quyền số",
        heading: "6. Xây dựng và phát triển Chính quyền điện tử, Chính quyền số",
        opens_part: None,
    },
    Section { id: "III", title: "III. Đánh giá chung", heading: "III. ĐÁNH GIÁ CHUNG", opens_part: None },
    Section {
        id: "IV", title: "IV. Phương hướng, nhiệm vụ kỳ tới", heading: "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI", opens_part: None
    },
    Section { id: "V", title: "V. Kiến nghị, đề xuất", heading: "V. KIẾN NGHỊ, ĐỀ XUẤT", opens_part: None },
];

/// The section of an id, if it is one.
pub fn section(id: &str) -> Option<&'static Section> {
    SECTIONS.iter().find(|s| s.id == id)
}

/// The standard title of a place, as the document prints it: a part's ("II. KẾT QUẢ …") or a
/// section's ("1. Cải cách thể chế"); `None` for a place the standard report does not have.
pub fn standard_title(place: Place) -> Option<&'static str> {
    match place {
        Place::Opening | Place::Closing => None,
        Place::Part(_) => SECTIONS.iter().find_map(|s| match Place::parse(s.id) {
            Some(p) if p == place => Some(s.heading),
            Some(Place::Section(part, _)) if Place::Part(part) == place => s.opens_part,
            _ => None,
        }),
        Place::Section(..) => SECTIONS.iter().find(|s| Place::parse(s.id) == Some(place)).map(|s| s.heading),
    }
}
