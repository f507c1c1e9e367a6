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

/// An event: when, what, and who recorded it (`{"at": "2024-10-22T09:16:00", "kind":
/// "received", "channel": "direct", "by": "canbo.sonha"}`; `by` absent in older exports).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    #[serde(serialize_with = "write_moment")]
    pub at: NaiveDateTime,
    #[serde(flatten)]
    pub kind: EventKind,
    /// The actor: the user name of the officer who recorded it (người xử lý), if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// What the officer wrote with it, printed on the event's form of Circular 03/2025: the
    /// documents received (receipt, form 01), what is missing and why (supplement, form 02; a
    /// line "Lý do: …" is the reason), the reason of a refusal (03), of a delay (04) or of a stop
    /// or withdrawal (05).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Event {
    /// An event without a known actor (imports of exports that do not name one).
    pub fn new(at: NaiveDateTime, kind: EventKind) -> Event {
        Event { at, kind, by: None, note: None }
    }
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
        Ok(Event { at: f.at.0, kind, by: f.by, note: f.note })
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
    by: Option<String>,
    note: Option<String>,
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
    /// The applicant (chủ hồ sơ): personal data under Decree 13/2023/NĐ-CP, shown in full only
    /// to the unit handling the dossier (see [`crate::mask`]). Absent in older exports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applicant: Option<Applicant>,
    /// The officer handling it now (cán bộ xử lý): a user name of the handling unit
    /// ([`Dossier::handling_unit`]); none until assigned, and none again after a transfer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handler: Option<String>,
    /// Every assignment of a handler, in time order (giao, giao lại xử lý).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assignments: Vec<Assignment>,
}

impl Dossier {
    /// The unit responsible for it now: the unit of the last transfer (chuyển liên thông), else
    /// the unit whose counter received it.
    pub fn handling_unit(&self) -> &str {
        self.events
            .iter()
            .rev()
            .find_map(|e| match &e.kind {
                EventKind::Transferred { to_unit } => Some(to_unit.as_str()),
                _ => None,
            })
            .unwrap_or(&self.unit)
    }
}

/// Whether the applicant is a person or an organisation (LoaiDoiTuong 1 or 2 in the national
/// format).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ApplicantKind {
    /// Công dân (cá nhân).
    #[default]
    Person,
    /// Tổ chức, doanh nghiệp.
    Organisation,
}

impl ApplicantKind {
    /// Its Vietnamese name.
    pub const fn name_vi(self) -> &'static str {
        match self {
            ApplicantKind::Person => "Cá nhân",
            ApplicantKind::Organisation => "Tổ chức",
        }
    }
}

/// The applicant of a dossier (chủ hồ sơ). Every field but the kind and the name may be empty
/// (a blank string is stored as it came: the forms and imports trim and drop them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    #[serde(default)]
    pub kind: ApplicantKind,
    /// Họ và tên, or the organisation's name.
    pub name: String,
    /// Số định danh cá nhân (CCCD, 12 digits) of a person, mã số thuế of an organisation
    /// (MaDoiTuong).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// A handler assigned to a dossier: when, by whom, whom (user names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub at: NaiveDateTime,
    /// The officer who assigned it.
    pub by: String,
    /// The handler assigned.
    pub handler: String,
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
        fn events_round_trip(at in arb_moment(), kind in arb_kind(), by in proptest::option::of("[a-zđ.]{1,12}"), note in proptest::option::of("[a-zA-Zđơ :,.\n\"]{0,40}")) {
            let e = Event { at, kind, by, note };
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
    fn dossiers_without_applicant_handler_or_actor_read_as_before_and_round_trip_with_them() {
        let old = r#"{"id":"A-1","unit":"X","procedure":"P","events":[{"at":"2024-10-22T09:16:00","kind":"received","channel":"direct"}]}"#;
        let d: Dossier = serde_json::from_str(old).unwrap();
        assert_eq!((d.applicant.as_ref(), d.handler.as_ref(), d.assignments.len(), d.events[0].by.as_ref()), (None, None, 0, None));
        // Nothing new is written for a dossier without them: stored JSON and fixtures stay as they were.
        assert_eq!(serde_json::to_string(&d).unwrap(), old.replace("]}", "],\"digitised\":false,\"rating\":null}"));
        let t = d.events[0].at;
        let full = Dossier {
            applicant: Some(Applicant {
                kind: ApplicantKind::Organisation,
                name: "Công ty TNHH Hoa Sen".into(),
                id_number: Some("0101234567".into()),
                phone: Some("0912345678".into()),
                address: Some("Số 1, Hà Nội".into()),
                email: None,
            }),
            handler: Some("canbo.b".into()),
            assignments: vec![Assignment { at: t, by: "canbo.a".into(), handler: "canbo.b".into() }],
            events: vec![
                Event { at: t, kind: EventKind::Received { channel: Channel::Direct }, by: Some("canbo.a".into()), note: None },
                Event::new(t, EventKind::Transferred { to_unit: "Y".into() }),
            ],
            ..d
        };
        let json = serde_json::to_string(&full).unwrap();
        assert!(json.contains(r#""kind":"organisation""#) && json.contains(r#""by":"canbo.a""#), "{json}");
        assert_eq!(serde_json::from_str::<Dossier>(&json).unwrap(), full);
        assert_eq!(full.handling_unit(), "Y");
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
