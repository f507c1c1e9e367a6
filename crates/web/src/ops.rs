//! What an IT team needs to run cchc (issue 16 item 6): one log line per request, `/healthz`
//! and Prometheus counters at `/metrics`.
//!
//! The request log names the route *template* (`/dossiers/{id}`), never the path as asked
//! (ids, unit codes, query strings), with the method, status, time in ms and the user name of
//! the session; it never holds a person's name, a query string or a body. The counters are kept
//! in the process (atomics and a small map) and written in Prometheus' text format by hand: no
//! metrics crate is needed for four counters.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use cchc_storage::Role;

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The route label of a request no route matched (a 404 of the fallback): one label, whatever
/// was asked, so a scan of random addresses adds no series.
pub const UNMATCHED: &str = "unmatched";

/// The route template a request matched (`/reports/{unit}/{period}`), or [`UNMATCHED`].
pub fn route_of<B>(request: &axum::http::Request<B>) -> &str {
    request.extensions().get::<MatchedPath>().map_or(UNMATCHED, MatchedPath::as_str)
}

/// The span of a request's log line: method, route template and (once the session is read) the
/// user name; the line itself, with the status and the time in ms, is written by [`observe`] as
/// the response leaves.
pub fn request_span<B>(request: &axum::http::Request<B>) -> tracing::Span {
    tracing::info_span!("request", method = %method_label(request.method()), route = %route_of(request), user = tracing::field::Empty)
}

/// The request's log span, lent to the handlers through the request's extensions: inside the
/// sessions layer its own span is current, so `Span::current()` would miss the request's.
#[derive(Clone)]
struct RequestSpan(tracing::Span);

/// Records the session's user name in the request's log span.
pub fn record_user(parts: &axum::http::request::Parts, username: &str) {
    if let Some(span) = parts.extensions.get::<RequestSpan>() {
        span.0.record("user", tracing::field::display(username));
    }
}

/// The method as a label: the standard ones as they are, any other as `OTHER` (a client may send
/// any word as a method; it must not become a series of its own).
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

/// The counters of one server process, since it started.
#[derive(Default)]
pub struct Metrics {
    /// Requests by (method, route template, status class `2xx`…`5xx`).
    requests: Mutex<BTreeMap<(&'static str, String, &'static str), u64>>,
    /// Responses with a 5xx status.
    errors: AtomicU64,
    /// 409 answers to a save (a POST, PUT, PATCH or DELETE): the data changed since it was read.
    conflicts: AtomicU64,
    /// Rows stored by importers, by importer.
    imported: Mutex<BTreeMap<&'static str, u64>>,
}

/// The importers counted in `cchc_import_rows_total`, always written (0 until used).
pub const IMPORTERS: [&str; 2] = ["report", "units"];

impl Metrics {
    /// Counts one answered request.
    pub fn record(&self, method: &Method, route: &str, status: StatusCode) {
        let class = match status.as_u16() {
            100..=199 => "1xx",
            200..=299 => "2xx",
            300..=399 => "3xx",
            400..=499 => "4xx",
            _ => "5xx",
        };
        *self.requests.lock().expect("metrics lock").entry((method_label(method), route.to_string(), class)).or_default() += 1;
        if status.is_server_error() {
            self.errors.fetch_add(1, Ordering::Relaxed);
        }
        let save = matches!(*method, Method::POST | Method::PUT | Method::PATCH | Method::DELETE);
        if save && status == StatusCode::CONFLICT {
            self.conflicts.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Counts `rows` stored by `importer` (one of [`IMPORTERS`]).
    pub fn imported(&self, importer: &'static str, rows: u64) {
        *self.imported.lock().expect("metrics lock").entry(importer).or_default() += rows;
    }

    /// The counters in Prometheus' text exposition format (version 0.0.4).
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("# HELP cchc_http_requests_total HTTP requests answered, by method, route template and status class.\n");
        out.push_str("# TYPE cchc_http_requests_total counter\n");
        for ((method, route, class), n) in self.requests.lock().expect("metrics lock").iter() {
            let _ = writeln!(out, "cchc_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{class}\"}} {n}", escape(route));
        }
        out.push_str("# HELP cchc_http_errors_total Requests answered with a server error (5xx).\n");
        out.push_str("# TYPE cchc_http_errors_total counter\n");
        let _ = writeln!(out, "cchc_http_errors_total {}", self.errors.load(Ordering::Relaxed));
        out.push_str("# HELP cchc_save_conflicts_total Saves refused with 409 because the data changed after it was read.\n");
        out.push_str("# TYPE cchc_save_conflicts_total counter\n");
        let _ = writeln!(out, "cchc_save_conflicts_total {}", self.conflicts.load(Ordering::Relaxed));
        out.push_str("# HELP cchc_import_rows_total Rows stored by importers, by importer.\n");
        out.push_str("# TYPE cchc_import_rows_total counter\n");
        let imported = self.imported.lock().expect("metrics lock");
        let mut importers: Vec<&str> = IMPORTERS.to_vec();
        importers.extend(imported.keys().filter(|k| !IMPORTERS.contains(k)));
        for importer in importers {
            let _ = writeln!(
                out,
                "cchc_import_rows_total{{importer=\"{}\"}} {}",
                escape(importer),
                imported.get(importer).copied().unwrap_or(0)
            );
        }
        out
    }
}

/// A label value as the text format wants it: `\`, `"` and line breaks escaped.
fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// Logs and counts every answered request by its route template (a layer of the router: it runs
/// after routing, so the matched route is known). The handlers run in the request's span
/// ([`request_span`], lent to them to record the user); as the response leaves, one line
/// `answered status=200 ms=12` in it (a warning for a 5xx).
pub async fn observe(State(state): State<Arc<AppState>>, mut request: Request, next: Next) -> Response {
    use tracing::Instrument;
    let started = std::time::Instant::now();
    let span = request_span(&request);
    request.extensions_mut().insert(RequestSpan(span.clone()));
    let method = request.method().clone();
    let route = route_of(&request).to_string();
    let response = next.run(request).instrument(span.clone()).await;
    let status = response.status();
    let ms = started.elapsed().as_millis() as u64;
    let _entered = span.enter();
    if status.is_server_error() {
        tracing::warn!(status = status.as_u16(), ms, "answered");
    } else {
        tracing::info!(status = status.as_u16(), ms, "answered");
    }
    state.metrics.record(&method, &route, status);
    response
}

/// `/healthz`, without a login: 200 `ok` when the database answers, 503 otherwise. Never cached.
pub async fn healthz(State(state): State<Arc<AppState>>) -> Response {
    let (status, body) = match cchc_app::health::ping(state.store.as_ref()).await {
        Ok(()) => (StatusCode::OK, "ok\n".to_string()),
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, format!("{e}\n")),
    };
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], body).into_response()
}

/// `/metrics`, for an administrator only: the counters in Prometheus' text format.
pub async fn metrics(State(state): State<Arc<AppState>>, current: CurrentUser) -> AppResult<Response> {
    if current.user.role != Role::Admin {
        return Err(AppError::Forbidden("Chỉ quản trị được xem số liệu vận hành của hệ thống.".into()));
    }
    let headers = [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8"), (header::CACHE_CONTROL, "no-store")];
    Ok((headers, state.metrics.render()).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_are_written_in_the_text_format() {
        let m = Metrics::default();
        m.record(&Method::GET, "/dossiers/{id}", StatusCode::OK);
        m.record(&Method::GET, "/dossiers/{id}", StatusCode::OK);
        m.record(&Method::POST, "/reports/{unit}/{period}/form/{form}", StatusCode::CONFLICT);
        m.record(&Method::GET, "/x", StatusCode::CONFLICT);
        m.record(&Method::GET, UNMATCHED, StatusCode::NOT_FOUND);
        m.record(&Method::from_bytes(b"BREW").unwrap(), UNMATCHED, StatusCode::INTERNAL_SERVER_ERROR);
        m.imported("units", 12);
        m.imported("units", 3);
        let text = m.render();
        assert!(text.contains("cchc_http_requests_total{method=\"GET\",route=\"/dossiers/{id}\",status=\"2xx\"} 2\n"), "{text}");
        assert!(
            text.contains("cchc_http_requests_total{method=\"POST\",route=\"/reports/{unit}/{period}/form/{form}\",status=\"4xx\"} 1\n")
        );
        assert!(text.contains("cchc_http_requests_total{method=\"OTHER\",route=\"unmatched\",status=\"5xx\"} 1\n"), "{text}");
        assert!(text.contains("cchc_http_errors_total 1\n"));
        // A 409 to a read is no save conflict.
        assert!(text.contains("cchc_save_conflicts_total 1\n"));
        assert!(text.contains("cchc_import_rows_total{importer=\"units\"} 15\n"));
        assert!(text.contains("cchc_import_rows_total{importer=\"report\"} 0\n"));
        // Every sample line follows its HELP and TYPE lines; no line is empty.
        for name in ["cchc_http_requests_total", "cchc_http_errors_total", "cchc_save_conflicts_total", "cchc_import_rows_total"] {
            let help = text.find(&format!("# HELP {name} ")).expect(name);
            let kind = text.find(&format!("# TYPE {name} counter\n")).expect(name);
            let sample = text.find(&format!("\n{name}")).expect(name);
            assert!(help < kind && kind < sample, "{name}");
        }
        assert!(!text.contains("\n\n"));
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
