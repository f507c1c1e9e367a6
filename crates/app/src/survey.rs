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
//! Results ([`results`]) are read by whoever reads the unit's reports (a unit officer their
//! unit, the compiling office and leaders the subtree); they never show a receipt code beside an
//! answer, so an officer cannot tell who gave which scores.

use std::collections::{BTreeMap, HashMap};

use cchc_catalogue::Catalogue;
use cchc_dossiers::facts::Facts;
use cchc_periods::{DateRange, Period, WindowRule};
use cchc_records::survey::{self, Answer, Grouping, Questionnaire, Tally};
use cchc_report::UnitReport;
use cchc_storage::{Store, StoreError, User};
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

/// Who the audit log names for an answer: the citizen is not known.
pub const ANONYMOUS: &str = "khách (ẩn danh)";

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
}

/// The dossier behind a receipt code: its code, unit, procedure code and name, day of receipt.
struct Surveyed {
    code: String,
    unit: String,
    procedure: String,
    procedure_name: String,
    received_on: chrono::NaiveDate,
}

async fn surveyed(app: &App, code: &str) -> Result<Surveyed> {
    let code = code.trim();
    let not_found = || Error::NotFound(NOT_FOUND.trim_start_matches("Không tìm thấy ").trim_end_matches('.').to_string());
    if code.is_empty() || code.chars().count() > MAX_CODE {
        return Err(not_found());
    }
    let Some(d) = app.store.dossier(code).await? else { return Err(not_found()) };
    let Some(received) = d.events.first() else { return Err(not_found()) };
    let procedures = crate::dossiers::procedures(app.store.as_ref()).await?;
    let procedure_name = procedures.get(&d.procedure).map_or_else(|| d.procedure.clone(), |p| p.name.clone());
    Ok(Surveyed {
        code: d.id.clone(),
        unit: d.unit.clone(),
        procedure: d.procedure.clone(),
        procedure_name,
        received_on: received.at.date(),
    })
}

/// The survey of receipt code `code`: its questions, or [`NOT_FOUND`] as
/// [`Error::NotFound`] for a code that is not a dossier.
pub async fn form(app: &App, code: &str) -> Result<SurveyForm> {
    let s = surveyed(app, code).await?;
    let answered = app.store.survey_answer(&s.code).await?.is_some();
    Ok(SurveyForm { code: s.code, procedure: s.procedure_name, questions: Questionnaire::default(), answered })
}

/// Stores the answer to the survey of `code`, as typed (question key → score text) with a
/// comment, answered at `now`. Refuses an unknown code ([`Error::NotFound`], [`NOT_FOUND`]),
/// a code answered already ([`Error::Conflict`], [`ALREADY_ANSWERED`]) and a score missing or
/// outside 1–5 ([`Error::Invalid`], one problem per question, placed at the question); nothing
/// written then.
pub async fn submit(app: &App, code: &str, typed: &BTreeMap<String, String>, comment: &str, now: NaiveDateTime) -> Result<()> {
    let s = surveyed(app, code).await?;
    if app.store.survey_answer(&s.code).await?.is_some() {
        return Err(Error::Conflict(ALREADY_ANSWERED.into()));
    }
    let questions = Questionnaire::default();
    let scores = questions.check(typed, comment).map_err(|problems| Error::Invalid {
        summary: "Phiếu khảo sát chưa gửi được: hãy chọn mức đánh giá cho từng câu hỏi.".into(),
        problems: problems.into_iter().map(Problem::new).collect(),
    })?;
    let answer = Answer { receipt: s.code, unit: s.unit, procedure: s.procedure, received_on: s.received_on, answered_at: now, scores };
    if app.store.insert_survey_answer(&answer, ANONYMOUS).await? { Ok(()) } else { Err(Error::Conflict(ALREADY_ANSWERED.into())) }
}

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
    pub questions: Questionnaire,
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
    let rows = groups
        .into_iter()
        .map(|(key, tally)| {
            let label = match grouping {
                Grouping::Unit => tree.get(&key).map_or_else(|| key.clone(), |u| u.name.clone()),
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
    Ok(Results { unit: unit.into(), window, grouping, questions: Questionnaire::default(), rows, total, comments })
}

/// The survey's ratings of the dossiers received by `units`, by unit and receipt code: what
/// [`crate::dossiers::SubtreeFacts`] lays over the ledger's ratings.
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

/// Of the answers about dossiers received by `unit`'s subtree within `window`: those satisfied
/// (4 or 5) on the factor "tiếp nhận, xử lý phản ánh, kiến nghị" (the question keyed
/// [`survey::FEEDBACK_FACTOR`]) and those scoring it, for Decision 766's part "Hài lòng về xử lý
/// phản ánh, kiến nghị" ([`crate::scores::decision_766`]).
pub async fn feedback_factor(store: &dyn Store, tree: &UnitTree, unit: &str, window: DateRange) -> Result<(u64, u64), StoreError> {
    let units: Vec<String> = tree.subtree(unit).into_iter().map(|u| u.code.clone()).collect();
    let answers = store.survey_answers(&units, Some((window.from, window.to))).await?;
    Ok(survey::satisfied_on(&answers, survey::FEEDBACK_FACTOR, window.from, window.to))
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
        "Khảo sát sự hài lòng tại Bộ phận Một cửa: {} phiếu đánh giá của người dân, tổ chức về hồ sơ tiếp nhận từ ngày {} đến ngày {}, trong đó {} phiếu hài lòng và rất hài lòng, đạt tỷ lệ {share}.",
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
    let questions = Questionnaire::default();
    let comments = ["Cán bộ hướng dẫn tận tình.", "", "Nên bố trí thêm ghế ngồi chờ.", "", "Thời gian chờ hơi lâu."];
    for (unit, blob) in store.dossier_facts(&codes).await? {
        let facts = cchc_dossiers::facts::decode_unit(&unit, &blob)?;
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
                scores: survey::Scores { scores, comment: comments[k % comments.len()].to_string() },
            };
            store.insert_survey_answer(&answer, ANONYMOUS).await?;
        }
    }
    Ok(())
}

/// The most survey answers the demo gives one unit.
pub const DEMO_PER_UNIT: usize = 40;
