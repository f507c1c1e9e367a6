//! Administrative units (đơn vị) and their history.
//!
//! A unit is anything that reports or compiles a CCHC report: a province (tỉnh), a district
//! (huyện, abolished on 1/7/2025), a commune (xã, phường, thị trấn), a specialised agency
//! (cơ quan chuyên môn: sở, phòng) or a public administration service centre (trung tâm phục vụ
//! hành chính công). Units form a tree of any depth, and the tree changes over time: a unit has
//! validity dates, and [`Lineage`] records which old units became which new one, so that a
//! period can be compared with the same period a year earlier across a merger.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub mod file;
mod tree;
pub use tree::{UnitTree, UnitTreeError};

/// The official code of a unit (mã đơn vị hành chính, or a code the province assigns to an
/// agency). Codes are compared as text: `"30"`, `"1234"`, `"HD-SNV"`.
pub type UnitCode = String;

/// The kind of a unit (loại đơn vị). The kind decides the unit's level and which indicators of the
/// catalogue apply to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnitKind {
    /// Tỉnh, or thành phố trực thuộc trung ương.
    Tinh,
    /// Huyện, quận, thị xã or thành phố thuộc tỉnh (the district level, gone since 1/7/2025).
    Huyen,
    /// Xã (rural commune).
    Xa,
    /// Phường (urban ward).
    Phuong,
    /// Thị trấn (township).
    ThiTran,
    /// Đặc khu (special zone at commune level since 2025).
    DacKhu,
    /// Cơ quan chuyên môn (a provincial department — sở — or a district office — phòng).
    CoQuanChuyenMon,
    /// Trung tâm phục vụ hành chính công (public administration service centre).
    TrungTamHcc,
    /// Đơn vị sự nghiệp công lập (public service unit).
    DonViSuNghiep,
}

/// The level of government (cấp) at which a unit sits. Reports split many figures by level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// Cấp tỉnh.
    Tinh,
    /// Cấp huyện.
    Huyen,
    /// Cấp xã.
    Xa,
}

impl Level {
    /// The level whose [`Level::slug`] this is.
    pub fn from_slug(s: &str) -> Option<Level> {
        [Level::Tinh, Level::Huyen, Level::Xa].into_iter().find(|l| l.slug() == s)
    }

    /// The slug used for the `level` split dimension of the catalogue.
    pub fn slug(self) -> &'static str {
        match self {
            Level::Tinh => "tinh",
            Level::Huyen => "huyen",
            Level::Xa => "xa",
        }
    }

    /// Vietnamese name, e.g. "cấp xã".
    pub fn name_vi(self) -> &'static str {
        match self {
            Level::Tinh => "cấp tỉnh",
            Level::Huyen => "cấp huyện",
            Level::Xa => "cấp xã",
        }
    }
}

impl UnitKind {
    pub const ALL: [UnitKind; 9] = [
        UnitKind::Tinh,
        UnitKind::Huyen,
        UnitKind::Xa,
        UnitKind::Phuong,
        UnitKind::ThiTran,
        UnitKind::DacKhu,
        UnitKind::CoQuanChuyenMon,
        UnitKind::TrungTamHcc,
        UnitKind::DonViSuNghiep,
    ];

    /// The slug used in files (`"thi-tran"`).
    pub fn slug(self) -> &'static str {
        match self {
            UnitKind::Tinh => "tinh",
            UnitKind::Huyen => "huyen",
            UnitKind::Xa => "xa",
            UnitKind::Phuong => "phuong",
            UnitKind::ThiTran => "thi-tran",
            UnitKind::DacKhu => "dac-khu",
            UnitKind::CoQuanChuyenMon => "co-quan-chuyen-mon",
            UnitKind::TrungTamHcc => "trung-tam-hcc",
            UnitKind::DonViSuNghiep => "don-vi-su-nghiep",
        }
    }

    pub fn from_slug(s: &str) -> Option<UnitKind> {
        UnitKind::ALL.into_iter().find(|k| k.slug() == s)
    }

    /// Vietnamese name of the kind.
    pub fn name_vi(self) -> &'static str {
        match self {
            UnitKind::Tinh => "tỉnh",
            UnitKind::Huyen => "huyện",
            UnitKind::Xa => "xã",
            UnitKind::Phuong => "phường",
            UnitKind::ThiTran => "thị trấn",
            UnitKind::DacKhu => "đặc khu",
            UnitKind::CoQuanChuyenMon => "cơ quan chuyên môn",
            UnitKind::TrungTamHcc => "trung tâm phục vụ hành chính công",
            UnitKind::DonViSuNghiep => "đơn vị sự nghiệp công lập",
        }
    }

    /// The level of a territorial unit. Agencies and centres have no level of their own: they take
    /// the level of the People's Committee they belong to (see [`UnitTree::level_of`]).
    pub fn territorial_level(self) -> Option<Level> {
        match self {
            UnitKind::Tinh => Some(Level::Tinh),
            UnitKind::Huyen => Some(Level::Huyen),
            UnitKind::Xa | UnitKind::Phuong | UnitKind::ThiTran | UnitKind::DacKhu => Some(Level::Xa),
            _ => None,
        }
    }
}

/// One administrative unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub code: UnitCode,
    /// Vietnamese name as written in reports: "Huyện Cẩm Xuyên", "Xã Lê Hồng".
    pub name: String,
    pub kind: UnitKind,
    /// The unit directly above, or `None` for a root (a province).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<UnitCode>,
    /// First day the unit exists (inclusive); `None` when it predates the data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<NaiveDate>,
    /// Last day the unit exists (inclusive); `None` while it still exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<NaiveDate>,
    /// The issuing body (tên cơ quan ban hành) as the header of the unit's reports prints it,
    /// with a newline where its lines break: "ỦY BAN NHÂN DÂN\nTHỊ TRẤN HUỲNH HỮU NGHĨA". `None`:
    /// the People's Committee and the unit's name, broken by the documents crate between the body
    /// and the place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
}

impl Unit {
    /// Whether the unit exists on `day`.
    pub fn is_valid_on(&self, day: NaiveDate) -> bool {
        self.valid_from.is_none_or(|f| f <= day) && self.valid_to.is_none_or(|t| day <= t)
    }

    /// Whether the unit exists at some time within `from..=to`.
    pub fn overlaps(&self, from: NaiveDate, to: NaiveDate) -> bool {
        self.valid_from.is_none_or(|f| f <= to) && self.valid_to.is_none_or(|t| from <= t)
    }
}

/// How one unit came from others (sáp nhập, chia tách, đổi tên).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LineageKind {
    /// `from` was merged into `to` (sáp nhập): `to` carries on all of `from`.
    MergedInto,
    /// `to` was split from `from` (chia tách): `to` carries on part of `from`.
    SplitFrom,
    /// `from` was renamed or recoded as `to`.
    Renamed,
}

impl LineageKind {
    /// Whether the new unit carries on the whole of the old one (a merger, a renaming), so that
    /// the old unit's figures count for the new one; a split divides the old unit.
    pub fn carries_on_whole(self) -> bool {
        match self {
            LineageKind::MergedInto | LineageKind::Renamed => true,
            LineageKind::SplitFrom => false,
        }
    }

    /// Vietnamese name: "sáp nhập", "chia tách", "đổi tên".
    pub fn name_vi(self) -> &'static str {
        match self {
            LineageKind::MergedInto => "sáp nhập",
            LineageKind::SplitFrom => "chia tách",
            LineageKind::Renamed => "đổi tên",
        }
    }
}

/// One edge of unit history: on `date`, (part of) `from` became (part of) `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineageEdge {
    pub from: UnitCode,
    pub to: UnitCode,
    pub kind: LineageKind,
    pub date: NaiveDate,
    /// The legal basis, e.g. "Nghị quyết 1665/NQ-UBTVQH15".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
}

/// The history of units: which old units became which new one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lineage {
    pub edges: Vec<LineageEdge>,
}

impl Lineage {
    /// Edges that lead into `code` and happened after `day`.
    pub fn into_after<'a>(&'a self, code: &'a str, day: NaiveDate) -> impl Iterator<Item = &'a LineageEdge> {
        self.edges.iter().filter(move |e| e.to == code && e.date > day)
    }

    /// Edges that lead out of `code` and happened after `day`.
    pub fn out_of_after<'a>(&'a self, code: &'a str, day: NaiveDate) -> impl Iterator<Item = &'a LineageEdge> {
        self.edges.iter().filter(move |e| e.from == code && e.date > day)
    }

    /// Every unit code named in the lineage with how often, for checks against the unit list.
    pub fn codes(&self) -> BTreeMap<&str, usize> {
        let mut m = BTreeMap::new();
        for e in &self.edges {
            *m.entry(e.from.as_str()).or_default() += 1;
            *m.entry(e.to.as_str()).or_default() += 1;
        }
        m
    }
}
