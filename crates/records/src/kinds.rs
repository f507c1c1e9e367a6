//! The vocabularies of the records: one enum each, its slug (URLs, the database, JSON) and its
//! Vietnamese names, with exhaustive matches so a new kind is named everywhere.

use serde::{Deserialize, Serialize};

/// What a plan is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlanKind {
    /// Kế hoạch cải cách hành chính (the year's CCHC plan, whose tasks the report counts).
    Cchc,
    /// Kế hoạch kiểm soát thủ tục hành chính.
    KiemSoatTthc,
    /// Kế hoạch chuyển đổi số.
    ChuyenDoiSo,
    /// Kế hoạch kiểm tra công tác cải cách hành chính.
    KiemTra,
    /// Kế hoạch tuyên truyền cải cách hành chính.
    TuyenTruyen,
    /// Kế hoạch ứng dụng công nghệ thông tin.
    UngDungCntt,
    /// Kế hoạch rà soát, kiểm tra văn bản quy phạm pháp luật.
    RaSoatVanBan,
    /// Kế hoạch đào tạo, bồi dưỡng cán bộ, công chức.
    DaoTao,
    /// Another plan.
    Khac,
}

impl PlanKind {
    pub const ALL: [PlanKind; 9] = [
        PlanKind::Cchc,
        PlanKind::KiemSoatTthc,
        PlanKind::ChuyenDoiSo,
        PlanKind::KiemTra,
        PlanKind::TuyenTruyen,
        PlanKind::UngDungCntt,
        PlanKind::RaSoatVanBan,
        PlanKind::DaoTao,
        PlanKind::Khac,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            PlanKind::Cchc => "cchc",
            PlanKind::KiemSoatTthc => "kiem-soat-tthc",
            PlanKind::ChuyenDoiSo => "chuyen-doi-so",
            PlanKind::KiemTra => "kiem-tra",
            PlanKind::TuyenTruyen => "tuyen-truyen",
            PlanKind::UngDungCntt => "ung-dung-cntt",
            PlanKind::RaSoatVanBan => "ra-soat-van-ban",
            PlanKind::DaoTao => "dao-tao",
            PlanKind::Khac => "khac",
        }
    }

    /// The short name lists and the import sheet use ("CCHC", "Kiểm soát TTHC", …).
    pub fn name_vi(self) -> &'static str {
        match self {
            PlanKind::Cchc => "CCHC",
            PlanKind::KiemSoatTthc => "Kiểm soát TTHC",
            PlanKind::ChuyenDoiSo => "Chuyển đổi số",
            PlanKind::KiemTra => "Kiểm tra CCHC",
            PlanKind::TuyenTruyen => "Tuyên truyền CCHC",
            PlanKind::UngDungCntt => "Ứng dụng CNTT",
            PlanKind::RaSoatVanBan => "Rà soát văn bản QPPL",
            PlanKind::DaoTao => "Đào tạo, bồi dưỡng",
            PlanKind::Khac => "Khác",
        }
    }

    /// The full name: "Kế hoạch cải cách hành chính".
    pub fn full_name_vi(self) -> &'static str {
        match self {
            PlanKind::Cchc => "Kế hoạch cải cách hành chính",
            PlanKind::KiemSoatTthc => "Kế hoạch kiểm soát thủ tục hành chính",
            PlanKind::ChuyenDoiSo => "Kế hoạch chuyển đổi số",
            PlanKind::KiemTra => "Kế hoạch kiểm tra công tác cải cách hành chính",
            PlanKind::TuyenTruyen => "Kế hoạch tuyên truyền cải cách hành chính",
            PlanKind::UngDungCntt => "Kế hoạch ứng dụng công nghệ thông tin",
            PlanKind::RaSoatVanBan => "Kế hoạch rà soát, kiểm tra văn bản quy phạm pháp luật",
            PlanKind::DaoTao => "Kế hoạch đào tạo, bồi dưỡng cán bộ, công chức",
            PlanKind::Khac => "Kế hoạch khác",
        }
    }

    pub fn from_slug(s: &str) -> Option<PlanKind> {
        PlanKind::ALL.into_iter().find(|k| k.slug() == s)
    }

    /// The kind a cell names: its slug, short or full name, in any case.
    pub fn from_text(s: &str) -> Option<PlanKind> {
        let s = s.trim().to_lowercase();
        PlanKind::ALL.into_iter().find(|k| k.slug() == s || k.name_vi().to_lowercase() == s || k.full_name_vi().to_lowercase() == s)
    }
}

/// The kind of a document of the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocKind {
    KeHoach,
    QuyetDinh,
    CongVan,
    BaoCao,
    HuongDan,
}

impl DocKind {
    pub const ALL: [DocKind; 5] = [DocKind::KeHoach, DocKind::QuyetDinh, DocKind::CongVan, DocKind::BaoCao, DocKind::HuongDan];

    pub fn slug(self) -> &'static str {
        match self {
            DocKind::KeHoach => "ke-hoach",
            DocKind::QuyetDinh => "quyet-dinh",
            DocKind::CongVan => "cong-van",
            DocKind::BaoCao => "bao-cao",
            DocKind::HuongDan => "huong-dan",
        }
    }

    /// "Kế hoạch", "Quyết định", "Công văn", "Báo cáo", "Hướng dẫn": how a citation begins.
    pub fn name_vi(self) -> &'static str {
        match self {
            DocKind::KeHoach => "Kế hoạch",
            DocKind::QuyetDinh => "Quyết định",
            DocKind::CongVan => "Công văn",
            DocKind::BaoCao => "Báo cáo",
            DocKind::HuongDan => "Hướng dẫn",
        }
    }

    pub fn from_slug(s: &str) -> Option<DocKind> {
        DocKind::ALL.into_iter().find(|k| k.slug() == s)
    }

    /// Directive documents (văn bản chỉ đạo, điều hành): what a unit issues to steer CCHC, as
    /// the report's section I counts them (its own reports are not).
    pub fn is_directive(self) -> bool {
        match self {
            DocKind::KeHoach | DocKind::QuyetDinh | DocKind::CongVan | DocKind::HuongDan => true,
            DocKind::BaoCao => false,
        }
    }
}

/// Whether the unit issued a document or received it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    Issued,
    Received,
}

impl Direction {
    pub const ALL: [Direction; 2] = [Direction::Issued, Direction::Received];

    pub fn slug(self) -> &'static str {
        match self {
            Direction::Issued => "issued",
            Direction::Received => "received",
        }
    }

    pub fn name_vi(self) -> &'static str {
        match self {
            Direction::Issued => "Văn bản đi (ban hành)",
            Direction::Received => "Văn bản đến",
        }
    }

    pub fn from_slug(s: &str) -> Option<Direction> {
        Direction::ALL.into_iter().find(|k| k.slug() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_its_slug_and_name() {
        for k in PlanKind::ALL {
            assert_eq!(PlanKind::from_slug(k.slug()), Some(k));
            assert_eq!(PlanKind::from_text(k.name_vi()), Some(k));
            assert_eq!(PlanKind::from_text(&k.full_name_vi().to_uppercase()), Some(k));
        }
        for k in DocKind::ALL {
            assert_eq!(DocKind::from_slug(k.slug()), Some(k));
        }
        for d in Direction::ALL {
            assert_eq!(Direction::from_slug(d.slug()), Some(d));
        }
    }
}
