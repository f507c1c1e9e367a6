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
//! Officers read the results at `/survey?unit=…&period=…&by=unit|procedure|field|month` and
//! `/api/survey` (same query, JSON).

use std::collections::BTreeMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Json, Router};
use cchc_app::Error;
use cchc_records::survey::{Grouping, SCALE};
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
        .route("/survey/{code}", get(page).post(answer))
        .route("/api/survey", get(api_results))
        .route("/api/survey/{code}", get(api_form))
}

/// Whether `path` is the public form's address (`/survey/{code}`), whose POST is guarded by the
/// double-submit cookie instead of a session.
pub fn is_answer_path(path: &str) -> bool {
    path.strip_prefix("/survey/").is_some_and(|code| !code.is_empty() && !code.contains('/'))
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
    label: &'static str,
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
                levels: (1..=5u8).rev().map(|v| Level { value: v, label: SCALE[usize::from(v) - 1], checked: chosen == Some(v) }).collect(),
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

fn empty(code: &str) -> SurveyPage {
    SurveyPage {
        code: code.into(),
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
    render(parts, status, SurveyPage { error: Some(message), ..empty(code) })
}

/// `GET /survey/{code}`: the questions, or why there are none.
pub async fn page(State(state): State<Arc<AppState>>, parts: Parts, Path(code): Path<String>) -> AppResult<Response> {
    if let Some(m) = blocked(&state, &parts) {
        return refusal(&parts, &code, StatusCode::TOO_MANY_REQUESTS, m);
    }
    match cchc_app::survey::form(&state, &code).await {
        Ok(f) if f.answered => render(
            &parts,
            StatusCode::OK,
            SurveyPage { procedure: f.procedure.clone(), done: Some(cchc_app::survey::ALREADY_ANSWERED.into()), ..empty(&code) },
        ),
        Ok(f) => render(
            &parts,
            StatusCode::OK,
            SurveyPage { procedure: f.procedure.clone(), questions: questions(&f, &BTreeMap::new()), open: true, ..empty(&code) },
        ),
        Err(e @ Error::NotFound(_)) => {
            failed(&state, &parts);
            refusal(&parts, &code, StatusCode::NOT_FOUND, e.to_string())
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /survey/{code}`: `{question key}=1..5` for each question, `comment`, `_csrf`.
pub async fn answer(
    State(state): State<Arc<AppState>>,
    parts: Parts,
    Path(code): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
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
    match cchc_app::survey::submit(&state, &code, &typed, &comment, cchc_storage::now()).await {
        Ok(()) => render(
            &parts,
            StatusCode::OK,
            SurveyPage {
                done: Some("Cảm ơn ông/bà đã đánh giá. Ý kiến của ông/bà giúp chúng tôi phục vụ tốt hơn.".into()),
                ..empty(&code)
            },
        ),
        Err(e @ Error::Invalid { .. }) => {
            let form = cchc_app::survey::form(&state, &code).await?;
            let problems = e.problems().iter().map(|p| p.message.clone()).collect();
            render(
                &parts,
                StatusCode::UNPROCESSABLE_ENTITY,
                SurveyPage {
                    procedure: form.procedure.clone(),
                    questions: questions(&form, &typed),
                    comment,
                    error: Some(e.to_string()),
                    problems,
                    open: true,
                    ..empty(&code)
                },
            )
        }
        Err(Error::Conflict(m)) => {
            failed(&state, &parts);
            render(&parts, StatusCode::CONFLICT, SurveyPage { done: Some(m), ..empty(&code) })
        }
        Err(e @ Error::NotFound(_)) => {
            failed(&state, &parts);
            refusal(&parts, &code, StatusCode::NOT_FOUND, e.to_string())
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /api/survey/{code}`: `{"ma_ho_so", "thu_tuc", "da_danh_gia", "cau_hoi": [{"ma", "noi_dung"}],
/// "thang_diem": [...]}`, or `{"error", "message"}` with 404 or 429; public, limited as the page.
pub async fn api_form(State(state): State<Arc<AppState>>, parts: Parts, Path(code): Path<String>) -> Response {
    if let Some(m) = blocked(&state, &parts) {
        return (StatusCode::TOO_MANY_REQUESTS, Json(json!({ "error": "too-many-requests", "message": m }))).into_response();
    }
    match cchc_app::survey::form(&state, &code).await {
        Ok(f) => Json(json!({
            "ma_ho_so": f.code, "thu_tuc": f.procedure, "da_danh_gia": f.answered,
            "cau_hoi": f.questions.questions.iter().map(|q| json!({ "ma": q.key, "noi_dung": q.text })).collect::<Vec<_>>(),
            "thang_diem": SCALE,
        }))
        .into_response(),
        Err(e) => {
            if matches!(e, Error::NotFound(_)) {
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
    questions: Vec<String>,
    rows: Vec<RowView>,
    total: RowView,
    comments: Vec<(String, String)>,
}

fn row(label: String, t: &cchc_records::survey::Tally, keys: &[String]) -> RowView {
    RowView {
        label,
        answers: cchc_format::int(t.answers as i64),
        satisfied: cchc_format::int(t.satisfied as i64),
        share: t.share().unwrap_or_else(|| "–".into()),
        averages: keys.iter().map(|k| t.average(k).unwrap_or_else(|| "–".into())).collect(),
    }
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
    let keys: Vec<String> = r.questions.questions.iter().map(|q| q.key.clone()).collect();
    let page = ResultsPage {
        nav: Nav::new(&current, period),
        unit_name: tree.get(&unit).map_or_else(|| unit.clone(), |u| u.name.clone()),
        unit,
        periods: crate::view::period_options(period),
        by: grouping.slug(),
        groupings: [Grouping::Unit, Grouping::Procedure, Grouping::Field, Grouping::Month].map(|g| (g.slug(), g.name_vi())).to_vec(),
        group_name: grouping.name_vi(),
        window: format!("{} – {}", cchc_format::date(r.window.from), cchc_format::date(r.window.to)),
        questions: r.questions.questions.iter().map(|q| q.text.clone()).collect(),
        rows: r.rows.iter().map(|x| row(x.label.clone(), &x.tally, &keys)).collect(),
        total: row("Tổng cộng".into(), &r.total, &keys),
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
    let tally = |t: &cchc_records::survey::Tally| {
        json!({
            "so_phieu": t.answers, "hai_long": t.satisfied, "ty_le": t.share(),
            "diem_trung_binh": r.questions.questions.iter().map(|q| (q.key.clone(), t.average(&q.key))).collect::<BTreeMap<_, _>>(),
        })
    };
    Ok(Json(json!({
        "don_vi": r.unit, "ky": period.to_string(), "nhom": grouping.slug(),
        "tu_ngay": cchc_format::date(r.window.from), "den_ngay": cchc_format::date(r.window.to),
        "nhom_ket_qua": r.rows.iter().map(|x| json!({ "ma": x.key, "ten": x.label, "ket_qua": tally(&x.tally) })).collect::<Vec<_>>(),
        "tong": tally(&r.total),
    })))
}
