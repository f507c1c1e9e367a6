//! Citizens' feedback and petitions (phản ánh, kiến nghị: PAKN): intake from any channel, the
//! procedure or dossier concerned, assignment, the answer and its due date in working days; the
//! figures received, answered and answered in time are derived from them.
//!
//! The due date is not stored: it is `time_limit` working days after the day of receipt (a
//! receipt on a day off counts from the next working day), on the calendar in force, a caller-
//! given predicate as in [`crate::state`]. So an answer one working day after the due date is
//! late even when a holiday lies between them, and one on the due date is in time.
//!
//! The sender is personal data (Decree 13/2023/NĐ-CP): only a name and one way to answer are
//! kept; whoever is not an officer of the handling unit sees them masked (the application does
//! it, with the dossiers' masking).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The processing time when the intake does not say (ngày làm việc).
pub const DEFAULT_TIME_LIMIT: u32 = 10;
/// The longest processing time accepted (ngày làm việc).
pub const MAX_TIME_LIMIT: u32 = 60;
/// The longest text kept of a content or an answer (characters).
pub const MAX_TEXT: usize = 4_000;

/// How feedback reached the unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Channel {
    /// At the one-stop counter (trực tiếp tại Bộ phận Một cửa).
    Counter,
    /// By telephone, the hotline (đường dây nóng).
    Hotline,
    /// The public service portal's or the government's feedback system (Cổng Dịch vụ công).
    Portal,
    /// E-mail (thư điện tử).
    Email,
    /// A letter by post (thư, đơn qua bưu chính).
    Mail,
    /// The suggestion box at the counter (hộp thư góp ý).
    SuggestionBox,
    /// Forwarded by a competent body (do cơ quan có thẩm quyền chuyển đến).
    Forwarded,
    /// Anything else (hội nghị đối thoại, báo chí, …).
    Other,
}

impl Channel {
    pub const ALL: [Channel; 8] = [
        Channel::Counter,
        Channel::Hotline,
        Channel::Portal,
        Channel::Email,
        Channel::Mail,
        Channel::SuggestionBox,
        Channel::Forwarded,
        Channel::Other,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Channel::Counter => "truc-tiep",
            Channel::Hotline => "duong-day-nong",
            Channel::Portal => "cong-dich-vu-cong",
            Channel::Email => "thu-dien-tu",
            Channel::Mail => "buu-chinh",
            Channel::SuggestionBox => "hop-thu-gop-y",
            Channel::Forwarded => "chuyen-den",
            Channel::Other => "khac",
        }
    }

    pub fn name_vi(self) -> &'static str {
        match self {
            Channel::Counter => "Trực tiếp tại Bộ phận Một cửa",
            Channel::Hotline => "Đường dây nóng",
            Channel::Portal => "Cổng Dịch vụ công",
            Channel::Email => "Thư điện tử",
            Channel::Mail => "Thư, đơn qua bưu chính",
            Channel::SuggestionBox => "Hộp thư góp ý",
            Channel::Forwarded => "Cơ quan có thẩm quyền chuyển đến",
            Channel::Other => "Khác",
        }
    }

    pub fn from_slug(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.slug() == s)
    }
}

/// Who sent the feedback: a name and a way to answer, nothing more.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sender {
    /// Họ và tên (or an organisation's name).
    pub name: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// Địa chỉ (to answer by post).
    #[serde(default)]
    pub address: Option<String>,
}

/// The answer (văn bản, nội dung trả lời).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// Ngày trả lời.
    pub on: NaiveDate,
    pub text: String,
    /// Who recorded it (user name).
    #[serde(default)]
    pub by: String,
}

/// One piece of feedback. `id` is the store's (0 before it is stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feedback {
    pub id: i64,
    /// The unit that received it (mã đơn vị): whose records it is.
    pub unit: String,
    pub channel: Channel,
    /// Ngày tiếp nhận.
    pub received_on: NaiveDate,
    pub sender: Sender,
    /// Nội dung phản ánh, kiến nghị.
    pub content: String,
    /// The procedure concerned (mã TTHC), when it names one.
    #[serde(default)]
    pub procedure: Option<String>,
    /// The dossier concerned (its receipt code), when it names one.
    #[serde(default)]
    pub dossier: Option<String>,
    /// Đơn vị xử lý: the receiving unit or a unit of its subtree it assigned it to.
    pub handler_unit: String,
    /// Cán bộ xử lý (user name), once assigned.
    #[serde(default)]
    pub handler: Option<String>,
    /// Thời hạn xử lý, in working days from the day of receipt.
    pub time_limit: u32,
    #[serde(default)]
    pub answer: Option<Answer>,
}

/// The state of feedback on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Received, nobody assigned yet, not past its due date.
    New,
    /// Assigned, not answered, not past its due date.
    InProgress,
    /// Not answered and past its due date.
    Overdue,
    AnsweredOnTime,
    AnsweredLate,
}

impl Status {
    pub const ALL: [Status; 5] = [Status::New, Status::InProgress, Status::Overdue, Status::AnsweredOnTime, Status::AnsweredLate];

    pub fn slug(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::InProgress => "in-progress",
            Status::Overdue => "overdue",
            Status::AnsweredOnTime => "answered",
            Status::AnsweredLate => "answered-late",
        }
    }

    pub fn name_vi(self) -> &'static str {
        match self {
            Status::New => "Mới tiếp nhận, chưa phân công",
            Status::InProgress => "Đang xử lý",
            Status::Overdue => "Quá hạn chưa trả lời",
            Status::AnsweredOnTime => "Đã trả lời đúng hạn",
            Status::AnsweredLate => "Đã trả lời quá hạn",
        }
    }

    pub fn from_slug(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|k| k.slug() == s)
    }

    pub fn is_answered(self) -> bool {
        match self {
            Status::AnsweredOnTime | Status::AnsweredLate => true,
            Status::New | Status::InProgress | Status::Overdue => false,
        }
    }
}

/// The day `n` working days after `d` (a day off `d` counts from the next working day).
pub fn add_working_days(d: NaiveDate, n: u32, is_working_day: &dyn Fn(NaiveDate) -> bool) -> NaiveDate {
    let mut x = crate::state::effective_deadline(d, is_working_day);
    for _ in 0..n {
        match x.succ_opt() {
            Some(next) => x = crate::state::effective_deadline(next, is_working_day),
            None => return x,
        }
    }
    x
}

impl Feedback {
    /// Hạn trả lời: `time_limit` working days after the day of receipt.
    pub fn due_on(&self, is_working_day: &dyn Fn(NaiveDate) -> bool) -> NaiveDate {
        add_working_days(self.received_on, self.time_limit, is_working_day)
    }

    /// The answer, when given on or before `at`.
    pub fn answered_by(&self, at: NaiveDate) -> Option<&Answer> {
        self.answer.as_ref().filter(|a| a.on <= at)
    }

    /// The state on day `at`: answered by then (on or before its due date: in time), else
    /// overdue after its due date, else in progress once assigned, else new.
    pub fn status_on(&self, at: NaiveDate, is_working_day: &dyn Fn(NaiveDate) -> bool) -> Status {
        let due = self.due_on(is_working_day);
        match self.answered_by(at) {
            Some(a) if a.on <= due => Status::AnsweredOnTime,
            Some(_) => Status::AnsweredLate,
            None if due < at => Status::Overdue,
            None if self.handler.is_some() => Status::InProgress,
            None => Status::New,
        }
    }

    /// The working days left on `today` before the due date (0: due today), `None` when answered
    /// or overdue.
    pub fn working_days_left(&self, today: NaiveDate, is_working_day: &dyn Fn(NaiveDate) -> bool) -> Option<u32> {
        if self.answered_by(today).is_some() {
            return None;
        }
        crate::state::working_days_until(today, self.due_on(is_working_day), is_working_day)
    }

    /// Every problem of the record on `today` (dates after it are refused), by field as its
    /// forms name them.
    pub fn problems(&self, today: NaiveDate) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if self.unit.trim().is_empty() {
            out.push(("Đơn vị tiếp nhận", "chưa chọn đơn vị tiếp nhận".to_string()));
        }
        if self.received_on > today {
            out.push((
                "Ngày tiếp nhận",
                format!("ngày tiếp nhận {} sau ngày hôm nay {}", cchc_format::date(self.received_on), cchc_format::date(today)),
            ));
        }
        if self.sender.name.trim().is_empty() {
            out.push(("Họ tên người phản ánh", "chưa nhập họ tên người (tổ chức) phản ánh, kiến nghị".to_string()));
        }
        if let Some(p) = &self.sender.phone {
            let digits = p.chars().filter(char::is_ascii_digit).count();
            if p.chars().any(|c| !(c.is_ascii_digit() || " .+-()".contains(c))) || !(8..=15).contains(&digits) {
                out.push(("Số điện thoại", format!("\"{p}\" không phải số điện thoại (8–15 chữ số, ví dụ 0912 345 678)")));
            }
        }
        if let Some(e) = &self.sender.email
            && !e.split_once('@').is_some_and(|(a, b)| !a.is_empty() && b.contains('.') && !e.contains(char::is_whitespace))
        {
            out.push(("Thư điện tử", format!("\"{e}\" không phải địa chỉ thư điện tử (ví dụ ten@gmail.com)")));
        }
        if self.content.trim().is_empty() {
            out.push(("Nội dung", "chưa nhập nội dung phản ánh, kiến nghị".to_string()));
        } else if self.content.chars().count() > MAX_TEXT {
            out.push(("Nội dung", format!("nội dung dài quá {} ký tự", cchc_format::int(MAX_TEXT as i64))));
        }
        if let Some(code) = &self.procedure
            && (code.is_empty() || code.chars().any(|c| !(c.is_ascii_alphanumeric() || ".-_".contains(c))))
        {
            out.push(("Mã TTHC", format!("\"{code}\" không phải mã thủ tục hành chính (ví dụ 1.001234)")));
        }
        if let Some(code) = &self.dossier
            && (code.is_empty() || code.chars().any(char::is_whitespace))
        {
            out.push(("Mã hồ sơ", format!("\"{code}\" không phải mã hồ sơ (mã trên giấy tiếp nhận, không có khoảng trắng)")));
        }
        if self.handler_unit.trim().is_empty() {
            out.push(("Đơn vị xử lý", "chưa chọn đơn vị xử lý".to_string()));
        }
        if !(1..=MAX_TIME_LIMIT).contains(&self.time_limit) {
            out.push(("Thời hạn xử lý", format!("thời hạn xử lý phải từ 1 đến {MAX_TIME_LIMIT} ngày làm việc")));
        }
        if let Some(a) = &self.answer {
            if a.on < self.received_on {
                out.push((
                    "Ngày trả lời",
                    format!("ngày trả lời {} trước ngày tiếp nhận {}", cchc_format::date(a.on), cchc_format::date(self.received_on)),
                ));
            }
            if a.on > today {
                out.push((
                    "Ngày trả lời",
                    format!("ngày trả lời {} sau ngày hôm nay {}", cchc_format::date(a.on), cchc_format::date(today)),
                ));
            }
            if a.text.trim().is_empty() {
                out.push(("Nội dung trả lời", "chưa nhập nội dung trả lời".to_string()));
            } else if a.text.chars().count() > MAX_TEXT {
                out.push(("Nội dung trả lời", format!("nội dung trả lời dài quá {} ký tự", cchc_format::int(MAX_TEXT as i64))));
            }
        }
        out
    }
}

/// What a unit's feedback was in a window: the feedback received in it and that carried over
/// (received before, unanswered when it began), and of those, how it stood on its last day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Received within the window.
    pub received_new: u64,
    /// Received before the window and not answered when it began (kỳ trước chuyển sang).
    pub carried_over: u64,
    /// Answered within the window: in time, late.
    pub answered_on_time: u64,
    pub answered_late: u64,
    /// Not answered by the window's last day, and of those past their due date then.
    pub open: u64,
    pub overdue: u64,
}

impl Tally {
    pub fn of<'a>(items: impl IntoIterator<Item = &'a Feedback>, from: NaiveDate, to: NaiveDate, w: &dyn Fn(NaiveDate) -> bool) -> Tally {
        let mut t = Tally::default();
        for f in items {
            if f.received_on > to || f.answer.as_ref().is_some_and(|a| a.on < from) {
                continue;
            }
            if f.received_on < from {
                t.carried_over += 1;
            } else {
                t.received_new += 1;
            }
            match f.status_on(to, w) {
                Status::AnsweredOnTime => t.answered_on_time += 1,
                Status::AnsweredLate => t.answered_late += 1,
                Status::Overdue => {
                    t.open += 1;
                    t.overdue += 1;
                }
                Status::New | Status::InProgress => t.open += 1,
            }
        }
        t
    }

    /// Received new and carried over: what the window handled.
    pub fn received(&self) -> u64 {
        self.received_new + self.carried_over
    }

    pub fn answered(&self) -> u64 {
        self.answered_on_time + self.answered_late
    }
}

/// Every name [`figure`] answers (a catalogue's `source`, also listed in
/// [`crate::figures::SOURCES`]).
pub const SOURCES: [&str; 6] = [
    "feedback_received",
    "feedback_received_new",
    "feedback_answered",
    "feedback_answered_on_time",
    "feedback_answered_late",
    "feedback_overdue",
];

/// The figure a catalogue's `source` names.
pub fn figure(t: &Tally, source: &str) -> Option<u64> {
    match source {
        "feedback_received" => Some(t.received()),
        "feedback_received_new" => Some(t.received_new),
        "feedback_answered" => Some(t.answered()),
        "feedback_answered_on_time" => Some(t.answered_on_time),
        "feedback_answered_late" => Some(t.answered_late),
        "feedback_overdue" => Some(t.overdue),
        _ => None,
    }
}

/// What pre-filled entries say about where they come from.
pub const SOURCE: &str = "Sổ theo dõi tiếp nhận, xử lý phản ánh, kiến nghị";

/// Entries (totals) for every indicator of the catalogue whose `source` is one of these figures.
pub fn prefill(t: &Tally, catalogue: &cchc_catalogue::Catalogue) -> Vec<cchc_report::Entry> {
    use cchc_report::{Entry, Key, Value};
    catalogue
        .value_indicators()
        .filter_map(|ind| {
            let n = figure(t, ind.source.as_deref()?)?;
            Some(Entry {
                source: Some(SOURCE.into()),
                ..Entry::new(Key::total(&ind.code), Value::Int(i64::try_from(n).unwrap_or(i64::MAX)))
            })
        })
        .collect()
}

/// The sentence section I says of a unit's feedback in a window (empty when there was none).
pub fn sentence(t: &Tally) -> String {
    if t.received() == 0 {
        return String::new();
    }
    let n = |v: u64| cchc_format::int(v as i64);
    let mut s = format!("- Tiếp nhận {} phản ánh, kiến nghị của cá nhân, tổ chức", n(t.received()));
    if t.carried_over > 0 {
        s.push_str(&format!(" (trong đó {} kỳ trước chuyển sang)", n(t.carried_over)));
    }
    s.push_str(&format!("; đã trả lời {}", n(t.answered())));
    if t.answered() > 0 {
        s.push_str(&format!(" (đúng hạn {}, quá hạn {})", n(t.answered_on_time), n(t.answered_late)));
    }
    if t.open > 0 {
        s.push_str(&format!("; đang xử lý {}", n(t.open)));
        if t.overdue > 0 {
            s.push_str(&format!(", trong đó {} quá hạn", n(t.overdue)));
        }
    }
    s.push('.');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_channel_and_status_round_trips_through_its_slug() {
        for c in Channel::ALL {
            assert_eq!(Channel::from_slug(c.slug()), Some(c));
        }
        for s in Status::ALL {
            assert_eq!(Status::from_slug(s.slug()), Some(s));
        }
    }

    #[test]
    fn every_source_is_a_figure() {
        for s in SOURCES {
            assert!(figure(&Tally::default(), s).is_some(), "{s}");
            assert!(crate::figures::SOURCES.contains(&s), "{s}");
        }
        assert_eq!(figure(&Tally::default(), "plan_tasks_total"), None);
    }
}
