//! The satisfaction survey (issue 14 item 5): the public page `/survey/{receipt code}` (no login) and the results. Every rule is `cchc_app::survey`'s; this module parses and renders.
//!
//! The public page is the link of the QR code printed on the receipt (form 01). It is a plain
//! page with the server's own stylesheet only (the intranet has no Internet), phone-first: one
//! question per fieldset, the five levels as large radio buttons. Its form has no session to
//! ride on, so its CSRF token is a double-submit cookie, as the login form's: the GET sets
//! [`COOKIE`] (Path=/survey, HttpOnly, SameSite=Strict) and the form carries the same value,
//! which [`crate::auth::csrf_guard`] compares for `POST /survey/{code}` only. Failures (an
//! unknown code, a second answer) are limited per client address with the login's limiter
//! (its own keys), as `/tra-cuu`'s; the request log has the route template, never the code.
//!
//! The printed link is signed: `/survey/{code}?t={token}` (`cchc_app::survey::link`); the form
//! posts back to the same address, token included; without the code's token the page refuses in
//! Vietnamese (403, a failure for the limiter).
//!
//! Officers read the results at `/survey?unit=…&period=…&by=unit|procedure|field|month` and
//! `/api/survey` (same query, JSON). The province's administrator edits the questions at
//! `/survey/questions` (`GET`/`PUT /api/survey/questions`, JSON); the counter officer issues a
//! visit's code at `/survey/visits` (`POST /api/survey/visits`) and prints its slip, or a
//! dossier's, at `/survey/slip?code=…` (the QR code of the signed link).

use std::collections::BTreeMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use cchc_app::Error;
use cchc_records::survey::{Grouping, Question, Questionnaire};
use serde::Deserialize;
use serde_json::json;

use crate::auth::CurrentUser;
use crate::error::{ApiError, AppError, AppResult};
use crate::state::AppState;
use crate::view::{Nav, PeriodQuery};

/// The double-submit cookie of the public form.
pub const COOKIE: &str = "cchc_survey";

/// Failed answers (unknown codes, second answers) allowed from one address within the
/// limiter's window (15 minutes). Answers that are stored never count: a counter's tablet sends
/// many.
pub const MAX_FAILURES: usize = 20;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/survey", get(results_page))
        .route("/survey/questions", get(questions_page).post(save_questions))
        .route("/survey/visits", get(visits_page).post(issue_visit))
        .route("/survey/slip", get(slip_page))
        .route("/survey/{code}", get(page).post(answer))
        .route("/api/survey", get(api_results))
        .route("/api/survey/questions", get(api_questions).put(api_save_questions))
        .route("/api/survey/visits", post(api_issue_visit))
        .route("/api/survey/{code}", get(api_form))
}

/// Whether `path` is the public form's address (`/survey/{code}`), whose POST is guarded by the
/// double-submit cookie instead of a session.
pub fn is_answer_path(path: &str) -> bool {
    path.strip_prefix("/survey/").is_some_and(|code| !code.is_empty() && !code.contains('/') && !OFFICE_PAGES.contains(&code))
}

/// The pages under `/survey/` that are not a code's survey: logged-in pages whose posts need
/// the session's CSRF token.
const OFFICE_PAGES: [&str; 3] = ["questions", "visits", "slip"];

/// The link token of the address (`?t=…`).
#[derive(Deserialize, Default)]
pub struct LinkQuery {
    #[serde(default)]
    t: String,
}

fn limiter_key(address: &str) -> String {
    format!("khao-sat {address}")
}

fn blocked(state: &AppState, parts: &Parts) -> Option<String> {
    let key = limiter_key(&crate::auth::client_addr(state, parts));
    state.limiter.blocked(&key, MAX_FAILURES).map(|wait| {
        let minutes = wait.as_secs().div_ceil(60).max(1);
        format!("Có quá nhiều lần gửi phiếu không thành công từ thiết bị này. Vui lòng thử lại sau {minutes} phút.")
    })
}

fn failed(state: &AppState, parts: &Parts) {
    state.limiter.record_failure(&limiter_key(&crate::auth::client_addr(state, parts)));
}

struct Level {
    value: u8,
    label: String,
    checked: bool,
}

struct QuestionView {
    key: String,
    number: usize,
    text: String,
    levels: Vec<Level>,
}

#[derive(Template)]
#[template(path = "survey.html")]
struct SurveyPage {
    /// The code as typed in the address (for the form's action).
    code: String,
    /// The link's token as in the address (for the form's action).
    token: String,
    procedure: String,
    csrf: String,
    questions: Vec<QuestionView>,
    comment: String,
    /// A refusal or a notice above the form.
    error: Option<String>,
    problems: Vec<String>,
    /// The answer was stored (thanks), or the code has one (no form).
    done: Option<String>,
    /// Show the form.
    open: bool,
}

fn new_token() -> String {
    (0..32).map(|_| format!("{:x}", rand::random::<u8>() % 16)).collect()
}

fn questions(form: &cchc_app::survey::SurveyForm, typed: &BTreeMap<String, String>) -> Vec<QuestionView> {
    let labels = form.questions.labels();
    form.questions
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let chosen = typed.get(&q.key).and_then(|s| s.parse::<u8>().ok());
            QuestionView {
                key: q.key.clone(),
                number: i + 1,
                text: q.text.clone(),
                levels: (1..=form.questions.scale)
                    .rev()
                    .map(|v| Level { value: v, label: labels[usize::from(v) - 1].clone(), checked: chosen == Some(v) })
                    .collect(),
            }
        })
        .collect()
}

/// The token of the request's [`COOKIE`], when it looks like one of ours.
fn token_of(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(n, _)| *n == COOKIE)
        .map(|(_, v)| v.to_string())
        .filter(|t| t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The page with the browser's token (a fresh one the first time) in its form and its cookie:
/// the same token for every page a browser opens, so a form left open in another tab still
/// posts and hears that the dossier was answered.
fn render(parts: &Parts, status: StatusCode, mut page: SurveyPage) -> AppResult<Response> {
    let csrf = token_of(parts).unwrap_or_else(new_token);
    let secure = if crate::secure_cookies() { "; Secure" } else { "" };
    let set = format!("{COOKIE}={csrf}; Path=/survey; HttpOnly; SameSite=Strict{secure}");
    page.csrf = csrf;
    Ok((status, [(header::SET_COOKIE, set)], Html(page.render()?)).into_response())
}

fn empty(code: &str, token: &str) -> SurveyPage {
    SurveyPage {
        code: code.into(),
        token: token.into(),
        procedure: String::new(),
        csrf: String::new(),
        questions: Vec::new(),
        comment: String::new(),
        error: None,
        problems: Vec::new(),
        done: None,
        open: false,
    }
}

/// A page without the form: a refusal with its status.
fn refusal(parts: &Parts, code: &str, status: StatusCode, message: String) -> AppResult<Response> {
    render(parts, status, SurveyPage { error: Some(message), ..empty(code, "") })
}

/// `GET /survey/{code}`: the questions, or why there are none.
pub async fn page(
    State(state): State<Arc<AppState>>,
    parts: Parts,
    Path(code): Path<String>,
    Query(link): Query<LinkQuery>,
) -> AppResult<Response> {
    if let Some(m) = blocked(&state, &parts) {
        return refusal(&parts, &code, StatusCode::TOO_MANY_REQUESTS, m);
    }
    let t = link.t.as_str();
    match cchc_app::survey::form(&state, &code, t).await {
        Ok(f) if f.answered => render(
            &parts,
            StatusCode::OK,
            SurveyPage { procedure: shown_procedure(&f), done: Some(cchc_app::survey::ALREADY_ANSWERED.into()), ..empty(&code, t) },
        ),
        Ok(f) => render(
            &parts,
            StatusCode::OK,
            SurveyPage { procedure: shown_procedure(&f), questions: questions(&f, &BTreeMap::new()), open: true, ..empty(&code, t) },
        ),
        Err(e @ (Error::NotFound(_) | Error::Forbidden(_))) => {
            failed(&state, &parts);
            refusal(&parts, &code, status_of(&e), e.to_string())
        }
        Err(e) => Err(e.into()),
    }
}

/// What the page says under the code: the procedure's name, or that it is a visit's.
fn shown_procedure(f: &cchc_app::survey::SurveyForm) -> String {
    match (f.visit, f.procedure.is_empty()) {
        (true, true) => "Lượt giao dịch tại Bộ phận Một cửa".into(),
        (true, false) => format!("Lượt giao dịch: {}", f.procedure),
        _ => f.procedure.clone(),
    }
}

fn status_of(e: &Error) -> StatusCode {
    match e {
        Error::Forbidden(_) => StatusCode::FORBIDDEN,
        Error::Conflict(_) => StatusCode::CONFLICT,
        _ => StatusCode::NOT_FOUND,
    }
}

/// `POST /survey/{code}`: `{question key}=1..5` for each question, `comment`, `_csrf`.
pub async fn answer(
    State(state): State<Arc<AppState>>,
    parts: Parts,
    Path(code): Path<String>,
    Query(link): Query<LinkQuery>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let t = link.t.as_str();
    if let Some(m) = blocked(&state, &parts) {
        return refusal(&parts, &code, StatusCode::TOO_MANY_REQUESTS, m);
    }
    let mut typed = BTreeMap::new();
    let mut comment = String::new();
    for (k, v) in fields {
        match k.as_str() {
            crate::auth::CSRF_FIELD => {}
            "comment" => comment = v,
            _ => {
                typed.insert(k, v);
            }
        }
    }
    match cchc_app::survey::submit(&state, &code, t, &typed, &comment, cchc_storage::now()).await {
        Ok(()) => render(
            &parts,
            StatusCode::OK,
            SurveyPage {
                done: Some("Cảm ơn ông/bà đã đánh giá. Ý kiến của ông/bà giúp chúng tôi phục vụ tốt hơn.".into()),
                ..empty(&code, t)
            },
        ),
        Err(e @ Error::Invalid { .. }) => {
            let form = cchc_app::survey::form(&state, &code, t).await?;
            let problems = e.problems().iter().map(|p| p.message.clone()).collect();
            render(
                &parts,
                StatusCode::UNPROCESSABLE_ENTITY,
                SurveyPage {
                    procedure: shown_procedure(&form),
                    questions: questions(&form, &typed),
                    comment,
                    error: Some(e.to_string()),
                    problems,
                    open: true,
                    ..empty(&code, t)
                },
            )
        }
        Err(Error::Conflict(m)) => {
            failed(&state, &parts);
            render(&parts, StatusCode::CONFLICT, SurveyPage { done: Some(m), ..empty(&code, t) })
        }
        Err(e @ (Error::NotFound(_) | Error::Forbidden(_))) => {
            failed(&state, &parts);
            refusal(&parts, &code, status_of(&e), e.to_string())
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /api/survey/{code}?t=…`: `{"ma_ho_so", "thu_tuc", "luot_giao_dich", "da_danh_gia",
/// "cau_hoi": [{"ma", "noi_dung"}], "thang_diem": [...]}`, or `{"error", "message"}` with 403, 404
/// or 429; public, limited as the page.
pub async fn api_form(
    State(state): State<Arc<AppState>>,
    parts: Parts,
    Path(code): Path<String>,
    Query(link): Query<LinkQuery>,
) -> Response {
    if let Some(m) = blocked(&state, &parts) {
        return (StatusCode::TOO_MANY_REQUESTS, Json(json!({ "error": "too-many-requests", "message": m }))).into_response();
    }
    match cchc_app::survey::form(&state, &code, &link.t).await {
        Ok(f) => Json(json!({
            "ma_ho_so": f.code, "thu_tuc": f.procedure, "luot_giao_dich": f.visit, "da_danh_gia": f.answered,
            "cau_hoi": f.questions.questions.iter().map(|q| json!({ "ma": q.key, "noi_dung": q.text })).collect::<Vec<_>>(),
            "thang_diem": f.questions.labels(),
        }))
        .into_response(),
        Err(e) => {
            if matches!(e, Error::NotFound(_) | Error::Forbidden(_)) {
                failed(&state, &parts);
            }
            crate::error::json(&e)
        }
    }
}

#[derive(Deserialize, Default)]
pub struct ResultsQuery {
    #[serde(default)]
    period: Option<String>,
    #[serde(default)]
    unit: Option<String>,
    /// unit | procedure | field | month
    #[serde(default)]
    by: Option<String>,
}

impl ResultsQuery {
    fn parts(&self, current: &CurrentUser) -> AppResult<(String, cchc_periods::Period, Grouping)> {
        let q = PeriodQuery { period: self.period.clone(), unit: self.unit.clone() };
        let grouping = self
            .by
            .as_deref()
            .filter(|b| !b.is_empty())
            .map_or(Some(Grouping::Unit), Grouping::from_slug)
            .ok_or_else(|| AppError::from(Error::invalid("Cách nhóm kết quả không có: chọn đơn vị, thủ tục, lĩnh vực hoặc tháng.")))?;
        Ok((q.unit_or(&current.user).to_string(), q.period()?, grouping))
    }
}

struct RowView {
    label: String,
    answers: String,
    satisfied: String,
    share: String,
    averages: Vec<String>,
}

#[derive(Template)]
#[template(path = "survey_results.html")]
struct ResultsPage {
    nav: Nav,
    unit: String,
    unit_name: String,
    periods: Vec<(String, String, bool)>,
    by: &'static str,
    groupings: Vec<(&'static str, &'static str)>,
    group_name: &'static str,
    window: String,
    /// The top of the scale the averages are on.
    scale: String,
    is_admin: bool,
    questions: Vec<String>,
    rows: Vec<RowView>,
    total: RowView,
    comments: Vec<(String, String)>,
}

fn row(label: String, t: &cchc_records::survey::Tally, keys: &[String], scale: u8) -> RowView {
    RowView {
        label,
        answers: cchc_format::int(t.answers as i64),
        satisfied: cchc_format::int(t.satisfied as i64),
        share: t.share().unwrap_or_else(|| "–".into()),
        averages: keys.iter().map(|k| t.average(k, scale).unwrap_or_else(|| "–".into())).collect(),
    }
}

/// The results' question columns: the questions in force, then the keys of earlier questions
/// the answers scored (an answer keeps the keys it was given).
fn columns(r: &cchc_app::survey::Results) -> (Vec<String>, Vec<String>) {
    let mut keys: Vec<String> = r.questions.questions.iter().map(|q| q.key.clone()).collect();
    let mut texts: Vec<String> = r.questions.questions.iter().map(|q| q.text.clone()).collect();
    for k in &r.other_keys {
        keys.push(k.clone());
        texts.push(format!("Câu hỏi không còn dùng (mã “{k}”)"));
    }
    (keys, texts)
}

/// `GET /survey`: the results of the unit's subtree for a period, grouped.
pub async fn results_page(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Query(q): Query<ResultsQuery>,
) -> AppResult<Html<String>> {
    let (unit, period, grouping) = q.parts(&current)?;
    let r = cchc_app::survey::results(&state, &current.user, &unit, period, grouping).await?;
    let tree = state.tree().await?;
    let (keys, texts) = columns(&r);
    let scale = r.questions.scale;
    let page = ResultsPage {
        nav: Nav::new(&current, period),
        unit_name: tree.get(&unit).map_or_else(|| unit.clone(), |u| u.name.clone()),
        unit,
        periods: crate::view::period_options(period),
        by: grouping.slug(),
        groupings: [Grouping::Unit, Grouping::Procedure, Grouping::Field, Grouping::Month].map(|g| (g.slug(), g.name_vi())).to_vec(),
        group_name: grouping.name_vi(),
        window: format!("{} – {}", cchc_format::date(r.window.from), cchc_format::date(r.window.to)),
        scale: cchc_format::int(i64::from(scale)),
        is_admin: current.user.role == cchc_storage::Role::Admin,
        questions: texts,
        rows: r.rows.iter().map(|x| row(x.label.clone(), &x.tally, &keys, scale)).collect(),
        total: row("Tổng cộng".into(), &r.total, &keys, scale),
        comments: r.comments.iter().map(|(d, c)| (cchc_format::date(*d), c.clone())).collect(),
    };
    Ok(Html(page.render()?))
}

/// `GET /api/survey?unit=…&period=…&by=…`: the same results as JSON (shares "90,00%").
pub async fn api_results(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Query(q): Query<ResultsQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let (unit, period, grouping) = q.parts(&current)?;
    let r = cchc_app::survey::results(&state, &current.user, &unit, period, grouping).await?;
    let (keys, _) = columns(&r);
    let scale = r.questions.scale;
    let tally = |t: &cchc_records::survey::Tally| {
        json!({
            "so_phieu": t.answers, "hai_long": t.satisfied, "ty_le": t.share(),
            "diem_trung_binh": keys.iter().map(|k| (k.clone(), t.average(k, scale))).collect::<BTreeMap<_, _>>(),
        })
    };
    Ok(Json(json!({
        "don_vi": r.unit, "ky": period.to_string(), "nhom": grouping.slug(), "thang_diem": scale,
        "tu_ngay": cchc_format::date(r.window.from), "den_ngay": cchc_format::date(r.window.to),
        "nhom_ket_qua": r.rows.iter().map(|x| json!({ "ma": x.key, "ten": x.label, "ket_qua": tally(&x.tally) })).collect::<Vec<_>>(),
        "tong": tally(&r.total),
    })))
}

/// One row of the question set's form: a question, or a blank row to add one.
struct QuestionRow {
    number: usize,
    key: String,
    text: String,
    feedback: bool,
}

#[derive(Template)]
#[template(path = "survey_questions.html")]
struct QuestionsPage {
    nav: Nav,
    rows: Vec<QuestionRow>,
    /// No question is marked as the feedback factor.
    no_feedback: bool,
    scale: String,
    error: Option<String>,
    problems: Vec<String>,
}

/// Blank rows the form offers to add questions.
const BLANK_ROWS: usize = 3;

fn question_rows(q: &Questionnaire) -> Vec<QuestionRow> {
    let mut rows: Vec<QuestionRow> = q
        .questions
        .iter()
        .enumerate()
        .map(|(i, x)| QuestionRow { number: i + 1, key: x.key.clone(), text: x.text.clone(), feedback: x.feedback })
        .collect();
    for _ in 0..BLANK_ROWS {
        rows.push(QuestionRow { number: rows.len() + 1, key: String::new(), text: String::new(), feedback: false });
    }
    rows
}

/// The question set as the form sent it: `key` and `text` once per row, in order (a row with
/// both blank is no question), `feedback` the number of the row that is the feedback factor,
/// `scale` the scale's top. A scale that is not a number is read as 0 (refused by the rules).
fn typed_questions(fields: &[(String, String)]) -> Questionnaire {
    let (mut keys, mut texts, mut feedback, mut scale) = (Vec::new(), Vec::new(), None, 0u8);
    for (k, v) in fields {
        match k.as_str() {
            "key" => keys.push(v.clone()),
            "text" => texts.push(v.clone()),
            "feedback" => feedback = v.trim().parse::<usize>().ok(),
            "scale" => scale = v.trim().parse().unwrap_or(0),
            _ => {}
        }
    }
    texts.resize(keys.len().max(texts.len()), String::new());
    keys.resize(texts.len(), String::new());
    let questions = keys
        .into_iter()
        .zip(texts)
        .enumerate()
        .filter(|(_, (k, t))| !k.trim().is_empty() || !t.trim().is_empty())
        .map(|(i, (key, text))| Question { key, text, feedback: feedback == Some(i + 1) })
        .collect();
    Questionnaire { questions, scale }
}

/// `GET /survey/questions`: the question set in force, for the province's administrator.
pub async fn questions_page(State(state): State<Arc<AppState>>, current: CurrentUser) -> AppResult<Html<String>> {
    let q = cchc_app::survey::questions_for(&state, &current.user).await?;
    let page = QuestionsPage {
        nav: Nav::new(&current, crate::view::current_period()),
        rows: question_rows(&q),
        no_feedback: q.feedback_key().is_none(),
        scale: q.scale.to_string(),
        error: None,
        problems: Vec::new(),
    };
    Ok(Html(page.render()?))
}

/// `POST /survey/questions`: saves the set (fields as [`typed_questions`] reads them); refused
/// with the page again, every problem named and what was typed kept.
pub async fn save_questions(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    session: tower_sessions::Session,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let typed = typed_questions(&fields);
    match cchc_app::survey::save_questions(&state, &current.user, typed.clone()).await {
        Ok(q) => {
            let done = format!("Đã lưu bộ câu hỏi khảo sát: {} câu hỏi, thang điểm 1–{}.", q.questions.len(), q.scale);
            crate::flash::set(&session, crate::flash::Flash::done(done)).await?;
            Ok(axum::response::Redirect::to("/survey/questions").into_response())
        }
        Err(e @ Error::Invalid { .. }) => {
            let page = QuestionsPage {
                nav: Nav::new(&current, crate::view::current_period()),
                rows: question_rows(&typed),
                no_feedback: typed.feedback_key().is_none(),
                scale: fields.iter().find(|(k, _)| k == "scale").map(|(_, v)| v.clone()).unwrap_or_default(),
                error: Some(e.to_string()),
                problems: e.problems().iter().map(|p| p.to_string()).collect(),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

fn questions_json(q: &Questionnaire) -> serde_json::Value {
    json!({
        "thang_diem": q.scale,
        "cau_hoi": q.questions.iter().map(|x| json!({ "ma": x.key, "noi_dung": x.text, "phan_anh": x.feedback })).collect::<Vec<_>>(),
    })
}

/// `GET /api/survey/questions`: `{"thang_diem": 5, "cau_hoi": [{"ma", "noi_dung", "phan_anh"}]}`.
pub async fn api_questions(State(state): State<Arc<AppState>>, current: CurrentUser) -> Result<Json<serde_json::Value>, ApiError> {
    Ok(Json(questions_json(&cchc_app::survey::questions_for(&state, &current.user).await?)))
}

#[derive(Deserialize)]
pub struct QuestionBody {
    ma: String,
    noi_dung: String,
    #[serde(default)]
    phan_anh: bool,
}

#[derive(Deserialize)]
pub struct QuestionsBody {
    thang_diem: u8,
    cau_hoi: Vec<QuestionBody>,
}

/// `PUT /api/survey/questions`: the whole set, as `GET` gives it; 422 naming every problem.
pub async fn api_save_questions(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    crate::api::ApiJson(b): crate::api::ApiJson<QuestionsBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let q = Questionnaire {
        questions: b.cau_hoi.into_iter().map(|x| Question { key: x.ma, text: x.noi_dung, feedback: x.phan_anh }).collect(),
        scale: b.thang_diem,
    };
    Ok(Json(questions_json(&cchc_app::survey::save_questions(&state, &current.user, q).await?)))
}

#[derive(Template)]
#[template(path = "survey_visits.html")]
struct VisitsPage {
    nav: Nav,
    unit_name: String,
    procedures: Vec<(String, String)>,
}

/// `GET /survey/visits`: the counter officer's forms: a code for a visit without a dossier, and
/// the slip of a receipt code.
pub async fn visits_page(State(state): State<Arc<AppState>>, current: CurrentUser) -> AppResult<Html<String>> {
    let tree = state.tree().await?;
    let unit = &current.user.unit_code;
    let mut procedures: Vec<(String, String)> =
        cchc_app::dossiers::procedures(state.store.as_ref()).await?.into_values().map(|p| (p.code, p.name)).collect();
    procedures.sort_by(|a, b| a.1.cmp(&b.1));
    let page = VisitsPage {
        nav: Nav::new(&current, crate::view::current_period()),
        unit_name: tree.get(unit).map_or_else(|| unit.clone(), |u| u.name.clone()),
        procedures,
    };
    Ok(Html(page.render()?))
}

#[derive(Deserialize, Default)]
pub struct VisitForm {
    #[serde(default)]
    procedure: String,
}

/// `POST /survey/visits`: issues a code of the officer's unit, then its slip.
pub async fn issue_visit(State(state): State<Arc<AppState>>, current: CurrentUser, Form(form): Form<VisitForm>) -> AppResult<Response> {
    let v = cchc_app::survey::issue_visit(&state, &current.user, &current.user.unit_code, &form.procedure, cchc_storage::now()).await?;
    Ok(axum::response::Redirect::to(&format!("/survey/slip?code={}", urlencoded(&v.code))).into_response())
}

/// `POST /api/survey/visits` (`{"thu_tuc": "…"}`, optional): `{"ma", "don_vi", "thu_tuc", "duong_dan"}`.
pub async fn api_issue_visit(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    headers: axum::http::HeaderMap,
    crate::api::ApiJson(b): crate::api::ApiJson<ApiVisit>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let v = cchc_app::survey::issue_visit(&state, &current.user, &current.user.unit_code, &b.thu_tuc, cchc_storage::now()).await?;
    let url = cchc_app::survey::link(state.store.as_ref(), &crate::counter_forms::base_url(&headers), &v.code).await?;
    Ok(Json(json!({ "ma": v.code, "don_vi": v.unit, "thu_tuc": v.procedure, "duong_dan": url })))
}

#[derive(Deserialize, Default)]
pub struct ApiVisit {
    #[serde(default)]
    thu_tuc: String,
}

fn urlencoded(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "survey_slip.html")]
struct SlipPage {
    slip: cchc_app::survey::Slip,
    day: String,
    qr: String,
    caption: &'static str,
}

#[derive(Deserialize, Default)]
pub struct SlipQuery {
    #[serde(default)]
    code: String,
}

/// `GET /survey/slip?code=…`: the slip to print (or to show on the counter's tablet): the code,
/// the unit, the procedure, the day and the QR code of the signed survey link.
pub async fn slip_page(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    headers: axum::http::HeaderMap,
    Query(q): Query<SlipQuery>,
) -> AppResult<Html<String>> {
    let slip = cchc_app::survey::slip(&state, &current.user, &q.code, &crate::counter_forms::base_url(&headers)).await?;
    let (png, _) = cchc_documents::counter_forms::qr_png(&slip.url).map_err(|e| AppError::from(Error::internal(e)))?;
    let page = SlipPage {
        day: cchc_format::date(slip.day),
        qr: format!("data:image/png;base64,{}", base64(&png)),
        caption: cchc_documents::counter_forms::SURVEY_CAPTION,
        slip,
    };
    Ok(Html(page.render()?))
}

/// Standard base64 with padding (the QR code's data URI).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_as_the_standard_says() {
        for (plain, coded) in [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foobar", "Zm9vYmFy")] {
            assert_eq!(super::base64(plain.as_bytes()), coded);
        }
    }

    #[test]
    fn the_office_pages_under_survey_are_no_codes_survey() {
        assert!(super::is_answer_path("/survey/99101N-261206-0001"));
        for page in ["/survey/questions", "/survey/visits", "/survey/slip", "/survey", "/survey/a/b"] {
            assert!(!super::is_answer_path(page), "{page}");
        }
    }

    #[test]
    fn the_question_form_is_read_row_by_row() {
        let f = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>();
        let q = super::typed_questions(&f(&[
            ("scale", "5"),
            ("key", "a"),
            ("text", "A"),
            ("key", ""),
            ("text", ""),
            ("key", "c"),
            ("text", "C"),
            ("feedback", "3"),
        ]));
        assert_eq!(q.scale, 5);
        assert_eq!(q.questions.iter().map(|x| x.key.as_str()).collect::<Vec<_>>(), ["a", "c"]);
        assert!(q.questions[1].feedback && !q.questions[0].feedback);
        assert_eq!(super::typed_questions(&f(&[("scale", "năm")])).scale, 0);
    }
}
