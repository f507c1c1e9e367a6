//! Replaying a dossier's events: national status codes, legal transitions and the due date.

use cchc_calendar::WorkCalendar;
use chrono::{Duration, NaiveDateTime, NaiveTime};
use thiserror::Error;

use crate::model::{Channel, Dossier, Event, EventKind, Procedure, ProcessingTime};
use crate::vocabulary::EventTag;

/// The national status codes of a dossier (trạng thái hồ sơ).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// 2 – được tiếp nhận / 4 – đang xử lý (the ledger does not tell them apart).
    InProgress,
    /// 3 – không được tiếp nhận.
    NotAccepted,
    /// 5 – yêu cầu bổ sung.
    AwaitingSupplement,
    /// 6 – yêu cầu thực hiện nghĩa vụ tài chính.
    AwaitingFee,
    /// 7 – công dân rút hồ sơ.
    Withdrawn,
    /// 8 – dừng xử lý.
    Stopped,
    /// 9 – đã xử lý xong.
    Resolved,
    /// 10 – đã trả kết quả.
    ResultReturned,
    /// Từ chối giải quyết (trả lại hồ sơ), counted with the returned dossiers.
    Refused,
}

impl Status {
    pub fn code(self) -> u8 {
        match self {
            Status::InProgress => 4,
            Status::NotAccepted | Status::Refused => 3,
            Status::AwaitingSupplement => 5,
            Status::AwaitingFee => 6,
            Status::Withdrawn => 7,
            Status::Stopped => 8,
            Status::Resolved => 9,
            Status::ResultReturned => 10,
        }
    }

    /// Every status, in the order a filter lists them.
    pub const ALL: [Status; 9] = [
        Status::InProgress,
        Status::AwaitingSupplement,
        Status::AwaitingFee,
        Status::Resolved,
        Status::ResultReturned,
        Status::Refused,
        Status::Withdrawn,
        Status::Stopped,
        Status::NotAccepted,
    ];

    /// Its word in the store's `state` column and in a filter's address (never shown).
    pub fn slug(self) -> &'static str {
        match self {
            Status::InProgress => "dang-xu-ly",
            Status::NotAccepted => "khong-tiep-nhan",
            Status::AwaitingSupplement => "cho-bo-sung",
            Status::AwaitingFee => "cho-nghia-vu-tai-chinh",
            Status::Withdrawn => "rut-ho-so",
            Status::Stopped => "dung-xu-ly",
            Status::Resolved => "da-xu-ly",
            Status::ResultReturned => "da-tra-ket-qua",
            Status::Refused => "tu-choi",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.slug() == slug)
    }

    /// The status a legal history is in after an event of this kind (what a replay ends in:
    /// every transition's target depends on the kind alone).
    pub fn after(kind: &EventKind) -> Status {
        match kind {
            EventKind::Received { .. }
            | EventKind::Transferred { .. }
            | EventKind::Extended { .. }
            | EventKind::SupplementProvided
            | EventKind::FeePaid { .. } => Status::InProgress,
            EventKind::NotAccepted => Status::NotAccepted,
            EventKind::SupplementRequested => Status::AwaitingSupplement,
            EventKind::FeeRequested => Status::AwaitingFee,
            EventKind::Resolved => Status::Resolved,
            EventKind::Refused => Status::Refused,
            EventKind::Withdrawn => Status::Withdrawn,
            EventKind::Stopped => Status::Stopped,
            EventKind::ResultReturned { .. } => Status::ResultReturned,
        }
    }

    /// The status of a stored dossier (its events a legal history), from its last event.
    pub fn of(d: &Dossier) -> Status {
        d.events.last().map_or(Status::InProgress, |e| Status::after(&e.kind))
    }

    pub fn name_vi(self) -> &'static str {
        match self {
            Status::InProgress => "đang xử lý",
            Status::NotAccepted => "không được tiếp nhận",
            Status::AwaitingSupplement => "yêu cầu bổ sung",
            Status::AwaitingFee => "yêu cầu thực hiện nghĩa vụ tài chính",
            Status::Withdrawn => "công dân rút hồ sơ",
            Status::Stopped => "dừng xử lý",
            Status::Resolved => "đã xử lý xong",
            Status::ResultReturned => "đã trả kết quả",
            Status::Refused => "từ chối giải quyết",
        }
    }
}

/// How a dossier ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Giải quyết trước hạn: before the due date's day.
    Early,
    /// Đúng hạn: on the due date, by the due time.
    OnDue,
    /// Quá hạn.
    Late,
    /// Trả lại: refused, withdrawn, stopped or not accepted.
    Returned,
}

impl Outcome {
    pub fn name_vi(self) -> &'static str {
        match self {
            Outcome::Early => "giải quyết trước hạn",
            Outcome::OnDue => "giải quyết đúng hạn",
            Outcome::Late => "giải quyết quá hạn",
            Outcome::Returned => "trả lại, rút hoặc dừng xử lý",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DossierError {
    #[error("Hồ sơ {id}: sự kiện đầu tiên phải là tiếp nhận")]
    NotReceivedFirst { id: String },
    #[error("Hồ sơ {id} đang ở trạng thái \"{status}\", không thể {action} (lúc {at})")]
    IllegalTransition { id: String, status: &'static str, action: &'static str, at: String },
    #[error("Hồ sơ {id}: các sự kiện phải theo thứ tự thời gian (sự kiện lúc {at})")]
    OutOfOrder { id: String, at: String },
}

/// A dossier as of a moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DossierState {
    pub status: Status,
    pub received_at: NaiveDateTime,
    pub channel: Channel,
    /// Ngày hẹn trả as it stands (shifted by pauses, reset by extensions).
    pub due: NaiveDateTime,
    /// When and how it ended, if it did.
    pub outcome: Option<(Outcome, NaiveDateTime)>,
    pub apology_letters: Vec<NaiveDateTime>,
    pub result_returned: Option<(Channel, NaiveDateTime)>,
    pub paid_online: bool,
    /// A fee or charge was paid (nghĩa vụ tài chính đã thực hiện), online or not.
    pub fee_paid: bool,
    /// Working minutes left when the clock was stopped (while awaiting a supplement or a fee).
    paused_left: Option<i64>,
}

/// The due date of a receipt at `t` for a procedure's processing time.
pub fn initial_due(cal: &WorkCalendar, t: NaiveDateTime, time: ProcessingTime) -> NaiveDateTime {
    match time {
        ProcessingTime::WorkingDays(n) => cal.due_after_working_days(t, n),
        ProcessingTime::WorkingHours(h) => cal.add_working_hours(cal.effective_start(t), h as i64),
        ProcessingTime::CalendarDays(n) => {
            (t.date() + Duration::days(n as i64)).and_time(NaiveTime::from_hms_opt(17, 0, 0).expect("valid"))
        }
    }
}

fn action_vi(k: &EventKind) -> &'static str {
    match k {
        EventKind::Received { .. } => "tiếp nhận",
        EventKind::NotAccepted => "từ chối tiếp nhận",
        EventKind::Transferred { .. } => "chuyển liên thông",
        EventKind::SupplementRequested => "yêu cầu bổ sung",
        EventKind::SupplementProvided => "nhận bổ sung",
        EventKind::FeeRequested => "yêu cầu thực hiện nghĩa vụ tài chính",
        EventKind::FeePaid { .. } => "ghi nhận nghĩa vụ tài chính",
        EventKind::Extended { .. } => "gia hạn",
        EventKind::Resolved => "ghi nhận đã xử lý xong",
        EventKind::Refused => "từ chối giải quyết",
        EventKind::Withdrawn => "ghi nhận công dân rút hồ sơ",
        EventKind::Stopped => "dừng xử lý",
        EventKind::ResultReturned { .. } => "trả kết quả",
    }
}

/// The kinds of event the counter may record on a dossier in state `s` at the moment `at`, in
/// the order of [`EventTag::ALL`] (each with its Vietnamese name, [`EventTag::name_vi`]): what
/// the event form offers and what `cchc_app::counter::record_event` accepts. A receipt is never
/// offered (it has its own form); "không tiếp nhận" only on the day of the receipt, as
/// [`replay`] allows it.
pub fn offered_events(s: &DossierState, at: NaiveDateTime) -> Vec<EventTag> {
    use Status::*;
    let open = matches!(s.status, InProgress | AwaitingSupplement | AwaitingFee);
    EventTag::ALL
        .into_iter()
        .filter(|tag| match tag {
            EventTag::Received => false,
            EventTag::NotAccepted => s.status == InProgress && at.date() == s.received_at.date(),
            EventTag::Transferred | EventTag::Extended | EventTag::SupplementRequested | EventTag::FeeRequested | EventTag::Resolved => {
                s.status == InProgress
            }
            EventTag::SupplementProvided => s.status == AwaitingSupplement,
            EventTag::FeePaid => s.status == AwaitingFee,
            EventTag::Refused | EventTag::Withdrawn | EventTag::Stopped => open,
            EventTag::ResultReturned => s.status == Resolved,
        })
        .collect()
}

/// Replays the dossier's events up to `until` (all of them if `None`).
pub fn replay(d: &Dossier, p: &Procedure, cal: &WorkCalendar, until: Option<NaiveDateTime>) -> Result<DossierState, DossierError> {
    let mut s = start_state(d, p, cal)?;
    let mut last = s.received_at;
    for e in d.events.iter().skip(1).take_while(|e| until.is_none_or(|u| e.at <= u)) {
        apply_event(&mut s, d, e, &mut last, cal)?;
    }
    Ok(s)
}

/// The state right after the receipt, the dossier's first event.
pub(crate) fn start_state(d: &Dossier, p: &Procedure, cal: &WorkCalendar) -> Result<DossierState, DossierError> {
    let first = d.events.first().ok_or_else(|| DossierError::NotReceivedFirst { id: d.id.clone() })?;
    let EventKind::Received { channel } = first.kind else { return Err(DossierError::NotReceivedFirst { id: d.id.clone() }) };
    Ok(DossierState {
        status: Status::InProgress,
        received_at: first.at,
        channel,
        due: initial_due(cal, first.at, p.time),
        outcome: None,
        apology_letters: Vec::new(),
        result_returned: None,
        paid_online: false,
        fee_paid: false,
        paused_left: None,
    })
}

/// Applies one later event (`last`: the previous event's moment, to check the order).
pub(crate) fn apply_event(
    s: &mut DossierState,
    d: &Dossier,
    e: &Event,
    last: &mut NaiveDateTime,
    cal: &WorkCalendar,
) -> Result<(), DossierError> {
    if e.at < *last {
        return Err(DossierError::OutOfOrder { id: d.id.clone(), at: cchc_format_moment(e.at) });
    }
    *last = e.at;
    apply(s, &e.kind, e.at, cal).map_err(|status| DossierError::IllegalTransition {
        id: d.id.clone(),
        status,
        action: action_vi(&e.kind),
        at: cchc_format_moment(e.at),
    })
}

impl DossierState {
    /// The clock is stopped (awaiting a supplement or a fee).
    pub fn is_paused(&self) -> bool {
        matches!(self.status, Status::AwaitingSupplement | Status::AwaitingFee)
    }
}

fn cchc_format_moment(t: NaiveDateTime) -> String {
    format!("{} {}", cchc_format::date(t.date()), t.format("%H:%M"))
}

/// Applies one event, or returns the Vietnamese name of the status that forbids it.
fn apply(s: &mut DossierState, k: &EventKind, at: NaiveDateTime, cal: &WorkCalendar) -> Result<(), &'static str> {
    use Status::*;
    let refuse = |s: &DossierState| Err(s.status.name_vi());
    match (s.status, k) {
        (InProgress, EventKind::NotAccepted) if at.date() == s.received_at.date() => finish(s, NotAccepted, Outcome::Returned, at),
        (InProgress, EventKind::Transferred { .. }) => {}
        (InProgress, EventKind::Extended { new_due, apology }) => {
            s.due = *new_due;
            if *apology {
                s.apology_letters.push(at);
            }
        }
        (InProgress, EventKind::SupplementRequested) => pause(s, AwaitingSupplement, at, cal),
        (InProgress, EventKind::FeeRequested) => pause(s, AwaitingFee, at, cal),
        (AwaitingSupplement, EventKind::SupplementProvided) => resume(s, at, cal),
        (AwaitingFee, EventKind::FeePaid { online }) => {
            s.paid_online = *online;
            s.fee_paid = true;
            resume(s, at, cal);
        }
        (InProgress, EventKind::Resolved) => {
            let o = if at > s.due {
                Outcome::Late
            } else if at.date() == s.due.date() {
                Outcome::OnDue
            } else {
                Outcome::Early
            };
            finish(s, Resolved, o, at);
        }
        (InProgress | AwaitingSupplement | AwaitingFee, EventKind::Refused) => finish(s, Refused, Outcome::Returned, at),
        (InProgress | AwaitingSupplement | AwaitingFee, EventKind::Withdrawn) => finish(s, Withdrawn, Outcome::Returned, at),
        (InProgress | AwaitingSupplement | AwaitingFee, EventKind::Stopped) => finish(s, Stopped, Outcome::Returned, at),
        (Resolved, EventKind::ResultReturned { channel }) => {
            s.status = ResultReturned;
            s.result_returned = Some((*channel, at));
        }
        _ => return refuse(s),
    }
    Ok(())
}

fn finish(s: &mut DossierState, status: Status, o: Outcome, at: NaiveDateTime) {
    s.status = status;
    s.outcome = Some((o, at));
}

/// The clock stops: keep the working time that was left.
fn pause(s: &mut DossierState, status: Status, at: NaiveDateTime, cal: &WorkCalendar) {
    s.paused_left = Some(cal.working_minutes_between(at, s.due));
    s.status = status;
}

/// The clock restarts from the next office time with the working time that was left.
fn resume(s: &mut DossierState, at: NaiveDateTime, cal: &WorkCalendar) {
    let left = s.paused_left.take().unwrap_or(0);
    s.due = cal.add_working_minutes(cal.effective_start(at), left);
    s.status = Status::InProgress;
}
