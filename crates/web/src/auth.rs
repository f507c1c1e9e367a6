//! Logins, sessions, the current user, CSRF protection and the login rate limit.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use cchc_storage::User;
use serde::Deserialize;
use tower_sessions::Session;

use crate::error::{AppError, AppResult};
use crate::state::AppState;

const USER_KEY: &str = "user";
const CSRF_KEY: &str = "csrf";
/// The password stamp the session was opened with ([`cchc_app::accounts::session_stamp`]).
const STAMP_KEY: &str = "stamp";
/// The login form's CSRF cookie: the form carries the same random token (a double-submit
/// cookie), so an anonymous visit of the login page stores no session.
const LOGIN_COOKIE: &str = "cchc_login";
/// The form field and the header (htmx, API) that carry the CSRF token.
pub const CSRF_FIELD: &str = "_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The logged-in user, with the session's CSRF token for the forms of the page.
pub struct CurrentUser {
    pub user: User,
    pub csrf: String,
}

impl FromRequestParts<Arc<AppState>> for CurrentUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Self::Rejection> {
        // Inside the nested `/api` router the path has lost its prefix: the original URI has it.
        let uri = parts.extensions.get::<axum::extract::OriginalUri>().map_or_else(|| parts.uri.clone(), |o| o.0.clone());
        let api = uri.path().starts_with("/api/") || uri.path() == "/api";
        match current_user(parts, state, api).await {
            Ok(u) => Ok(u),
            Err(AppError::Unauthenticated { api: false }) => Err(login_required(parts, &uri)),
            Err(e) if api => Err(crate::error::ApiError(e).into_response()),
            Err(e) => Err(e.into_response()),
        }
    }
}

async fn current_user(parts: &mut Parts, state: &Arc<AppState>, api: bool) -> AppResult<CurrentUser> {
    let session = Session::from_request_parts(parts, state).await.map_err(|_| AppError::Unauthenticated { api })?;
    let username: Option<String> = session.get(USER_KEY).await.map_err(AppError::Internal)?;
    let username = username.ok_or(AppError::Unauthenticated { api })?;
    // A password changed or reset since this session was opened ends it.
    let stamp: Option<String> = session.get(STAMP_KEY).await.map_err(AppError::Internal)?;
    let Some(user) = cchc_app::accounts::session_user(state.store.as_ref(), &username, stamp.as_deref()).await? else {
        session.flush().await.map_err(AppError::Internal)?;
        return Err(AppError::Unauthenticated { api });
    };
    let csrf = csrf_token(&session).await?;
    // In the request's log span (not `Span::current()`: the sessions layer's span is current here).
    crate::ops::record_user(parts, &user.username);
    Ok(CurrentUser { user, csrf })
}

/// The message of a page or request whose session has ended.
pub const SESSION_EXPIRED: &str = "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.";

/// Whether the request comes from a page's script (htmx, the entry form's cell saves), which
/// cannot follow a redirect to the login page: it gets a 401 it can tell the user about.
fn from_script(headers: &axum::http::HeaderMap) -> bool {
    headers.contains_key("hx-request") || headers.contains_key(crate::entry::CELL_HEADER)
}

/// A page asked for without a session: a read goes to the login page, which comes back to it
/// (`/login?next=…`); a page's script gets a 401 with the Vietnamese message.
fn login_required(parts: &Parts, uri: &axum::http::Uri) -> Response {
    if from_script(&parts.headers) {
        return expired_for_script();
    }
    if matches!(parts.method, Method::GET | Method::HEAD) {
        let target = uri.path_and_query().map_or("/", |p| p.as_str());
        if let Some(next) = safe_next(target).filter(|n| *n != "/") {
            return Redirect::to(&login_url(next)).into_response();
        }
    }
    Redirect::to("/login").into_response()
}

fn expired_for_script() -> Response {
    let body = serde_json::json!({ "error": "unauthenticated", "message": SESSION_EXPIRED });
    (StatusCode::UNAUTHORIZED, [("x-cchc-session", "expired")], axum::Json(body)).into_response()
}

/// `/login?next=…` for a page of this site.
pub fn login_url(next: &str) -> String {
    let query = serde_urlencoded::to_string([("next", next)]).unwrap_or_default();
    format!("/login?{query}")
}

/// `next` when it is a path of this site (`/reports/…?x=1`): never another site (`//evil.com`,
/// `https://evil.com`, `/\\evil.com`), a control character or the login page itself.
pub fn safe_next(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(|c| c.is_control() || c.is_whitespace())
        && !next.starts_with("/login")
        && next.len() <= 2000;
    ok.then_some(next)
}

/// The session's CSRF token, made on first use.
pub async fn csrf_token(session: &Session) -> AppResult<String> {
    if let Some(t) = session.get::<String>(CSRF_KEY).await.map_err(AppError::Internal)? {
        return Ok(t);
    }
    let token = new_token();
    session.insert(CSRF_KEY, &token).await.map_err(AppError::Internal)?;
    Ok(token)
}

fn new_token() -> String {
    (0..32).map(|_| format!("{:x}", rand::random::<u8>() % 16)).collect()
}

/// Keeps the session's account up to date after its own password changed: the session goes on,
/// the account's other sessions end.
pub async fn renew_stamp(session: &Session, user: &User) -> AppResult<()> {
    session.insert(STAMP_KEY, cchc_app::accounts::session_stamp(&user.password_hash)).await.map_err(AppError::Internal)
}

/// The value of the request's cookie `name`.
fn cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_string())
}

/// Refuses every state-changing request whose CSRF token (header or form field) is not the
/// session's. Only the JSON login, which has no session to ride on yet, is exempt.
pub async fn csrf_guard(session: Session, request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let api = request.uri().path().starts_with("/api/");
    if safe || request.uri().path() == "/api/login" {
        return next.run(request).await;
    }
    // The login form has no session yet: its token is the one in its cookie. So has the public
    // survey form (`POST /survey/{code}` only, a citizen's phone), with a cookie of its own.
    let survey = crate::survey::is_answer_path(request.uri().path());
    let expected: Option<String> = if request.uri().path() == "/login" {
        cookie(request.headers(), LOGIN_COOKIE).filter(|t| !t.is_empty())
    } else if survey {
        cookie(request.headers(), crate::survey::COOKIE).filter(|t| !t.is_empty())
    } else {
        session.get(CSRF_KEY).await.ok().flatten()
    };
    let (request, provided) = match request.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        Some(h) => {
            let h = h.to_string();
            (request, Some(h))
        }
        None => token_from_form(request).await,
    };
    // Neither the login form nor the survey's is sent to the login page when its cookie is gone.
    let login = request.uri().path() == "/login" || survey;
    match (expected, provided) {
        (Some(e), Some(p)) if e == p => next.run(request).await,
        // No session at all: the API says so (401), as for a read, rather than blame the token.
        (None, _) if api => crate::error::ApiError(AppError::Unauthenticated { api: true }).into_response(),
        // A page's session has ended (or the login page's cookie is gone): a script is told so,
        // a form gets the login page, which returns to the page the form was on.
        (None, _) if !login && from_script(request.headers()) => expired_for_script(),
        (None, _) if !login => {
            let next = referer_path(request.headers());
            login_form(StatusCode::UNAUTHORIZED, Some(SESSION_EXPIRED.into()), String::new(), next.unwrap_or_default())
                .unwrap_or_else(IntoResponse::into_response)
        }
        _ => {
            let refusal = cchc_app::Error::Forbidden(
                "Phiên làm việc không hợp lệ hoặc đã hết hạn (mã chống giả mạo CSRF sai). Hãy tải lại trang rồi thử lại.".into(),
            );
            if api { crate::error::json(&refusal) } else { crate::error::page(&refusal) }
        }
    }
}

/// The path of the page a form was posted from, when it is a page of this site.
fn referer_path(headers: &axum::http::HeaderMap) -> Option<String> {
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let rest = referer.strip_prefix("http://").or_else(|| referer.strip_prefix("https://"))?;
    let path = rest.strip_prefix(host)?;
    safe_next(path).map(Into::into)
}

/// Reads the `_csrf` field of a urlencoded form and puts the body back for the handler. A file
/// upload (multipart) carries it in the form's action, `?_csrf=…`: its body is not read here (it
/// may be large), and the request log records the path without the query.
async fn token_from_form(request: Request) -> (Request, Option<String>) {
    let content_type = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if content_type.starts_with("multipart/form-data") {
        let token = request
            .uri()
            .query()
            .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
            .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v));
        return (request, token);
    }
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return (request, None);
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 4 * 1024 * 1024).await else {
        return (Request::from_parts(parts, Body::empty()), None);
    };
    let token = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .ok()
        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v));
    (Request::from_parts(parts, Body::from(bytes)), token)
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    csrf: String,
    error: Option<String>,
    username: String,
    /// The page to return to after logging in (a path of this site), or empty.
    next: String,
    /// A confirmation shown above the form (after logging out): the session that would carry a
    /// flash message is gone, and the login page stores none.
    notice: Option<&'static str>,
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
    /// `?thoat=1`: the user has just logged out.
    #[serde(default)]
    thoat: Option<String>,
}

/// The confirmation of a logout, shown on the login page it leads to.
pub const LOGGED_OUT: &str = "Bạn đã đăng xuất. Hẹn gặp lại!";

/// The login page with a fresh token in its form and in the login cookie; nothing is stored.
/// `?next=/reports/…` (a path of this site only) is where a successful login goes.
pub async fn login_page(Query(q): Query<NextQuery>) -> AppResult<Response> {
    let next = safe_next(&q.next).unwrap_or_default().to_string();
    let notice = q.thoat.is_some().then_some(LOGGED_OUT);
    login_page_with(StatusCode::OK, None, String::new(), next, notice)
}

fn login_form(status: StatusCode, error: Option<String>, username: String, next: String) -> AppResult<Response> {
    login_page_with(status, error, username, next, None)
}

fn login_page_with(
    status: StatusCode,
    error: Option<String>,
    username: String,
    next: String,
    notice: Option<&'static str>,
) -> AppResult<Response> {
    let csrf = new_token();
    let secure = if crate::secure_cookies() { "; Secure" } else { "" };
    let set = format!("{LOGIN_COOKIE}={csrf}; Path=/login; HttpOnly; SameSite=Strict{secure}");
    let page = LoginPage { csrf, error, username, next, notice }.render()?;
    Ok((status, [(header::SET_COOKIE, set)], Html(page)).into_response())
}

#[derive(Deserialize)]
pub struct LoginForm {
    pub username: String,
    pub password: String,
    /// The page to return to (the login form's hidden field); only a path of this site is followed.
    #[serde(default)]
    pub next: String,
}

/// Why a login failed, in Vietnamese.
pub enum LoginRefusal {
    Blocked(std::time::Duration),
    /// Too many failures from the client's address, whatever the user names.
    AddressBlocked(std::time::Duration),
    Wrong,
}

impl LoginRefusal {
    pub fn message(&self) -> String {
        match self {
            LoginRefusal::Blocked(wait) => format!(
                "Đăng nhập sai quá {} lần. Vui lòng thử lại sau {} phút.",
                crate::state::LoginLimiter::MAX_FAILURES,
                wait.as_secs().div_ceil(60)
            ),
            LoginRefusal::AddressBlocked(wait) => {
                format!("Có quá nhiều lần đăng nhập sai từ địa chỉ này. Vui lòng thử lại sau {} phút.", wait.as_secs().div_ceil(60))
            }
            LoginRefusal::Wrong => "Tên đăng nhập hoặc mật khẩu không đúng.".into(),
        }
    }
}

/// Checks the credentials under the rate limits (per user name and address, and per address
/// across user names); on success the session gets a new id (against session fixation), the
/// user, the password's stamp and a new CSRF token, and the login is audited.
pub async fn authenticate(state: &AppState, session: &Session, form: &LoginForm, addr: &str) -> AppResult<Result<User, LoginRefusal>> {
    let key = format!("{}|{addr}", form.username.trim().to_lowercase());
    let address = format!("address|{addr}");
    if let Some(wait) = state.limiter.blocked(&address, crate::state::LoginLimiter::MAX_FAILURES_PER_ADDRESS) {
        return Ok(Err(LoginRefusal::AddressBlocked(wait)));
    }
    if let Some(wait) = state.limiter.blocked(&key, crate::state::LoginLimiter::MAX_FAILURES) {
        return Ok(Err(LoginRefusal::Blocked(wait)));
    }
    let Some(user) = cchc_app::accounts::check_credentials(state.store.as_ref(), &form.username, &form.password).await? else {
        state.limiter.record_failure(&key);
        state.limiter.record_failure(&address);
        return Ok(Err(LoginRefusal::Wrong));
    };
    // The address's failures stay counted: a login of one's own account does not reset them.
    state.limiter.clear(&key);
    session.cycle_id().await.map_err(AppError::Internal)?;
    session.insert(USER_KEY, &user.username).await.map_err(AppError::Internal)?;
    renew_stamp(session, &user).await?;
    session.insert(CSRF_KEY, new_token()).await.map_err(AppError::Internal)?;
    cchc_app::accounts::record_session(state.store.as_ref(), &user.username, cchc_app::accounts::SessionEvent::Login).await?;
    Ok(Ok(user))
}

/// The client's address for the login rate limit, when the server was started with connection
/// info (tests without it get `local`): the connection's address, or behind a trusted reverse
/// proxy the client it names ([`client_ip`]).
pub fn client_addr(state: &AppState, parts: &Parts) -> String {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "local".into(), |c| client_ip(c.0.ip(), &parts.headers, &state.trusted_proxies).to_string())
}

/// The client of a connection from `peer`. A peer that is not one of the `trusted` proxies is
/// the client, whatever its `X-Forwarded-For` says (anyone can write that header). From a trusted
/// proxy, the right-most address of `X-Forwarded-For` that is not itself a trusted proxy: each
/// proxy appends the address it was reached from, so what lies to the right of the first untrusted
/// address was written by the proxies, and what lies to its left by the client, and is ignored.
/// A trusted peer without the header (or with only trusted or unreadable entries) is the client.
pub fn client_ip(peer: IpAddr, headers: &axum::http::HeaderMap, trusted: &[ipnet::IpNet]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|t| t.contains(&ip.to_canonical()));
    if !is_trusted(peer) {
        return peer.to_canonical();
    }
    let hops: Vec<&str> =
        headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).map(str::trim).collect();
    for hop in hops.iter().rev() {
        match parse_hop(hop) {
            Some(ip) if is_trusted(ip) => continue,
            Some(ip) => return ip.to_canonical(),
            // An entry no proxy writes: nothing to its left can be believed either.
            None => break,
        }
    }
    peer.to_canonical()
}

/// A `--trusted-proxy` value: one address (`10.0.0.1`, `::1`) or a network (`10.0.0.0/8`,
/// `fd00::/8`), with a Vietnamese message for anything else.
pub fn parse_trusted_proxy(text: &str) -> Result<ipnet::IpNet, String> {
    let text = text.trim();
    text.parse::<ipnet::IpNet>()
        .or_else(|_| text.parse::<IpAddr>().map(ipnet::IpNet::from))
        .map(|net| net.trunc())
        .map_err(|_| format!("“{text}” không phải địa chỉ IP (ví dụ 10.0.0.1) hay dải địa chỉ (ví dụ 10.0.0.0/8)"))
}

/// One `X-Forwarded-For` entry: `203.0.113.7`, `2001:db8::1`, or with a port
/// (`203.0.113.7:4711`, `[2001:db8::1]:4711`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>().ok().or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

pub async fn login(State(state): State<Arc<AppState>>, session: Session, parts: Parts, Form(form): Form<LoginForm>) -> AppResult<Response> {
    let next = safe_next(&form.next).unwrap_or_default().to_string();
    // An empty field costs the same verification as a wrong password (no timing difference); its
    // message says what is missing (the form has no `required`: the browser's text is English).
    let empty = form.username.trim().is_empty() || form.password.is_empty();
    match authenticate(&state, &session, &form, &client_addr(&state, &parts)).await? {
        Ok(_) => {
            let gone = format!("{LOGIN_COOKIE}=; Path=/login; HttpOnly; SameSite=Strict; Max-Age=0");
            let to = if next.is_empty() { "/" } else { next.as_str() };
            Ok(([(header::SET_COOKIE, gone)], Redirect::to(to)).into_response())
        }
        Err(LoginRefusal::Wrong) if empty => {
            login_form(StatusCode::UNAUTHORIZED, Some("Vui lòng nhập tên đăng nhập và mật khẩu.".into()), form.username, next)
        }
        Err(refusal) => login_form(StatusCode::UNAUTHORIZED, Some(refusal.message()), form.username, next),
    }
}

pub async fn logout(State(state): State<Arc<AppState>>, session: Session) -> AppResult<Redirect> {
    if let Some(user) = session.get::<String>(USER_KEY).await.ok().flatten() {
        cchc_app::accounts::record_session(state.store.as_ref(), &user, cchc_app::accounts::SessionEvent::Logout).await?;
    }
    session.flush().await.map_err(AppError::Internal)?;
    Ok(Redirect::to("/login?thoat=1"))
}
