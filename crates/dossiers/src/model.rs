//! Procedures, dossiers and events.

use cchc_units::Level;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::vocabulary::EventTag;

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

/// What happens to a dossier. Its names (JSON tag, CSV word, Vietnamese name) and the fields
/// each kind needs are in [`crate::vocabulary`]; [`EventKind::tag`] gives its [`EventTag`].
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
    Extended {
        #[serde(serialize_with = "write_moment")]
        new_due: NaiveDateTime,
        apology: bool,
    },
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

/// An event: when, and what (`{"at": "2024-10-22T09:16:00", "kind": "received", "channel": "direct"}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    #[serde(serialize_with = "write_moment")]
    pub at: NaiveDateTime,
    #[serde(flatten)]
    pub kind: EventKind,
}

/// Read by hand rather than derived: serde's `flatten` of an internally tagged enum buffers
/// every field of every event into an owned map first, and that was a fifth of the import of a
/// large export. This reads the same JSON in one pass (unknown fields ignored, as before).
impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Event, D::Error> {
        use serde::de::Error;
        let f = FlatEvent::deserialize(deserializer)?;
        let need = |v: Option<Channel>, field| v.ok_or_else(|| D::Error::missing_field(field));
        let tag = EventTag::from_json(&f.kind).ok_or_else(|| D::Error::unknown_variant(&f.kind, &EventTag::JSON_TAGS))?;
        let kind = match tag {
            EventTag::Received => EventKind::Received { channel: need(f.channel, "channel")? },
            EventTag::NotAccepted => EventKind::NotAccepted,
            EventTag::Transferred => EventKind::Transferred { to_unit: f.to_unit.ok_or_else(|| D::Error::missing_field("to_unit"))? },
            EventTag::SupplementRequested => EventKind::SupplementRequested,
            EventTag::SupplementProvided => EventKind::SupplementProvided,
            EventTag::FeeRequested => EventKind::FeeRequested,
            EventTag::FeePaid => EventKind::FeePaid { online: f.online.ok_or_else(|| D::Error::missing_field("online"))? },
            EventTag::Extended => EventKind::Extended {
                new_due: f.new_due.ok_or_else(|| D::Error::missing_field("new_due"))?.0,
                apology: f.apology.ok_or_else(|| D::Error::missing_field("apology"))?,
            },
            EventTag::Resolved => EventKind::Resolved,
            EventTag::Refused => EventKind::Refused,
            EventTag::Withdrawn => EventKind::Withdrawn,
            EventTag::Stopped => EventKind::Stopped,
            EventTag::ResultReturned => EventKind::ResultReturned { channel: need(f.channel, "channel")? },
        };
        Ok(Event { at: f.at.0, kind })
    }
}

/// Every field any event kind has, as the JSON has them.
#[derive(Deserialize)]
struct FlatEvent<'a> {
    at: Moment,
    #[serde(borrow)]
    kind: std::borrow::Cow<'a, str>,
    channel: Option<Channel>,
    to_unit: Option<String>,
    online: Option<bool>,
    new_due: Option<Moment>,
    apology: Option<bool>,
}

/// A moment read with a fast path for the `2024-10-22T09:16:00` form exports use, and chrono's
/// parser for anything else (fractions of seconds, a space instead of `T`).
struct Moment(NaiveDateTime);

impl<'de> Deserialize<'de> for Moment {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Moment, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        match fast_moment(text.as_bytes()) {
            Some(t) => Ok(Moment(t)),
            None => text.parse::<NaiveDateTime>().map(Moment).map_err(serde::de::Error::custom),
        }
    }
}

/// Writes a moment as chrono's serde does (`2024-10-22T09:16:00`), without its formatter for
/// whole seconds: formatting moments was most of the JSON writing of a CSV import when measured.
fn write_moment<S: serde::Serializer>(t: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
    use chrono::{Datelike, Timelike};
    let year = t.year();
    if t.nanosecond() != 0 || !(0..=9999).contains(&year) {
        return t.serialize(s);
    }
    let mut b = *b"0000-00-00T00:00:00";
    for (at, width, mut v) in
        [(0, 4, year as u32), (5, 2, t.month()), (8, 2, t.day()), (11, 2, t.hour()), (14, 2, t.minute()), (17, 2, t.second())]
    {
        for i in (at..at + width).rev() {
            b[i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    }
    s.serialize_str(std::str::from_utf8(&b).expect("ASCII"))
}

pub(crate) fn fast_moment(b: &[u8]) -> Option<NaiveDateTime> {
    if b.len() != 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let n = |r: std::ops::Range<usize>| b[r].iter().try_fold(0u32, |acc, c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')));
    let date = chrono::NaiveDate::from_ymd_opt(n(0..4)? as i32, n(5..7)?, n(8..10)?)?;
    date.and_hms_opt(n(11..13)?, n(14..16)?, n(17..19)?)
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Timelike};
    use proptest::prelude::*;

    fn arb_moment() -> impl Strategy<Value = NaiveDateTime> {
        (1990i32..2100, 1u32..=12, 1u32..=28, 0u32..24, 0u32..60, 0u32..60)
            .prop_map(|(y, m, d, h, mi, s)| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, mi, s).unwrap())
    }

    fn arb_channel() -> impl Strategy<Value = Channel> {
        prop_oneof![Just(Channel::Direct), Just(Channel::Online), Just(Channel::Postal)]
    }

    fn arb_kind() -> impl Strategy<Value = EventKind> {
        prop_oneof![
            arb_channel().prop_map(|channel| EventKind::Received { channel }),
            Just(EventKind::NotAccepted),
            "[A-Z0-9]{1,8}".prop_map(|to_unit| EventKind::Transferred { to_unit }),
            Just(EventKind::SupplementRequested),
            Just(EventKind::SupplementProvided),
            Just(EventKind::FeeRequested),
            any::<bool>().prop_map(|online| EventKind::FeePaid { online }),
            (arb_moment(), any::<bool>()).prop_map(|(new_due, apology)| EventKind::Extended { new_due, apology }),
            Just(EventKind::Resolved),
            Just(EventKind::Refused),
            Just(EventKind::Withdrawn),
            Just(EventKind::Stopped),
            arb_channel().prop_map(|channel| EventKind::ResultReturned { channel }),
        ]
    }

    proptest! {
        /// The hand-written reader reads back every event the derived writer writes.
        #[test]
        fn events_round_trip(at in arb_moment(), kind in arb_kind()) {
            let e = Event { at, kind };
            let json = serde_json::to_string(&e).unwrap();
            prop_assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), e);
        }

        /// Moments are written exactly as chrono's serde writes them, fractions and odd years too.
        #[test]
        fn moments_are_written_as_chrono_writes_them(t in arb_moment(), nanos in prop_oneof![Just(0u32), 0u32..2_000_000_000], year in prop_oneof![Just(2024i32), -20000i32..20000]) {
            let t = t.with_year(year).unwrap_or(t).with_nanosecond(nanos).unwrap_or(t);
            let mut fast = serde_json::Serializer::new(Vec::new());
            write_moment(&t, &mut fast).unwrap();
            prop_assert_eq!(String::from_utf8(fast.into_inner()).unwrap(), serde_json::to_string(&t).unwrap());
        }

        /// The fast path reads a moment exactly as chrono does, and declines what it cannot.
        #[test]
        fn the_fast_moment_agrees_with_chrono(t in arb_moment(), junk in "[0-9T:. -]{0,22}") {
            let text = t.format("%Y-%m-%dT%H:%M:%S").to_string();
            prop_assert_eq!(fast_moment(text.as_bytes()), Some(t));
            if let Some(fast) = fast_moment(junk.as_bytes()) {
                prop_assert_eq!(junk.parse::<NaiveDateTime>().ok(), Some(fast));
            }
        }
    }

    #[test]
    fn events_are_read_with_the_other_forms_and_refused_clearly() {
        let e: Event = serde_json::from_str(r#"{"at":"2024-10-22T09:16:00.5","kind":"received","channel":"online","extra":1}"#).unwrap();
        assert_eq!(e.kind, EventKind::Received { channel: Channel::Online });
        assert_eq!(e.at, chrono::NaiveDate::from_ymd_opt(2024, 10, 22).unwrap().and_hms_milli_opt(9, 16, 0, 500).unwrap());
        let missing = serde_json::from_str::<Event>(r#"{"at":"2024-10-22T09:16:00","kind":"received"}"#).unwrap_err().to_string();
        assert!(missing.contains("missing field `channel`"), "{missing}");
        let unknown = serde_json::from_str::<Event>(r#"{"at":"2024-10-22T09:16:00","kind":"lost"}"#).unwrap_err().to_string();
        assert!(unknown.contains("unknown variant `lost`"), "{unknown}");
        let bad_day = serde_json::from_str::<Event>(r#"{"at":"2024-02-30T09:16:00","kind":"resolved"}"#).unwrap_err().to_string();
        assert!(bad_day.contains("input is out of range"), "{bad_day}");
    }
}
