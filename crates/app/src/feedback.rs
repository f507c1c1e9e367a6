//! Citizens' feedback and petitions (phản ánh, kiến nghị: PAKN, issue 14 item 4): the use cases
//! of intake, assignment and answer, the lists (search, filters, due soon, overdue), and the
//! figures a report and Decision 766 take from them.
//!
//! Who may do what: whoever reads a unit's reports reads the feedback it received or was assigned
//! (a unit officer their unit, the compiling office and leaders the subtree); a unit officer
//! receives feedback for their unit, the compiling office for its subtree, an administrator for
//! every unit; the receiving unit's keepers assign it to a unit of its subtree (and an officer of
//! that unit); the handling unit's keepers and the receiving unit's answer it; leaders only read.
//! The sender is personal data: shown in full only to the officers of the receiving and the
//! handling unit and to the assigned officer, masked as the dossiers' applicants
//! ([`cchc_dossiers::mask`]) for everyone else. Every change is audited by the store in its
//! transaction, and a change based on a stale version is refused.

use cchc_catalogue::Catalogue;
use cchc_periods::{DateRange, Period, WindowRule};
use cchc_records::feedback::{self, Answer, Channel, Feedback, Status, Tally};
use cchc_report::UnitReport;
use cchc_storage::feedback::FeedbackQuery;
use cchc_storage::{Role, Store, StoreError, User, Versioned};
use cchc_units::UnitTree;
use chrono::NaiveDate;

use crate::access;
use crate::app::App;
use crate::error::{Error, Problem, Result};
use crate::plans::can_keep;

const NO_READ: &str = "Bạn không có quyền xem phản ánh, kiến nghị của đơn vị này.";
const NO_KEEP: &str = "Bạn không có quyền tiếp nhận, phân công hoặc trả lời phản ánh, kiến nghị của đơn vị này.";

/// Today in Vietnam.
pub fn today() -> NaiveDate {
    cchc_storage::now().date()
}

fn conflict(e: StoreError) -> Error {
    match e {
        StoreError::Conflict { expected, found } => Error::Conflict(format!(
            "Phản ánh, kiến nghị đã được người khác sửa (phiên bản hiện tại {found}, bạn đang sửa phiên bản {expected}); chưa lưu gì. Hãy tải lại rồi sửa lại."
        )),
        other => other.into(),
    }
}

fn invalid(problems: Vec<(&str, String)>) -> Error {
    Error::Invalid {
        summary: "Phản ánh, kiến nghị chưa lưu được; hãy sửa các mục sau.".into(),
        problems: problems.into_iter().map(|(f, m)| Problem::at(f, m)).collect(),
    }
}

/// Whether `user` reads feedback `f`: a reader of its receiving or its handling unit.
fn can_read(user: &User, tree: &UnitTree, f: &Feedback) -> bool {
    access::can_read(user, tree, &f.unit) || access::can_read(user, tree, &f.handler_unit)
}

/// Whether `user` sees `f`'s sender in full: an officer of its receiving or handling unit, its
/// assigned officer, the command line's account.
pub fn sees_sender(user: &User, f: &Feedback) -> bool {
    let officer = matches!(user.role, Role::UnitOfficer | Role::Compiler) && (user.unit_code == f.unit || user.unit_code == f.handler_unit);
    officer || f.handler.as_deref() == Some(user.username.as_str()) || access::is_command_line(user)
}

/// `f` with its sender masked ([`cchc_dossiers::mask`]).
pub fn masked(mut f: Feedback) -> Feedback {
    use cchc_dossiers::mask;
    f.sender.name = mask::name(&f.sender.name);
    f.sender.phone = f.sender.phone.as_deref().map(mask::phone);
    f.sender.email = f.sender.email.as_deref().map(mask::email);
    f.sender.address = f.sender.address.as_deref().map(mask::address);
    f
}

/// Feedback as the lists and pages show it: as the acting user may see it, with its due date,
/// state and what the user may do.
#[derive(Debug, Clone)]
pub struct Row {
    pub feedback: Feedback,
    pub version: i64,
    pub due_on: NaiveDate,
    pub status: Status,
    /// Working days left before the due date (`None`: answered or overdue).
    pub days_left: Option<u32>,
    /// Whether the sender is shown in full.
    pub full: bool,
    /// Whether the acting user may assign it (its receiving unit's keepers).
    pub can_assign: bool,
    /// Whether the acting user may answer it (the receiving or the handling unit's keepers).
    pub can_answer: bool,
}

fn row(actor: &User, tree: &UnitTree, v: Versioned<Feedback>, today: NaiveDate, w: &dyn Fn(NaiveDate) -> bool) -> Row {
    let f = v.value;
    let full = sees_sender(actor, &f);
    let can_assign = can_keep(actor, tree, &f.unit);
    let can_answer = can_assign || can_keep(actor, tree, &f.handler_unit);
    Row {
        due_on: f.due_on(w),
        status: f.status_on(today, w),
        days_left: f.working_days_left(today, w),
        version: v.version,
        full,
        can_assign,
        can_answer,
        feedback: if full { f } else { masked(f) },
    }
}

/// Which feedback [`list`] shows.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Contains (content, procedure code, dossier code).
    pub text: String,
    pub channel: Option<Channel>,
    pub status: Option<Status>,
    /// Received within these days.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Not answered and due within this many working days (sắp đến hạn).
    pub due_within: Option<u32>,
}

/// A unit's feedback: received by it or assigned to it.
#[derive(Debug, Clone)]
pub struct Listing {
    pub unit: cchc_units::Unit,
    pub rows: Vec<Row>,
    /// Whether the acting user may receive feedback for the unit.
    pub can_receive: bool,
}

/// The feedback `unit` received or was assigned, as it stands on `today`, filtered.
pub async fn list(app: &App, actor: &User, unit: &str, q: &ListQuery, today: NaiveDate) -> Result<Listing> {
    let tree = app.tree().await?;
    let u = tree.get(unit).ok_or_else(|| Error::NotFound(format!("đơn vị {unit}")))?.clone();
    if !access::can_read(actor, &tree, unit) {
        return Err(Error::Forbidden(NO_READ.into()));
    }
    let answered = match q.status {
        Some(s) => Some(s.is_answered()),
        None if q.due_within.is_some() => Some(false),
        None => None,
    };
    let query = FeedbackQuery {
        units: vec![unit.to_string()],
        from: q.from,
        to: q.to,
        channel: q.channel,
        answered,
        text: q.text.clone(),
        limit: 2_000,
    };
    let cal = app.calendar();
    let w = |d| cal.is_working_day(d);
    let rows = app
        .store
        .feedback_list(&query)
        .await?
        .into_iter()
        .map(|v| row(actor, &tree, v, today, &w))
        .filter(|r| q.status.is_none_or(|s| r.status == s))
        .filter(|r| q.due_within.is_none_or(|n| r.days_left.is_some_and(|d| d <= n)))
        .collect();
    Ok(Listing { unit: u, rows, can_receive: can_keep(actor, &tree, unit) })
}

/// One piece of feedback as `actor` may see it (another unit's is not shown as existing).
pub async fn get(app: &App, actor: &User, id: i64) -> Result<Row> {
    let tree = app.tree().await?;
    let v = app.store.feedback(id).await?.filter(|v| can_read(actor, &tree, &v.value));
    let v = v.ok_or_else(|| Error::NotFound(format!("phản ánh, kiến nghị số {id}")))?;
    let cal = app.calendar();
    Ok(row(actor, &tree, v, today(), &|d| cal.is_working_day(d)))
}

/// The problems of `f` against the unit tree, the procedures and the dossiers: units that
/// exist, a handling unit within the receiving unit's subtree, an officer of the handling unit,
/// a procedure of the list, a dossier that exists.
/// What an intake and its correction both do before storing: the dossier names the procedure
/// when the intake does not, then every problem is refused ([`problems`]).
async fn completed_and_checked(app: &App, tree: &UnitTree, f: &mut Feedback) -> Result<()> {
    if f.procedure.is_none()
        && let Some(code) = f.dossier.as_deref()
        && let Some(d) = app.store.dossier(code).await?
    {
        f.procedure = Some(d.procedure.clone());
    }
    let problems = problems(app, tree, f, today()).await?;
    if problems.is_empty() { Ok(()) } else { Err(invalid(problems)) }
}

async fn problems(app: &App, tree: &UnitTree, f: &Feedback, today: NaiveDate) -> Result<Vec<(&'static str, String)>> {
    let mut p = f.problems(today);
    if !f.unit.is_empty() && tree.get(&f.unit).is_none() {
        p.push(("Đơn vị tiếp nhận", format!("không có đơn vị \"{}\"", f.unit)));
    }
    if !f.handler_unit.is_empty() {
        if tree.get(&f.handler_unit).is_none() {
            p.push(("Đơn vị xử lý", format!("không có đơn vị \"{}\"", f.handler_unit)));
        } else if !tree.is_within(&f.handler_unit, &f.unit) {
            p.push(("Đơn vị xử lý", format!("đơn vị {} không trực thuộc đơn vị tiếp nhận, không giao xử lý được", f.handler_unit)));
        }
    }
    if let Some(h) = &f.handler {
        match app.store.user(h).await? {
            Some(u) if access::can_handle(&u, &f.handler_unit) => {}
            _ => p.push(("Cán bộ xử lý", format!("\"{h}\" không phải cán bộ đang làm việc của đơn vị xử lý {}", f.handler_unit))),
        }
    }
    if let Some(code) = f.procedure.as_deref().filter(|c| !c.is_empty())
        && !f.problems(today).iter().any(|(field, _)| *field == "Mã TTHC")
        && !app.store.procedures().await?.iter().any(|x| x.code == code)
    {
        p.push(("Mã TTHC", format!("không có thủ tục hành chính mã \"{code}\" trong danh mục")));
    }
    if let Some(code) = f.dossier.as_deref().filter(|c| !c.is_empty() && !c.chars().any(char::is_whitespace))
        && app.store.dossier(code).await?.is_none()
    {
        p.push(("Mã hồ sơ", format!("không có hồ sơ mã \"{code}\"")));
    }
    Ok(p)
}

/// What an officer types at intake.
#[derive(Debug, Clone)]
pub struct Intake {
    pub unit: String,
    pub channel: Channel,
    pub received_on: NaiveDate,
    pub sender: feedback::Sender,
    pub content: String,
    pub procedure: Option<String>,
    pub dossier: Option<String>,
    /// Thời hạn xử lý in working days ([`feedback::DEFAULT_TIME_LIMIT`] when `None`).
    pub time_limit: Option<u32>,
}

/// Receives feedback for `intake.unit` (handled by that unit until assigned).
pub async fn receive(app: &App, actor: &User, intake: Intake) -> Result<Versioned<Feedback>> {
    let tree = app.tree().await?;
    if tree.get(&intake.unit).is_none() {
        return Err(Error::NotFound(format!("đơn vị {}", intake.unit)));
    }
    if !can_keep(actor, &tree, &intake.unit) {
        return Err(Error::Forbidden(NO_KEEP.into()));
    }
    let mut f = Feedback {
        id: 0,
        handler_unit: intake.unit.clone(),
        unit: intake.unit,
        channel: intake.channel,
        received_on: intake.received_on,
        sender: intake.sender,
        content: intake.content.trim().to_string(),
        procedure: intake.procedure,
        dossier: intake.dossier,
        handler: None,
        time_limit: intake.time_limit.unwrap_or(feedback::DEFAULT_TIME_LIMIT),
        answer: None,
    };
    completed_and_checked(app, &tree, &mut f).await?;
    Ok(app.store.insert_feedback(&f, &actor.username).await?)
}

async fn stored(app: &App, actor: &User, tree: &UnitTree, id: i64) -> Result<Versioned<Feedback>> {
    let v = app.store.feedback(id).await?.filter(|v| can_read(actor, tree, &v.value));
    v.ok_or_else(|| Error::NotFound(format!("phản ánh, kiến nghị số {id}")))
}

/// Assigns feedback `id` (based on `version`) to `handler_unit`, a unit of the receiving unit's
/// subtree, and optionally one of its officers; the new version.
pub async fn assign(app: &App, actor: &User, id: i64, version: i64, handler_unit: &str, handler: Option<String>) -> Result<i64> {
    let tree = app.tree().await?;
    let v = stored(app, actor, &tree, id).await?;
    if !can_keep(actor, &tree, &v.value.unit) {
        return Err(Error::Forbidden(NO_KEEP.into()));
    }
    if v.value.answer.is_some() {
        return Err(Error::invalid("Phản ánh, kiến nghị đã được trả lời, không phân công lại được."));
    }
    let f = Feedback { handler_unit: handler_unit.trim().to_string(), handler: handler.filter(|h| !h.trim().is_empty()), ..v.value };
    let problems = problems(app, &tree, &f, today()).await?;
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    app.store.update_feedback(&f, version, &actor.username, "phân công xử lý phản ánh, kiến nghị").await.map_err(conflict)
}

/// What an intake said that may be put right while the feedback is not answered: a wrong
/// channel, day of receipt, content, procedure or dossier (the sender and the processing time
/// stay as received).
#[derive(Debug, Clone)]
pub struct Correction {
    pub channel: Channel,
    pub received_on: NaiveDate,
    pub content: String,
    pub procedure: Option<String>,
    pub dossier: Option<String>,
}

/// Corrects the intake of feedback `id` (based on `version`): by the receiving unit's keepers,
/// while it is not answered, checked as at intake (a dossier named without a procedure names its
/// procedure), audited "sửa thông tin tiếp nhận phản ánh, kiến nghị"; the new version.
pub async fn correct(app: &App, actor: &User, id: i64, version: i64, c: Correction) -> Result<i64> {
    let tree = app.tree().await?;
    let v = stored(app, actor, &tree, id).await?;
    if !can_keep(actor, &tree, &v.value.unit) {
        return Err(Error::Forbidden(NO_KEEP.into()));
    }
    if v.value.answer.is_some() {
        return Err(Error::invalid("Phản ánh, kiến nghị đã được trả lời, không sửa thông tin tiếp nhận được nữa."));
    }
    let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let mut f = Feedback {
        channel: c.channel,
        received_on: c.received_on,
        content: c.content.trim().to_string(),
        procedure: clean(c.procedure),
        dossier: clean(c.dossier),
        ..v.value
    };
    completed_and_checked(app, &tree, &mut f).await?;
    app.store.update_feedback(&f, version, &actor.username, "sửa thông tin tiếp nhận phản ánh, kiến nghị").await.map_err(conflict)
}

/// Records the answer to feedback `id` (based on `version`), given on `on`; the new version.
pub async fn answer(app: &App, actor: &User, id: i64, version: i64, on: NaiveDate, text: &str) -> Result<i64> {
    let tree = app.tree().await?;
    let v = stored(app, actor, &tree, id).await?;
    if !can_keep(actor, &tree, &v.value.unit) && !can_keep(actor, &tree, &v.value.handler_unit) {
        return Err(Error::Forbidden(NO_KEEP.into()));
    }
    let f = Feedback { answer: Some(Answer { on, text: text.trim().to_string(), by: actor.username.clone() }), ..v.value };
    let problems = f.problems(today());
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    app.store.update_feedback(&f, version, &actor.username, "trả lời phản ánh, kiến nghị").await.map_err(conflict)
}

/// All feedback received by the units, read without an actor (for the report's figures, whose
/// own use cases check access).
async fn received_by(store: &dyn Store, units: &[String]) -> Result<Vec<Feedback>, StoreError> {
    let q = FeedbackQuery { units: units.to_vec(), limit: 10_000, ..FeedbackQuery::default() };
    Ok(store.feedback_list(&q).await?.into_iter().map(|v| v.value).filter(|f| units.contains(&f.unit)).collect())
}

/// The tally of `unit`'s feedback in `window`, `None` when it keeps no record of feedback.
async fn tally(store: &dyn Store, unit: &str, window: DateRange) -> anyhow::Result<Option<Tally>> {
    let items = received_by(store, &[unit.to_string()]).await?;
    if items.is_empty() {
        return Ok(None);
    }
    let calendar = crate::calendar::work_calendar(store).await?;
    Ok(Some(Tally::of(&items, window.from, window.to, &|d| calendar.is_working_day(d))))
}

/// The tally of the feedback of `unit`'s subtree in `window` (empty when none is recorded), for
/// Decision 766's satisfaction group ([`crate::scores::decision_766`]).
pub async fn subtree_tally(store: &dyn Store, tree: &UnitTree, unit: &str, window: DateRange) -> anyhow::Result<Tally> {
    let units: Vec<String> = tree.subtree(unit).into_iter().map(|u| u.code.clone()).collect();
    let items = received_by(store, &units).await?;
    let calendar = crate::calendar::work_calendar(store).await?;
    Ok(Tally::of(&items, window.from, window.to, &|d| calendar.is_working_day(d)))
}

/// Feedback of `unit`'s subtree answered within `window`: (in time, answered), for Decision 766's
/// part "Xử lý phản ánh, kiến nghị đúng hạn".
pub async fn on_time(store: &dyn Store, tree: &UnitTree, unit: &str, window: DateRange) -> anyhow::Result<(u64, u64)> {
    let t = subtree_tally(store, tree, unit, window).await?;
    Ok((t.answered_on_time, t.answered()))
}

/// Replaces the entries of `report` that these records give (the catalogue's `source` names
/// `feedback_*`) with the figures of `unit`'s records in the period's window, when it keeps
/// them, as [`crate::plans::prefill`].
pub async fn prefill(
    store: &dyn Store,
    catalogue: &Catalogue,
    unit: &str,
    period: Period,
    rule: &WindowRule,
    report: &mut UnitReport,
) -> anyhow::Result<()> {
    let Some(t) = tally(store, unit, rule.window(period)).await? else { return Ok(()) };
    let filled = feedback::prefill(&t, catalogue);
    report.replace_indicators(filled);
    Ok(())
}

/// What these records add to section I of `unit`'s report for `window`, as Markdown (empty
/// when nothing), after the plans and documents ([`crate::plans::section_one`]).
pub async fn section_one(store: &dyn Store, tree: &UnitTree, unit: &str, window: DateRange) -> anyhow::Result<String> {
    if tree.get(unit).is_none() {
        return Ok(String::new());
    }
    Ok(tally(store, unit, window).await?.map(|t| feedback::sentence(&t)).unwrap_or_default())
}

/// The demo province's records of this kind, consistent with its reports: called by
/// [`crate::demo::seed`] after the dossiers are generated and before the reports are made.
/// Feedback of 2026 at two communes and the province's public administration centre, a few
/// answered late (one across Quốc khánh), one still open past its due date.
pub async fn seed_demo(store: &dyn Store, tree: &UnitTree) -> anyhow::Result<()> {
    let d = |m: u32, day: u32| NaiveDate::from_ymd_opt(crate::demo::YEAR, m, day).expect("valid demo date");
    let sender = |name: &str, phone: &str| feedback::Sender { name: name.into(), phone: Some(phone.into()), email: None, address: None };
    let answered = |on, text: &str, by: &str| Some(Answer { on, text: text.into(), by: by.into() });
    #[allow(clippy::type_complexity)]
    let items: [(&str, Channel, NaiveDate, feedback::Sender, &str, Option<&str>, Option<Answer>); 9] = [
        (
            "99101N",
            Channel::Counter,
            d(1, 19),
            sender("Nguyễn Văn Bình", "0912345601"),
            "Đề nghị niêm yết rõ mức lệ phí đăng ký kết hôn tại Bộ phận Một cửa",
            Some("sonha"),
            answered(d(1, 26), "Đã niêm yết bổ sung mức lệ phí theo quy định.", "sonha"),
        ),
        (
            "99101N",
            Channel::Hotline,
            d(3, 9),
            sender("Trần Thị Cúc", "0987654302"),
            "Phản ánh thời gian trả kết quả chứng thực bản sao chậm so với giấy hẹn",
            Some("sonha"),
            answered(d(3, 27), "Đã kiểm tra, chấn chỉnh cán bộ tiếp nhận; xin lỗi công dân.", "sonha"),
        ),
        (
            "99101N",
            Channel::Portal,
            d(5, 11),
            sender("Lê Văn Dũng", "0905123403"),
            "Kiến nghị hướng dẫn nộp hồ sơ đăng ký khai sinh trực tuyến",
            Some("sonha"),
            answered(d(5, 18), "Đã hướng dẫn qua điện thoại và gửi tài liệu hướng dẫn.", "sonha"),
        ),
        (
            "99101N",
            Channel::SuggestionBox,
            d(8, 24),
            sender("Phạm Thị Em", "0934567804"),
            "Đề nghị bố trí thêm ghế chờ tại Bộ phận Một cửa",
            Some("sonha"),
            // Due 10/09 (Quốc khánh 31/08–02/09 skipped), answered 11/09: one working day late.
            answered(d(9, 11), "Đã bố trí thêm 10 ghế chờ.", "sonha"),
        ),
        (
            "99101N",
            Channel::Mail,
            d(10, 5),
            sender("Hoàng Văn Phúc", "0976543205"),
            "Phản ánh về việc sai sót thông tin trên trích lục khai sinh",
            None,
            None,
        ),
        (
            "99201N",
            Channel::Counter,
            d(2, 23),
            sender("Đỗ Thị Giang", "0911222306"),
            "Kiến nghị rút ngắn thời gian giải quyết thủ tục đăng ký hộ kinh doanh",
            Some("lacgiang"),
            answered(d(3, 6), "Đã tiếp thu, đề xuất rút ngắn thời gian giải quyết.", "lacgiang"),
        ),
        (
            "99201N",
            Channel::Hotline,
            d(6, 1),
            sender("Vũ Văn Hải", "0933444507"),
            "Phản ánh cán bộ yêu cầu nộp thêm giấy tờ không có trong thành phần hồ sơ",
            Some("lacgiang"),
            answered(d(6, 19), "Đã kiểm tra, hướng dẫn cán bộ thực hiện đúng thành phần hồ sơ.", "lacgiang"),
        ),
        (
            "99-TTHCC",
            Channel::Portal,
            d(4, 6),
            sender("Công ty TNHH Minh An", "02393855508"),
            "Kiến nghị thanh toán trực tuyến phí cấp giấy phép xây dựng",
            None,
            answered(d(4, 14), "Đã bổ sung thanh toán trực tuyến trên Cổng Dịch vụ công.", "demo"),
        ),
        (
            "99-TTHCC",
            Channel::Email,
            d(11, 16),
            sender("Ngô Thị Lan", "0945666709"),
            "Đề nghị hướng dẫn thủ tục cấp lại giấy phép lái xe",
            None,
            None,
        ),
    ];
    for (unit, channel, received_on, sender, content, handler, answer) in items {
        if tree.get(unit).is_none() {
            continue;
        }
        let f = Feedback {
            id: 0,
            unit: unit.into(),
            channel,
            received_on,
            sender,
            content: content.into(),
            procedure: None,
            dossier: None,
            handler_unit: unit.into(),
            handler: handler.map(Into::into),
            time_limit: feedback::DEFAULT_TIME_LIMIT,
            answer,
        };
        store.insert_feedback(&f, "demo").await?;
    }
    Ok(())
}
