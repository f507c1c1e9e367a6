//! One vocabulary for the kinds of dossier events: for each kind ([`EventTag`]) its JSON tag,
//! its word in a CSV export, its Vietnamese name, the fields it carries and where the counter
//! records it, each property defined by ONE exhaustive `match` below. Every reader and writer
//! goes through it: the JSON reader of [`crate::Event`] (its writer is serde's derive, whose
//! tags the tests check against [`EventTag::json`]), the CSV writer and reader of
//! [`crate::import`], and the web's counter form and dossier timeline.
//!
//! The JSON tags and CSV words are interfaces (exports exist that use them): never rename one.
//!
//! | kind | JSON tag | CSV word | Vietnamese name | fields | counter |
//! |---|---|---|---|---|---|
//! | [`Received`](EventTag::Received) | `received` | `tiep-nhan` | Tiếp nhận hồ sơ | channel | receipt form |
//! | [`Transferred`](EventTag::Transferred) | `transferred` | `lien-thong` | Chuyển liên thông | to_unit | event form |
//! | [`SupplementRequested`](EventTag::SupplementRequested) | `supplement-requested` | `yeu-cau-bo-sung` | Yêu cầu bổ sung hồ sơ | — | event form |
//! | [`SupplementProvided`](EventTag::SupplementProvided) | `supplement-provided` | `bo-sung` | Công dân bổ sung hồ sơ | — | event form |
//! | [`FeeRequested`](EventTag::FeeRequested) | `fee-requested` | `yeu-cau-nghia-vu-tai-chinh` | Yêu cầu thực hiện nghĩa vụ tài chính | — | event form |
//! | [`FeePaid`](EventTag::FeePaid) | `fee-paid` | `nop-phi` | Đã thực hiện nghĩa vụ tài chính | channel (paid online) | event form |
//! | [`Extended`](EventTag::Extended) | `extended` | `gia-han` | Gia hạn | new_due, apology | event form |
//! | [`Resolved`](EventTag::Resolved) | `resolved` | `da-xu-ly` | Đã xử lý xong | — | event form |
//! | [`Refused`](EventTag::Refused) | `refused` | `tu-choi` | Từ chối giải quyết | — | event form |
//! | [`Withdrawn`](EventTag::Withdrawn) | `withdrawn` | `rut-ho-so` | Công dân rút hồ sơ | — | event form |
//! | [`Stopped`](EventTag::Stopped) | `stopped` | `dung-xu-ly` | Dừng xử lý | — | event form |
//! | [`ResultReturned`](EventTag::ResultReturned) | `result-returned` | `tra-ket-qua` | Trả kết quả | channel | event form |
//! | [`NotAccepted`](EventTag::NotAccepted) | `not-accepted` | `khong-tiep-nhan` | Không tiếp nhận | — | event form |
//!
//! (`tests/vocabulary.rs` holds the table's first four columns as a literal, checks both it and
//! this table against the functions below, and runs every kind through every reader and writer.)

use crate::model::EventKind;

/// The kind of a dossier event without its fields (the variant of [`EventKind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventTag {
    /// Tiếp nhận hồ sơ: the one-stop counter receives the dossier (status 2, then 4 "đang xử
    /// lý") through a channel (kênh): trực tiếp, trực tuyến or bưu chính công ích. Always a
    /// dossier's first event; the counter records it with its own receiving form, which also
    /// makes the receipt code (mã hồ sơ).
    Received,
    /// Không tiếp nhận: the counter does not accept the dossier on the day it was brought
    /// (status 3, "không được tiếp nhận"); the dossier ends there.
    NotAccepted,
    /// Chuyển liên thông: the dossier is passed on to another unit (đơn vị nhận) that takes part
    /// in deciding it; the receiving unit keeps counting it.
    Transferred,
    /// Yêu cầu bổ sung hồ sơ: the citizen is asked to complete the papers (status 5); the clock
    /// stops and the working time left is kept.
    SupplementRequested,
    /// Công dân bổ sung hồ sơ: the citizen has completed the papers; the clock restarts from the
    /// next office time.
    SupplementProvided,
    /// Yêu cầu thực hiện nghĩa vụ tài chính: the citizen is asked to pay the fees, charges or
    /// taxes (phí, lệ phí, thuế) the procedure needs (status 6); the clock stops.
    FeeRequested,
    /// Đã thực hiện nghĩa vụ tài chính: the citizen has paid, online (thanh toán trực tuyến) or
    /// not; the clock restarts.
    FeePaid,
    /// Gia hạn: a new appointment (ngày hẹn trả mới) is set, usually with an apology letter
    /// (phiếu xin lỗi và hẹn lại ngày trả kết quả).
    Extended,
    /// Đã xử lý xong: the decision is made (status 9), early (trước hạn), on due (đúng hạn) or
    /// late (quá hạn) against the due date.
    Resolved,
    /// Từ chối giải quyết: the dossier is refused during processing and returned with the
    /// reasons.
    Refused,
    /// Công dân rút hồ sơ: the citizen withdraws the dossier (status 7).
    Withdrawn,
    /// Dừng xử lý: processing is stopped (status 8).
    Stopped,
    /// Trả kết quả: the result is handed to the citizen (status 10), through a channel (at the
    /// counter, online, or by the public postal service).
    ResultReturned,
}

/// A field an event carries besides its moment: a column of a CSV export (named by
/// [`Field::column`]) and a field of the counter's event form of the same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// Kênh (`channel`): `truc-tiep` (trực tiếp), `truc-tuyen` (trực tuyến), `bcci` (bưu chính
    /// công ích). Required.
    Channel,
    /// Ngày hẹn mới (`new_due`): the new appointment of an extension. Required.
    NewDue,
    /// Phiếu xin lỗi (`apology`): 1 when an apology letter was sent. Optional.
    Apology,
    /// Đơn vị nhận (`to_unit`): the unit a dossier is transferred to. Required.
    ToUnit,
    /// Thanh toán trực tuyến: a fee paid online, stated by the `channel` column (or the form's
    /// channel) being `truc-tuyen`. Optional (paid otherwise).
    PaidOnline,
}

impl Field {
    /// Every field, in the order the counter's event form shows them.
    pub const ALL: [Field; 5] = [Field::Channel, Field::PaidOnline, Field::NewDue, Field::Apology, Field::ToUnit];

    /// Its name on the counter's event form.
    pub const fn name_vi(self) -> &'static str {
        match self {
            Field::Channel => "Kênh",
            Field::NewDue => "Ngày hẹn mới",
            Field::Apology => "Có phiếu xin lỗi",
            Field::ToUnit => "Đơn vị nhận",
            Field::PaidOnline => "Thanh toán trực tuyến",
        }
    }

    /// The CSV column and the event form's field that state it.
    pub const fn column(self) -> &'static str {
        match self {
            Field::Channel | Field::PaidOnline => "channel",
            Field::NewDue => "new_due",
            Field::Apology => "apology",
            Field::ToUnit => "to_unit",
        }
    }
}

/// Where the one-stop counter records an event of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Counter {
    /// The receiving form of its own (unit, procedure, channel, moment), which makes the dossier
    /// and its receipt code: not offered on a received dossier's event form.
    ReceiptForm,
    /// The event form of a received dossier, with the kind's [`EventTag::fields`].
    EventForm,
}

impl EventTag {
    /// Every kind: a receipt, then in the order the counter's event form offers them (its first,
    /// the one selected by default, a harmless one; a refusal at the counter last).
    pub const ALL: [EventTag; 13] = [
        EventTag::Received,
        EventTag::Transferred,
        EventTag::SupplementRequested,
        EventTag::SupplementProvided,
        EventTag::FeeRequested,
        EventTag::FeePaid,
        EventTag::Extended,
        EventTag::Resolved,
        EventTag::Refused,
        EventTag::Withdrawn,
        EventTag::Stopped,
        EventTag::ResultReturned,
        EventTag::NotAccepted,
    ];

    /// The JSON tags of [`EventTag::ALL`], in that order (what an unknown tag's error lists).
    pub const JSON_TAGS: [&'static str; 13] = {
        let mut tags = [""; 13];
        let mut i = 0;
        while i < tags.len() {
            tags[i] = EventTag::ALL[i].json();
            i += 1;
        }
        tags
    };

    /// The `kind` of an event in JSON (serde's kebab-case of the [`EventKind`] variant, which
    /// the tests check): `received`, `supplement-requested`, …
    pub const fn json(self) -> &'static str {
        match self {
            EventTag::Received => "received",
            EventTag::NotAccepted => "not-accepted",
            EventTag::Transferred => "transferred",
            EventTag::SupplementRequested => "supplement-requested",
            EventTag::SupplementProvided => "supplement-provided",
            EventTag::FeeRequested => "fee-requested",
            EventTag::FeePaid => "fee-paid",
            EventTag::Extended => "extended",
            EventTag::Resolved => "resolved",
            EventTag::Refused => "refused",
            EventTag::Withdrawn => "withdrawn",
            EventTag::Stopped => "stopped",
            EventTag::ResultReturned => "result-returned",
        }
    }

    /// The `event` word of a CSV export and of the counter's event form: `tiep-nhan`,
    /// `yeu-cau-bo-sung`, … (Vietnamese without diacritics).
    pub const fn csv(self) -> &'static str {
        match self {
            EventTag::Received => "tiep-nhan",
            EventTag::NotAccepted => "khong-tiep-nhan",
            EventTag::Transferred => "lien-thong",
            EventTag::SupplementRequested => "yeu-cau-bo-sung",
            EventTag::SupplementProvided => "bo-sung",
            EventTag::FeeRequested => "yeu-cau-nghia-vu-tai-chinh",
            EventTag::FeePaid => "nop-phi",
            EventTag::Extended => "gia-han",
            EventTag::Resolved => "da-xu-ly",
            EventTag::Refused => "tu-choi",
            EventTag::Withdrawn => "rut-ho-so",
            EventTag::Stopped => "dung-xu-ly",
            EventTag::ResultReturned => "tra-ket-qua",
        }
    }

    /// The name officers read, at the counter's event form and in a dossier's timeline (where
    /// the event's fields follow it: "Trả kết quả (trực tuyến)", "Gia hạn, hẹn lại …").
    pub const fn name_vi(self) -> &'static str {
        match self {
            EventTag::Received => "Tiếp nhận hồ sơ",
            EventTag::NotAccepted => "Không tiếp nhận",
            EventTag::Transferred => "Chuyển liên thông",
            EventTag::SupplementRequested => "Yêu cầu bổ sung hồ sơ",
            EventTag::SupplementProvided => "Công dân bổ sung hồ sơ",
            EventTag::FeeRequested => "Yêu cầu thực hiện nghĩa vụ tài chính",
            EventTag::FeePaid => "Đã thực hiện nghĩa vụ tài chính",
            EventTag::Extended => "Gia hạn",
            EventTag::Resolved => "Đã xử lý xong",
            EventTag::Refused => "Từ chối giải quyết",
            EventTag::Withdrawn => "Công dân rút hồ sơ",
            EventTag::Stopped => "Dừng xử lý",
            EventTag::ResultReturned => "Trả kết quả",
        }
    }

    /// The fields an event of the kind carries besides its moment: the CSV columns it reads and
    /// the event form's fields it needs.
    pub const fn fields(self) -> &'static [Field] {
        match self {
            EventTag::Received | EventTag::ResultReturned => &[Field::Channel],
            EventTag::Transferred => &[Field::ToUnit],
            EventTag::FeePaid => &[Field::PaidOnline],
            EventTag::Extended => &[Field::NewDue, Field::Apology],
            EventTag::NotAccepted
            | EventTag::SupplementRequested
            | EventTag::SupplementProvided
            | EventTag::FeeRequested
            | EventTag::Resolved
            | EventTag::Refused
            | EventTag::Withdrawn
            | EventTag::Stopped => &[],
        }
    }

    /// Where the counter records it: a receipt with its own form, everything else on the event
    /// form of the received dossier.
    pub const fn counter(self) -> Counter {
        match self {
            EventTag::Received => Counter::ReceiptForm,
            EventTag::NotAccepted
            | EventTag::Transferred
            | EventTag::SupplementRequested
            | EventTag::SupplementProvided
            | EventTag::FeeRequested
            | EventTag::FeePaid
            | EventTag::Extended
            | EventTag::Resolved
            | EventTag::Refused
            | EventTag::Withdrawn
            | EventTag::Stopped
            | EventTag::ResultReturned => Counter::EventForm,
        }
    }

    /// The kind whose JSON tag this is.
    pub fn from_json(tag: &str) -> Option<EventTag> {
        EventTag::ALL.into_iter().find(|t| t.json() == tag)
    }

    /// The kind whose CSV word this is.
    pub fn from_csv(word: &str) -> Option<EventTag> {
        EventTag::ALL.into_iter().find(|t| t.csv() == word)
    }

    /// The kinds the counter's event form offers, in [`EventTag::ALL`]'s order.
    pub fn on_event_form() -> impl Iterator<Item = EventTag> {
        EventTag::ALL.into_iter().filter(|t| t.counter() == Counter::EventForm)
    }
}

impl EventKind {
    /// The kind without its fields.
    pub fn tag(&self) -> EventTag {
        match self {
            EventKind::Received { .. } => EventTag::Received,
            EventKind::NotAccepted => EventTag::NotAccepted,
            EventKind::Transferred { .. } => EventTag::Transferred,
            EventKind::SupplementRequested => EventTag::SupplementRequested,
            EventKind::SupplementProvided => EventTag::SupplementProvided,
            EventKind::FeeRequested => EventTag::FeeRequested,
            EventKind::FeePaid { .. } => EventTag::FeePaid,
            EventKind::Extended { .. } => EventTag::Extended,
            EventKind::Resolved => EventTag::Resolved,
            EventKind::Refused => EventTag::Refused,
            EventKind::Withdrawn => EventTag::Withdrawn,
            EventKind::Stopped => EventTag::Stopped,
            EventKind::ResultReturned { .. } => EventTag::ResultReturned,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_every_tag_once_and_the_lookups_invert_the_names() {
        for (i, t) in EventTag::ALL.into_iter().enumerate() {
            assert_eq!(EventTag::ALL.iter().position(|u| *u == t), Some(i));
            assert_eq!(EventTag::from_json(t.json()), Some(t));
            assert_eq!(EventTag::from_csv(t.csv()), Some(t));
            assert_eq!(EventTag::JSON_TAGS[i], t.json());
        }
        assert_eq!(EventTag::from_json("tiep-nhan"), None, "a CSV word is not a JSON tag");
        assert_eq!(EventTag::from_csv("received"), None, "nor the other way round");
    }
}
