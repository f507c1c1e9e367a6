//! The satisfaction survey at the counter (issue 14 item 5): the use cases of the public survey
//! page and its results.
//!
//! The page `/survey/{receipt code}` has no login: its user is anonymous, as the public status
//! lookup's ([`crate::lookup`]), so [`form`] and [`submit`] take no acting user (the web limits
//! the failures per client address). A code that is not a dossier of the ledger gets the same
//! sentence whatever it looks like ([`NOT_FOUND`]); a dossier's page shows its code and the
//! procedure's name, nothing of the applicant, the unit's events or the other answers. One
//! answer per receipt code: the store's UNIQUE constraint decides, so of two answers sent at
//! once one is stored and the other gets [`ALREADY_ANSWERED`], nothing written.
//!
//! **Into the figures.** A dossier's satisfaction in the report (the catalogue's sources
//! `satisfaction_surveyed` and `satisfaction_satisfied`) and in Decision 766's "hài lòng về
//! tiếp nhận, giải quyết hồ sơ" is one rating per dossier: its survey answer's
//! ([`cchc_records::survey::Answer::rating`], satisfied at an average of 4 and above) when it
//! has one, else the rating the ledger holds (imported with the dossier). The answer replaces the
//! ledger's rating in the dossier's facts ([`rate`], applied by
//! [`crate::dossiers::SubtreeFacts`]), so a dossier is counted once, in the window of its
//! receipt, as the ledger counts a rating; the Biểu 06 page, the dashboard, the pre-filled
//! report and the scores all read the same facts.
//!
//! **The questions are data** ([`questions`]): the set kept as a setting, the SIPAS set until a
//! province administrator saves another ([`save_questions`], audited with both sets described in
//! Vietnamese). Which question is the factor on the handling of feedback is marked in the set;
//! every answer keeps the keys, the scale and that mark it was given, so answers stored before a
//! change read as they were given.
//!
//! **The printed link is signed** ([`link`]): `/survey/{code}?t={token}`, the token an HMAC-SHA256
//! of the code with the server's secret (kept in the database settings, made at first use), so
//! a receipt code typed or guessed without the token opens nothing ([`BAD_LINK`]).
//!
//! **Visits without a dossier** ([`issue_visit`]): the counter officer issues a code of their
//! unit (`KS-{unit}-{yymmdd}-{n:04}`, about a procedure or none), printed as a slip with the same
//! QR code ([`slip`]); its one answer counts in the unit's results (by unit, procedure, field and
//! period, in the window of the day issued) and in Decision 766's feedback factor, never in a
//! dossier's facts ([`ratings`] reads only answers about dossiers).
//!
//! Results ([`results`]) are read by whoever reads the unit's reports (a unit officer their
//! unit, the compiling office and leaders the subtree); they never show a receipt code beside an
//! answer, so an officer cannot tell who gave which scores.

use std::collections::{BTreeMap, HashMap};

use cchc_catalogue::Catalogue;
use cchc_dossiers::facts::Facts;
use cchc_periods::{DateRange, Period, WindowRule};
use cchc_records::survey::{self, Answer, Grouping, Questionnaire, Tally, Visit};
use cchc_report::UnitReport;
use cchc_storage::{AuditEntry, Role, Store, StoreError, User};
use cchc_units::UnitTree;
use chrono::{Datelike, NaiveDateTime};

use crate::access;
use crate::app::App;
use crate::error::{Error, Problem, Result};

/// The one answer to a code that is not a dossier of the ledger.
pub const NOT_FOUND: &str =
    "Không tìm thấy hồ sơ có mã như đã nhập. Hãy kiểm tra lại mã hồ sơ trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.";

/// The answer to a second answer for a receipt code.
pub const ALREADY_ANSWERED: &str =
    "Phiếu khảo sát của hồ sơ này đã được gửi trước đó; mỗi hồ sơ chỉ được đánh giá một lần. Cảm ơn ông/bà đã đánh giá.";

/// The answer to a link without its token, or with another code's.
pub const BAD_LINK: &str =
    "Đường dẫn khảo sát không đúng hoặc thiếu mã xác thực. Hãy quét lại mã QR trên giấy tiếp nhận hồ sơ hoặc phiếu khảo sát.";

/// Who the audit log names for an answer: the citizen is not known.
pub const ANONYMOUS: &str = "khách (ẩn danh)";

/// Who the audit log names for the link secret's creation.
pub const SYSTEM: &str = "hệ thống";

/// The audit action of a question set saved.
pub const QUESTIONS_ACTION: &str = "đổi bộ câu hỏi khảo sát hài lòng";

/// The length of a link's token, in hexadecimal digits (64 bits of the HMAC).
const TOKEN_LEN: usize = 16;

/// The question set in force: the one kept as a setting, else the SIPAS set.
pub async fn questions(store: &dyn Store) -> Result<Questionnaire> {
    match store.setting(cchc_storage::survey::QUESTIONS_KEY).await? {
        Some(json) => serde_json::from_str(&json).map_err(Error::internal),
        None => Ok(Questionnaire::sipas()),
    }
}

fn may_edit_questions(actor: &User) -> Result<()> {
    if actor.role == Role::Admin && actor.active {
        Ok(())
    } else {
        Err(Error::Forbidden("Chỉ quản trị hệ thống của tỉnh được xem và sửa bộ câu hỏi khảo sát hài lòng.".into()))
    }
}

/// The question set as the administrator's page shows it (to administrators only).
pub async fn questions_for(app: &App, actor: &User) -> Result<Questionnaire> {
    may_edit_questions(actor)?;
    questions(app.store.as_ref()).await
}

/// A question set in one line of Vietnamese, for the audit log.
pub fn describe(q: &Questionnaire) -> String {
    let list: Vec<String> = q
        .questions
        .iter()
        .enumerate()
        .map(|(i, x)| format!("{}. {} [{}]{}", i + 1, x.text, x.key, if x.feedback { " (câu về phản ánh, kiến nghị)" } else { "" }))
        .collect();
    format!("Thang điểm 1–{}; {}", q.scale, list.join("; "))
}

/// Saves the question set `q` (keys and texts trimmed) as `actor`, a province administrator:
/// refused naming every field that breaks a rule ([`Questionnaire::validate`]), nothing written;
/// else kept with an audit row describing the old set and the new one. Answers already stored
/// keep the keys they were given.
pub async fn save_questions(app: &App, actor: &User, q: Questionnaire) -> Result<Questionnaire> {
    may_edit_questions(actor)?;
    let q = Questionnaire {
        questions: q
            .questions
            .into_iter()
            .map(|x| survey::Question { key: x.key.trim().to_string(), text: x.text.trim().to_string(), feedback: x.feedback })
            .collect(),
        scale: q.scale,
    };
    q.validate().map_err(|problems| Error::Invalid {
        summary: "Bộ câu hỏi chưa lưu được: hãy sửa các mục dưới đây.".into(),
        problems: problems.into_iter().map(Problem::new).collect(),
    })?;
    let old = questions(app.store.as_ref()).await?;
    let json = serde_json::to_string(&q).map_err(Error::internal)?;
    let entry = AuditEntry {
        item: Some("bộ câu hỏi khảo sát hài lòng".into()),
        old_value: Some(describe(&old)),
        new_value: Some(describe(&q)),
        ..AuditEntry::now(&actor.username, QUESTIONS_ACTION)
    };
    app.store.put_survey_questions(&json, &entry).await?;
    Ok(q)
}

/// The server's secret the links are signed with (made and kept at first use).
async fn secret(store: &dyn Store) -> Result<String> {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let fresh: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(store.survey_secret(&fresh, SYSTEM).await?)
}

/// The token of code `code` under `secret`: the first [`TOKEN_LEN`] hexadecimal digits of
/// HMAC-SHA256(secret, code).
pub fn token_of(secret: &str, code: &str) -> String {
    use hmac::Mac;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(code.as_bytes());
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect::<String>()[..TOKEN_LEN].to_string()
}

/// The token of the survey link of `code` (a receipt or a visit code).
pub async fn token(store: &dyn Store, code: &str) -> Result<String> {
    Ok(token_of(&secret(store).await?, code.trim()))
}

/// The printed survey link of `code` under `base_url`: `https://…/survey/{code}?t={token}`.
pub async fn link(store: &dyn Store, base_url: &str, code: &str) -> Result<String> {
    Ok(crate::counter_forms::survey_url(base_url, code, &token(store, code).await?))
}

/// Whether `given` is the token of `code` (compared in constant time); refuses with
/// [`BAD_LINK`] as [`Error::Forbidden`] otherwise.
async fn check_token(store: &dyn Store, code: &str, given: &str) -> Result<()> {
    let expected = token(store, code).await?;
    let given = given.trim().to_ascii_lowercase();
    let same = given.len() == expected.len() && given.bytes().zip(expected.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
    if same { Ok(()) } else { Err(Error::Forbidden(BAD_LINK.into())) }
}

/// The longest receipt code read (the codes are about 30 characters).
const MAX_CODE: usize = 64;

/// What the public page shows for a receipt code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyForm {
    /// The receipt code as stored.
    pub code: String,
    /// The procedure's name (nothing else of the dossier).
    pub procedure: String,
    pub questions: Questionnaire,
    /// The code has an answer already.
    pub answered: bool,
    /// The code is a visit's, not a dossier's.
    pub visit: bool,
}

/// The dossier or visit behind a code: its code, unit, procedure code and name, day of receipt
/// (or of issue).
struct Surveyed {
    code: String,
    unit: String,
    procedure: String,
    procedure_name: String,
    received_on: chrono::NaiveDate,
    visit: bool,
}

fn not_found() -> Error {
    Error::NotFound(NOT_FOUND.trim_start_matches("Không tìm thấy ").trim_end_matches('.').to_string())
}

async fn surveyed(app: &App, code: &str) -> Result<Surveyed> {
    let code = code.trim();
    if code.is_empty() || code.chars().count() > MAX_CODE {
        return Err(not_found());
    }
    let procedures = crate::dossiers::procedures(app.store.as_ref()).await?;
    let name = |p: &str| procedures.get(p).map_or_else(|| p.to_string(), |x| x.name.clone());
    if let Some(v) = app.store.survey_visit(code).await? {
        return Ok(Surveyed {
            procedure_name: if v.procedure.is_empty() { String::new() } else { name(&v.procedure) },
            code: v.code,
            unit: v.unit,
            procedure: v.procedure,
            received_on: v.issued_at.date(),
            visit: true,
        });
    }
    let Some(d) = app.store.dossier(code).await? else { return Err(not_found()) };
    let Some(received) = d.events.first() else { return Err(not_found()) };
    Ok(Surveyed {
        procedure_name: name(&d.procedure),
        code: d.id.clone(),
        unit: d.unit.clone(),
        procedure: d.procedure.clone(),
        received_on: received.at.date(),
        visit: false,
    })
}

/// The survey of code `code` (a receipt's or a visit's) opened with link token `token`: its
/// questions, or [`BAD_LINK`] as [`Error::Forbidden`] for a token that is not the code's, or
/// [`NOT_FOUND`] as [`Error::NotFound`] for a code that is neither a dossier nor a visit.
pub async fn form(app: &App, code: &str, token: &str) -> Result<SurveyForm> {
    check_token(app.store.as_ref(), code, token).await?;
    let s = surveyed(app, code).await?;
    let answered = app.store.survey_answer(&s.code).await?.is_some();
    let questions = questions(app.store.as_ref()).await?;
    Ok(SurveyForm { code: s.code, procedure: s.procedure_name, questions, answered, visit: s.visit })
}

/// Stores the answer to the survey of `code` opened with link token `token`, as typed
/// (question key → score text) with a comment, answered at `now`. Refuses a token that is not
/// the code's ([`Error::Forbidden`], [`BAD_LINK`]), an unknown code ([`Error::NotFound`],
/// [`NOT_FOUND`]), a code answered already ([`Error::Conflict`], [`ALREADY_ANSWERED`]) and a score
/// missing or outside the scale ([`Error::Invalid`], one problem per question, placed at the
/// question); nothing written then.
pub async fn submit(app: &App, code: &str, token: &str, typed: &BTreeMap<String, String>, comment: &str, now: NaiveDateTime) -> Result<()> {
    check_token(app.store.as_ref(), code, token).await?;
    let s = surveyed(app, code).await?;
    if app.store.survey_answer(&s.code).await?.is_some() {
        return Err(Error::Conflict(ALREADY_ANSWERED.into()));
    }
    let questions = questions(app.store.as_ref()).await?;
    let scores = questions.check(typed, comment).map_err(|problems| Error::Invalid {
        summary: "Phiếu khảo sát chưa gửi được: hãy chọn mức đánh giá cho từng câu hỏi.".into(),
        problems: problems.into_iter().map(Problem::new).collect(),
    })?;
    let answer = Answer {
        receipt: s.code,
        unit: s.unit,
        procedure: s.procedure,
        received_on: s.received_on,
        answered_at: now,
        visit: s.visit,
        scores,
    };
    if app.store.insert_survey_answer(&answer, ANONYMOUS).await? { Ok(()) } else { Err(Error::Conflict(ALREADY_ANSWERED.into())) }
}

/// Issues the survey code of a visit without a dossier at `unit`'s counter, about `procedure`
/// (a code of the procedures list, or empty), at `now`, as `actor`: an officer who handles
/// `unit`'s dossiers ([`access::can_handle`]). Audited.
pub async fn issue_visit(app: &App, actor: &User, unit: &str, procedure: &str, now: NaiveDateTime) -> Result<Visit> {
    let tree = app.tree().await?;
    if tree.get(unit).is_none() {
        return Err(Error::NotFound(format!("đơn vị {unit}")));
    }
    if !access::can_handle(actor, unit) {
        return Err(Error::Forbidden("Chỉ cán bộ Bộ phận Một cửa của đơn vị được cấp mã khảo sát cho lượt giao dịch.".into()));
    }
    let procedure = procedure.trim();
    if !procedure.is_empty() && !crate::dossiers::procedures(app.store.as_ref()).await?.contains_key(procedure) {
        return Err(Error::invalid_all(
            "Chưa cấp được mã khảo sát.",
            vec![Problem::at("Thủ tục", format!("không có thủ tục mã “{procedure}” trong danh mục."))],
        ));
    }
    let visit = Visit {
        code: String::new(),
        unit: unit.to_string(),
        procedure: procedure.to_string(),
        issued_at: now,
        issued_by: actor.username.clone(),
    };
    Ok(app.store.issue_survey_visit(&survey::visit_prefix(unit, now.date()), &visit).await?)
}

/// What a survey slip prints: the code, the unit, the procedure (if any), the day, and the
/// signed link (its QR code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slip {
    pub code: String,
    pub unit_name: String,
    pub procedure: String,
    pub day: chrono::NaiveDate,
    pub visit: bool,
    /// The signed link: `{base_url}/survey/{code}?t={token}`.
    pub url: String,
}

/// The survey slip of `code` (a visit's, or a dossier's to hand the counter's tablet over), as
/// `actor` prints it: an officer who handles the visit's unit, or who may edit the dossier.
pub async fn slip(app: &App, actor: &User, code: &str, base_url: &str) -> Result<Slip> {
    let s = surveyed(app, code).await?;
    let allowed = if s.visit {
        access::can_handle(actor, &s.unit)
    } else {
        match app.store.dossier(&s.code).await? {
            Some(d) => access::can_edit_dossier(actor, &d),
            None => false,
        }
    };
    if !allowed {
        return Err(Error::Forbidden("Chỉ cán bộ Bộ phận Một cửa của đơn vị được in phiếu khảo sát của mã này.".into()));
    }
    let tree = app.tree().await?;
    Ok(Slip {
        url: link(app.store.as_ref(), base_url, &s.code).await?,
        unit_name: tree.get(&s.unit).map_or_else(|| s.unit.clone(), |u| u.name.clone()),
        procedure: s.procedure_name,
        day: s.received_on,
        visit: s.visit,
        code: s.code,
    })
}

/// How the results name the visits about no procedure, grouped by procedure.
pub const NO_PROCEDURE: &str = "Lượt giao dịch không gắn thủ tục";

/// One row of the results.
#[derive(Debug, Clone)]
pub struct ResultRow {
    /// The group's key (a unit's or procedure's code, a field, a month "2026-03").
    pub key: String,
    /// Its name as shown.
    pub label: String,
    pub tally: Tally,
}

/// The survey's results for a unit's subtree and a window.
#[derive(Debug, Clone)]
pub struct Results {
    pub unit: String,
    pub window: DateRange,
    pub grouping: Grouping,
    /// The questions in force (their averages on its scale).
    pub questions: Questionnaire,
    /// Keys scored in these answers that the questions in force no longer ask.
    pub other_keys: Vec<String>,
    pub rows: Vec<ResultRow>,
    pub total: Tally,
    /// The comments given (newest first, at most 50), with the day answered; no receipt code.
    pub comments: Vec<(chrono::NaiveDate, String)>,
}

/// The results of the answers about dossiers received by `unit`'s subtree within `period`'s
/// data window (the window the report's figures count them in), grouped by unit, procedure,
/// field or month. Read by whoever reads `unit`'s reports.
pub async fn results(app: &App, actor: &User, unit: &str, period: Period, grouping: Grouping) -> Result<Results> {
    let tree = app.tree().await?;
    if tree.get(unit).is_none() {
        return Err(Error::NotFound(format!("đơn vị {unit}")));
    }
    if !access::can_read(actor, &tree, unit) {
        return Err(Error::Forbidden("Bạn không có quyền xem kết quả khảo sát của đơn vị này.".into()));
    }
    let window = app.rule.window(period);
    let units: Vec<String> = tree.subtree(unit).into_iter().map(|u| u.code.clone()).collect();
    let answers = app.store.survey_answers(&units, Some((window.from, window.to))).await?;
    let procedures = crate::dossiers::procedures(app.store.as_ref()).await?;
    let field_of = |p: &str| procedures.get(p).map(|p| p.field.clone());
    let (groups, total) = survey::results(&answers, window.from, window.to, grouping, &field_of);
    let questions = questions(app.store.as_ref()).await?;
    let rows = groups
        .into_iter()
        .map(|(key, tally)| {
            let label = match grouping {
                Grouping::Unit => tree.get(&key).map_or_else(|| key.clone(), |u| u.name.clone()),
                Grouping::Procedure if key.is_empty() => NO_PROCEDURE.to_string(),
                Grouping::Procedure => procedures.get(&key).map_or_else(|| key.clone(), |p| p.name.clone()),
                Grouping::Field => key.clone(),
                Grouping::Month => key.split_once('-').map_or_else(|| key.clone(), |(y, m)| format!("Tháng {m}/{y}")),
            };
            ResultRow { key, label, tally }
        })
        .collect();
    let mut comments: Vec<(NaiveDateTime, String)> =
        answers.iter().filter(|a| !a.scores.comment.is_empty()).map(|a| (a.answered_at, a.scores.comment.clone())).collect();
    comments.sort_by_key(|c| std::cmp::Reverse(c.0));
    let comments = comments.into_iter().take(50).map(|(t, c)| (t.date(), c)).collect();
    let other_keys = total.other_keys(&questions);
    Ok(Results { unit: unit.into(), window, grouping, questions, other_keys, rows, total, comments })
}

/// The survey's ratings of the dossiers received by `units`, by unit and receipt code (answers
/// about visits are no dossier's): what [`crate::dossiers::SubtreeFacts`] lays over the ledger's
/// ratings.
pub async fn ratings(store: &dyn Store, units: &[String]) -> Result<HashMap<String, HashMap<String, u8>>, StoreError> {
    let mut out: HashMap<String, HashMap<String, u8>> = HashMap::new();
    for (unit, receipt, rating) in store.survey_ratings(units).await? {
        out.entry(unit).or_default().insert(receipt, rating);
    }
    Ok(out)
}

/// Lays the survey's rating of a dossier over the ledger's: the one rule of how the two combine
/// (a dossier answered in the survey counts with its answer, never twice).
pub fn rate(f: &mut Facts, ratings: Option<&HashMap<String, u8>>) {
    if let Some(r) = ratings.and_then(|r| r.get(&f.id)) {
        f.rating = *r;
    }
}

/// Of the answers about dossiers received (and visits issued) by `unit`'s subtree within
/// `window`: those satisfied (4 or 5 on 1–5) on the factor "tiếp nhận, xử lý phản ánh, kiến
/// nghị" (the question marked so in the set the answer was given on,
/// [`survey::Scores::feedback`]) and those scoring it, for Decision 766's part "Hài lòng về xử lý
/// phản ánh, kiến nghị" ([`crate::scores::decision_766`]).
pub async fn feedback_factor(store: &dyn Store, tree: &UnitTree, unit: &str, window: DateRange) -> Result<(u64, u64), StoreError> {
    let units: Vec<String> = tree.subtree(unit).into_iter().map(|u| u.code.clone()).collect();
    let answers = store.survey_answers(&units, Some((window.from, window.to))).await?;
    Ok(survey::satisfied_on(&answers, window.from, window.to))
}

/// The survey's figures reach the report through the ledger's facts ([`rate`]): the sources
/// `satisfaction_surveyed` and `satisfaction_satisfied` are pre-filled by
/// [`cchc_dossiers::prefill`] with the answers laid over the ledger's ratings, so nothing is left
/// to replace here; kept as the hook [`crate::dossiers::prefilled_report`] calls.
pub async fn prefill(
    _store: &dyn Store,
    _catalogue: &Catalogue,
    _unit: &str,
    _period: Period,
    _rule: &WindowRule,
    _report: &mut UnitReport,
) -> anyhow::Result<()> {
    Ok(())
}

/// What the survey adds to section I of `unit`'s report for `window`, as Markdown (empty
/// when nothing), after the plans and documents ([`crate::plans::section_one`]): one sentence
/// with the number of answers and the share satisfied.
pub async fn section_one(store: &dyn Store, tree: &UnitTree, unit: &str, window: DateRange) -> anyhow::Result<String> {
    if tree.get(unit).is_none() {
        return Ok(String::new());
    }
    let units: Vec<String> = tree.subtree(unit).into_iter().map(|u| u.code.clone()).collect();
    let answers = store.survey_answers(&units, Some((window.from, window.to))).await?;
    let (_, total) = survey::results(&answers, window.from, window.to, Grouping::Unit, &|_| None);
    let Some(share) = total.share() else { return Ok(String::new()) };
    Ok(format!(
        "Khảo sát sự hài lòng tại Bộ phận Một cửa: {} phiếu đánh giá của người dân, tổ chức về hồ sơ tiếp nhận và lượt giao dịch từ ngày {} đến ngày {}, trong đó {} phiếu hài lòng và rất hài lòng, đạt tỷ lệ {share}.",
        cchc_format::int(total.answers as i64),
        cchc_format::date(window.from),
        cchc_format::date(window.to),
        cchc_format::int(total.satisfied as i64),
    ))
}

/// The demo province's survey answers: one dossier in six received in the demo's year by each
/// receiving unit, at most [`DEMO_PER_UNIT`] a unit, answered three days after its receipt; one
/// answer in ten is not satisfied (average 2,8), the others score 4 and 5; deterministic. Called
/// after the dossiers are generated and before the reports are made, which count them through
/// the facts ([`rate`]).
pub async fn seed_demo(store: &dyn Store, tree: &UnitTree) -> anyhow::Result<()> {
    let codes: Vec<String> = tree.units().map(|u| u.code.clone()).collect();
    let questions = questions(store).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let comments = ["Cán bộ hướng dẫn tận tình.", "", "Nên bố trí thêm ghế ngồi chờ.", "", "Thời gian chờ hơi lâu."];
    // A unit's facts come in several blobs (by month of receipt): gathered, in receipt order.
    let mut by_unit: BTreeMap<String, Vec<cchc_dossiers::facts::Facts>> = BTreeMap::new();
    for (unit, blob) in store.dossier_facts(&codes).await? {
        by_unit.entry(unit.clone()).or_default().extend(cchc_dossiers::facts::decode_unit(&unit, &blob)?);
    }
    for (unit, mut facts) in by_unit {
        facts.sort_by(|a, b| (a.received, &a.id).cmp(&(b.received, &b.id)));
        let year = facts.iter().filter(|f| cchc_dossiers::facts::to_moment(f.received).year() == crate::demo::YEAR);
        for (k, f) in year.step_by(6).take(DEMO_PER_UNIT).enumerate() {
            let received = cchc_dossiers::facts::to_moment(f.received);
            let scores = questions
                .questions
                .iter()
                .enumerate()
                .map(|(q, question)| {
                    let score = match (k % 10, (k + q) % 3) {
                        (7, _) if q == 0 => 2,
                        (7, _) => 3,
                        (_, 0) => 4,
                        _ => 5,
                    };
                    (question.key.clone(), score)
                })
                .collect();
            let answer = Answer {
                receipt: f.id.clone(),
                unit: unit.clone(),
                procedure: f.procedure.clone(),
                received_on: received.date(),
                answered_at: received + chrono::Duration::days(3),
                visit: false,
                scores: survey::Scores {
                    scores,
                    comment: comments[k % comments.len()].to_string(),
                    scale: questions.scale,
                    feedback: questions.feedback_key().map(str::to_string),
                },
            };
            store.insert_survey_answer(&answer, ANONYMOUS).await?;
        }
    }
    Ok(())
}

/// The most survey answers the demo gives one unit.
pub const DEMO_PER_UNIT: usize = 40;
