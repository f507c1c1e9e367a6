//! Procedures, dossiers and events.

use chrono::NaiveDateTime;
use cchc_units::Level;
use serde::{Deserialize, Serialize};

/// How a dossier reaches or leaves the one-stop counter (kênh).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Channel {
    /// Trực tiếp, at the counter.
    Direct,
    /// Trực tuyến, through the public-service portal.
    Online,
    /// Dịch vụ bưu chính công ích (BCCI), the public postal service.
    Postal,
}

/// A procedure's processing time (thời hạn giải quyết).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "unit", content = "n")]
pub enum ProcessingTime {
    WorkingDays(u32),
    WorkingHours(u32),
    CalendarDays(u32),
}

/// How far a procedure can be done online (Decree 42/2022/NĐ-CP; mức độ 3/4 before it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OnlineClass {
    None,
    /// Một phần (partly online).
    Partial,
    /// Toàn trình (fully online).
    Full,
    /// Legacy mức độ 3.
    Level3,
    /// Legacy mức độ 4.
    Level4,
}

/// An administrative procedure (thủ tục hành chính, TTHC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Procedure {
    /// National code, e.g. "1.001193".
    pub code: String,
    pub name: String,
    /// Field (lĩnh vực) slug, as in the catalogue's `field` dimension: "ho-tich".
    pub field: String,
    /// The level that decides it (cấp có thẩm quyền).
    pub level: Level,
    pub time: ProcessingTime,
    pub online: OnlineClass,
    /// Fee in đồng, if any (phí, lệ phí).
    pub fee: Option<i64>,
}

/// What happens to a dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum EventKind {
    /// Tiếp nhận (status 2 then 4).
    Received { channel: Channel },
    /// Không được tiếp nhận at the counter (status 3).
    NotAccepted,
    /// Chuyển liên thông to another unit.
    Transferred { to_unit: String },
    /// Yêu cầu bổ sung (status 5): the clock stops.
    SupplementRequested,
    /// Công dân bổ sung: the clock restarts.
    SupplementProvided,
    /// Yêu cầu thực hiện nghĩa vụ tài chính (status 6): the clock stops too.
    FeeRequested,
    /// Nghĩa vụ tài chính đã thực hiện.
    FeePaid { online: bool },
    /// Gia hạn with a new appointment, usually with an apology letter (phiếu xin lỗi).
    Extended { new_due: NaiveDateTime, apology: bool },
    /// Đã xử lý xong (status 9).
    Resolved,
    /// Từ chối giải quyết during processing: the dossier is returned.
    Refused,
    /// Công dân rút hồ sơ (status 7).
    Withdrawn,
    /// Dừng xử lý (status 8).
    Stopped,
    /// Đã trả kết quả (status 10).
    ResultReturned { channel: Channel },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub at: NaiveDateTime,
    #[serde(flatten)]
    pub kind: EventKind,
}

/// A dossier (hồ sơ) with its events in time order; the first is its receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dossier {
    /// The receipt code (mã hồ sơ), e.g. "000.00.12.H42-220315-0001".
    pub id: String,
    /// The unit whose one-stop counter received it.
    pub unit: String,
    pub procedure: String,
    pub events: Vec<Event>,
    /// Số hóa: the dossier's papers were digitised.
    #[serde(default)]
    pub digitised: bool,
    /// Citizen's satisfaction rating, 1–5 (đánh giá mức độ hài lòng).
    #[serde(default)]
    pub rating: Option<u8>,
}
