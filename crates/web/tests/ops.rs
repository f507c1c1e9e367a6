//! What an IT team needs to run cchc (issue 16 item 6), and the client address behind a reverse
//! proxy (item 4): the request log names route templates, never ids, query strings or names;
//! `/healthz` answers without a login, 503 when the database does not; `/metrics` is for
//! administrators and counts requests, save conflicts and imported rows; `X-Forwarded-For` is
//! believed from a trusted proxy only.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{StatusCode, header};

mod common;
use common::{Client, field_value, form_url};

const OWN_UNIT: &str = "99101N";
const OFFICER: &str = "sonha";
const H1: &str = "2026-H1";

async fn demo() -> (cchc_web::AppState, Arc<dyn cchc_storage::Store>) {
    let store = cchc_storage::open("sqlite::memory:").await.expect("store");
    let catalogue = cchc_catalogue::default_catalogue();
    cchc_app::demo::seed(store.as_ref(), &catalogue, 100).await.expect("demo seed");
    (cchc_web::AppState::new(store.clone(), catalogue), store)
}

async fn app() -> (Router, Arc<dyn cchc_storage::Store>) {
    let (state, store) = demo().await;
    (cchc_web::router(state), store)
}

// ---- The request log ----------------------------------------------------------------------

/// A subscriber writing each event as one line: the names and fields of the spans it is in,
/// then its own fields (what a log file would hold). For this thread only (`set_default`).
/// It does not answer `Span::current()` (that needs `tracing-core`, not a dependency here): the
/// web records the user in the request's span by its handle, which this subscriber follows.
#[derive(Default)]
struct Capture {
    lines: Arc<Mutex<Vec<String>>>,
    spans: Mutex<HashMap<u64, SpanFields>>,
    next: AtomicU64,
}

/// A span's metadata and the fields recorded in it so far.
type SpanFields = (&'static tracing::Metadata<'static>, Vec<(String, String)>);

thread_local! {
    static ENTERED: std::cell::RefCell<Vec<u64>> = const { std::cell::RefCell::new(Vec::new()) };
}

#[derive(Default)]
struct Fields(Vec<(String, String)>);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push((field.name().into(), format!("{value:?}")));
    }
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.push((field.name().into(), value.into()));
    }
}

fn join(fields: &[(String, String)]) -> String {
    fields.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" ")
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn register_callsite(&self, _: &'static tracing::Metadata<'static>) -> tracing::subscriber::Interest {
        tracing::subscriber::Interest::always()
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let mut fields = Fields::default();
        span.record(&mut fields);
        self.spans.lock().unwrap().insert(id, (span.metadata(), fields.0));
        tracing::span::Id::from_u64(id)
    }
    fn record(&self, span: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut fields = Fields::default();
        values.record(&mut fields);
        if let Some((_, f)) = self.spans.lock().unwrap().get_mut(&span.into_u64()) {
            f.extend(fields.0);
        }
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let spans = self.spans.lock().unwrap();
        let context: Vec<String> = ENTERED.with(|e| {
            e.borrow().iter().filter_map(|id| spans.get(id)).map(|(meta, f)| format!("{}{{{}}}", meta.name(), join(f))).collect()
        });
        self.lines.lock().unwrap().push(format!("{} {}", context.join(":"), join(&fields.0)));
    }
    fn enter(&self, span: &tracing::span::Id) {
        ENTERED.with(|e| e.borrow_mut().push(span.into_u64()));
    }
    fn exit(&self, span: &tracing::span::Id) {
        ENTERED.with(|e| {
            let mut e = e.borrow_mut();
            if let Some(i) = e.iter().rposition(|id| *id == span.into_u64()) {
                e.remove(i);
            }
        });
    }
}

/// The request lines (`answered status=… ms=…`) among `lines`.
fn request_lines(lines: &[String]) -> Vec<&String> {
    lines.iter().filter(|l| l.contains("answered status=")).collect()
}

#[tokio::test]
async fn the_request_log_names_the_route_template_status_time_and_user_never_the_ids_query_or_name() {
    let (app, store) = app().await;
    let dossier = store
        .search_dossiers(&cchc_storage::DossierQuery::new(
            vec![OWN_UNIT.into()],
            chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap(),
            chrono::NaiveDate::from_ymd_opt(2100, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap(),
            1,
        ))
        .await
        .expect("search")
        .1
        .into_iter()
        .next()
        .expect("a dossier of the demo");
    let capture = Capture::default();
    let lines = capture.lines.clone();
    // `tracing` caches each callsite's interest for the whole process, and with one dispatcher
    // registered it asks the default of whichever thread registers the callsite: a sibling test's
    // thread has none and answers "never", which silenced this capture's request lines once in
    // CI. A second dispatcher held for the test makes every callsite's interest the union of the
    // registered ones (both "always"); the rebuild mends what was cached before.
    let _anchor = tracing::Dispatch::new(Capture::default());
    let _guard = tracing::subscriber::set_default(capture);
    tracing::callsite::rebuild_interest_cache();

    let mut c = Client::logged_in(&app, OFFICER).await;
    let page = c.get(&format!("/dossiers/{}?q=bi-mat-truy-van", dossier.id)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let api = c.get(&format!("/api/reports/{OWN_UNIT}/{H1}?ghi-chu=bi-mat-api")).await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    assert_eq!(c.get("/khong-co-trang-nay/99101N").await.status, StatusCode::NOT_FOUND);

    let lines = lines.lock().unwrap().clone();
    let requests = request_lines(&lines);
    let detail = requests.iter().find(|l| l.contains("route=/dossiers/{id}")).unwrap_or_else(|| panic!("no dossier line in {lines:#?}"));
    assert!(detail.contains("method=GET"), "{detail}");
    assert!(detail.contains("status=200"), "{detail}");
    assert!(detail.contains(&format!("user={OFFICER}")), "{detail}");
    assert!(ms_at_end(detail), "no time in ms: {detail}");
    let api_line = requests
        .iter()
        .find(|l| l.contains("route=/api/reports/{unit}/{period}"))
        .unwrap_or_else(|| panic!("no API line in {requests:#?}"));
    assert!(api_line.contains("status=200") && api_line.contains(&format!("user={OFFICER}")), "{api_line}");
    assert!(requests.iter().any(|l| l.contains("route=unmatched") && l.contains("status=404")), "{requests:#?}");
    // The login was logged too, by route, without the user's name or password.
    assert!(requests.iter().any(|l| l.contains("method=POST") && l.contains("route=/login")), "{requests:#?}");

    // Nothing personal or identifying, on any line of the log.
    let all = lines.join("\n");
    let full_name = cchc_app::demo::ACCOUNTS.iter().find(|a| a.username == OFFICER).unwrap().full_name;
    for secret in
        [dossier.id.as_str(), OWN_UNIT, "bi-mat-truy-van", "bi-mat-api", "khong-co-trang-nay", full_name, cchc_app::demo::PASSWORD]
    {
        assert!(!all.contains(secret), "the log holds {secret:?}:\n{all}");
    }
}

/// Whether the line ends with the time in milliseconds (`ms=12`).
fn ms_at_end(line: &str) -> bool {
    line.rsplit_once(" ms=").is_some_and(|(_, n)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

// ---- /healthz -----------------------------------------------------------------------------

#[tokio::test]
async fn healthz_answers_without_a_login_and_503_when_the_database_does_not() {
    let dir = std::env::temp_dir().join(format!("cchc-healthz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("health.db");
    let _ = std::fs::remove_file(&path);
    let url = format!("sqlite://{}", path.display());
    let store = cchc_storage::open(&url).await.expect("store");
    let app = cchc_web::router(cchc_web::AppState::new(store, cchc_catalogue::default_catalogue()));

    let mut anonymous = Client::new(&app);
    let up = anonymous.get("/healthz").await;
    assert_eq!(up.status, StatusCode::OK, "{}", up.body);
    assert_eq!(up.body, "ok\n");
    assert_eq!(up.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
    assert!(up.location.is_none() && anonymous.cookie.is_none(), "a health check opens no session");

    // The table the check reads is gone: the database no longer answers it.
    {
        use sqlx::Connection;
        let mut db = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query("DROP TABLE settings").execute(&mut db).await.unwrap();
    }
    let down = anonymous.get("/healthz").await;
    assert_eq!(down.status, StatusCode::SERVICE_UNAVAILABLE, "{}", down.body);
    assert_eq!(down.body, format!("{}\n", cchc_app::health::UNAVAILABLE));
    assert!(!down.body.contains("settings") && !down.body.contains("no such table"), "{}", down.body);
    let _ = std::fs::remove_dir_all(&dir);
}

// ---- /metrics -----------------------------------------------------------------------------

/// The value of the sample line starting with `series ` in a `/metrics` text.
fn sample(text: &str, series: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series).and_then(|rest| rest.strip_prefix(' ')))
        .unwrap_or_else(|| panic!("no {series} in\n{text}"))
        .parse()
        .unwrap()
}

#[tokio::test]
async fn metrics_are_for_administrators_only() {
    let (app, _) = app().await;
    let anonymous = Client::new(&app).get("/metrics").await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(anonymous.location.as_deref(), Some("/login?next=%2Fmetrics"));
    for user in ["sonha", "tonghop", "lanhdao"] {
        let r = Client::logged_in(&app, user).await.get("/metrics").await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{user}");
        assert!(!r.body.contains("cchc_http_requests_total"), "{user}");
        assert!(r.body.contains("Chỉ quản trị được xem số liệu vận hành"), "{}", r.body);
    }
    let r = Client::logged_in(&app, "quantri").await.get("/metrics").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.content_type.starts_with("text/plain; version=0.0.4"), "{}", r.content_type);
    // The refusals above are counted, by route and status class.
    assert_eq!(sample(&r.body, "cchc_http_requests_total{method=\"GET\",route=\"/metrics\",status=\"4xx\"}"), 3);
    assert_eq!(sample(&r.body, "cchc_http_requests_total{method=\"GET\",route=\"/metrics\",status=\"3xx\"}"), 1);
}

#[tokio::test]
async fn metrics_count_requests_by_route_save_conflicts_and_errors() {
    let (app, _) = app().await;
    let mut admin = Client::logged_in(&app, "quantri").await;
    let before = admin.get("/metrics").await.body;
    assert_eq!(sample(&before, "cchc_save_conflicts_total"), 0);
    assert_eq!(sample(&before, "cchc_http_errors_total"), 0);

    // Two officers open the same form; the second saves after the first: 409.
    let url = form_url(OWN_UNIT, H1, 2);
    let mut first = Client::logged_in(&app, OFFICER).await;
    let mut second = Client::logged_in(&app, OFFICER).await;
    let v1 = field_value(&first.get(&url).await.body, "version").unwrap();
    let v2 = field_value(&second.get(&url).await.body, "version").unwrap();
    assert_eq!(first.submit(&url, &[("version", &v1), ("2.1.1", "4")]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(second.submit(&url, &[("version", &v2), ("2.1.1", "9")]).await.status, StatusCode::CONFLICT);

    let after = admin.get("/metrics").await.body;
    assert_eq!(sample(&after, "cchc_save_conflicts_total"), 1);
    let form = "route=\"/reports/{unit}/{period}/form/{form}\"";
    assert_eq!(sample(&after, &format!("cchc_http_requests_total{{method=\"POST\",{form},status=\"4xx\"}}")), 1);
    assert_eq!(sample(&after, &format!("cchc_http_requests_total{{method=\"POST\",{form},status=\"3xx\"}}")), 1);
    assert_eq!(sample(&after, &format!("cchc_http_requests_total{{method=\"GET\",{form},status=\"2xx\"}}")), 2);
    // Labels hold templates only: no unit code, period or user.
    assert!(!after.contains(OWN_UNIT) && !after.contains(H1) && !after.contains(OFFICER), "{after}");
    assert_eq!(sample(&after, "cchc_http_errors_total"), 0);
}

#[tokio::test]
async fn metrics_count_the_rows_an_import_stored() {
    let (app, store) = app().await;
    let mut admin = Client::logged_in(&app, "quantri").await;
    assert_eq!(sample(&admin.get("/metrics").await.body, "cchc_import_rows_total{importer=\"report\"}"), 0);

    // The officer uploads the report's own file back: stored as its next version.
    let report = store.report(OWN_UNIT, H1.parse().unwrap()).await.unwrap().expect("the demo's draft").report;
    let file = cchc_report::file::write(&report);
    let mut officer = Client::logged_in(&app, OFFICER).await;
    officer.get("/reports/import").await;
    let body = format!(
        "--X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bao-cao.json\"\r\nContent-Type: application/json\r\n\r\n{file}\r\n--X--\r\n"
    );
    let request = officer
        .request("POST", &format!("/reports/import?_csrf={}", officer.csrf))
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=X")
        .body(Body::from(body))
        .unwrap();
    let r = officer.send(request).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Đã nhập báo cáo"), "{}", r.body);
    assert_eq!(sample(&admin.get("/metrics").await.body, "cchc_import_rows_total{importer=\"report\"}"), 1);

    // A refused file stores nothing and counts nothing.
    let request = officer
        .request("POST", &format!("/reports/import?_csrf={}", officer.csrf))
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=X")
        .body(Body::from("--X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.json\"\r\n\r\n{}\r\n--X--\r\n"))
        .unwrap();
    assert_ne!(officer.send(request).await.status, StatusCode::OK);
    assert_eq!(sample(&admin.get("/metrics").await.body, "cchc_import_rows_total{importer=\"report\"}"), 1);
}

// ---- The client address behind a reverse proxy --------------------------------------------

const PROXY: &str = "10.0.0.1";

/// A JSON login as it arrives on a connection from `peer`, with `forwarded` as X-Forwarded-For.
async fn login_from(app: &Router, peer: &str, forwarded: Option<&str>, username: &str, password: &str) -> common::Reply {
    let mut c = Client::new(app);
    let peer: SocketAddr = format!("{peer}:40000").parse().unwrap();
    let mut request = c.request("POST", "/api/login").header(header::CONTENT_TYPE, "application/json").extension(ConnectInfo(peer));
    if let Some(f) = forwarded {
        request = request.header("x-forwarded-for", f);
    }
    let body = serde_json::json!({ "username": username, "password": password }).to_string();
    c.send(request.body(Body::from(body)).unwrap()).await
}

fn blocked(r: &common::Reply) -> bool {
    r.status == StatusCode::UNAUTHORIZED && r.body.contains("quá nhiều lần đăng nhập sai từ địa chỉ này")
}

async fn behind_proxy() -> Router {
    let (mut state, _) = demo().await;
    state.trusted_proxies = vec![cchc_web::parse_trusted_proxy(PROXY).unwrap()];
    cchc_web::router(state)
}

#[tokio::test]
async fn a_forwarded_address_from_an_untrusted_peer_is_ignored() {
    let app = behind_proxy().await;
    // Each attempt claims another address: the connection's address is counted all the same.
    for i in 0..20 {
        let r = login_from(&app, "198.51.100.9", Some(&format!("203.0.113.{i}")), &format!("khach-{i}"), "sai").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(!blocked(&r), "attempt {i}: {}", r.body);
    }
    let r = login_from(&app, "198.51.100.9", Some("203.0.113.200"), OFFICER, cchc_app::demo::PASSWORD).await;
    assert!(blocked(&r), "{}", r.body);
    // Another connection address is not blocked.
    let r = login_from(&app, "198.51.100.10", None, OFFICER, cchc_app::demo::PASSWORD).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_right_most_untrusted_forwarded_address_is_the_client() {
    let app = behind_proxy().await;
    // Twenty failures of one client through the proxy; the client writes a false address of its
    // own to the left, which the proxy keeps: only what the proxy appended counts.
    for i in 0..20 {
        let forwarded = format!("192.0.2.{i}, 203.0.113.5");
        let r = login_from(&app, PROXY, Some(&forwarded), &format!("khach-{i}"), "sai").await;
        assert!(!blocked(&r), "attempt {i}: {}", r.body);
    }
    // That client is blocked, through the proxy, whatever it claims to its left…
    assert!(blocked(&login_from(&app, PROXY, Some("192.0.2.77, 203.0.113.5"), OFFICER, cchc_app::demo::PASSWORD).await));
    // … also behind a second trusted hop (the proxy itself in the list)…
    assert!(blocked(&login_from(&app, PROXY, Some(&format!("203.0.113.5, {PROXY}")), OFFICER, cchc_app::demo::PASSWORD).await));
    // … and another client behind the same proxy is not blocked, nor is the proxy itself.
    let r = login_from(&app, PROXY, Some("203.0.113.6"), OFFICER, cchc_app::demo::PASSWORD).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = login_from(&app, PROXY, None, OFFICER, cchc_app::demo::PASSWORD).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[tokio::test]
async fn a_trusted_network_covers_every_proxy_in_it_and_nothing_outside() {
    let (mut state, _) = demo().await;
    state.trusted_proxies = vec![cchc_web::parse_trusted_proxy("10.0.0.0/8").unwrap()];
    let app = cchc_web::router(state);
    // Two proxies of the network in a row: the client is what the outer one appended.
    for i in 0..20 {
        let r = login_from(&app, "10.1.2.3", Some(&format!("192.0.2.{i}, 203.0.113.5, 10.9.9.9")), &format!("khach-{i}"), "sai").await;
        assert!(!blocked(&r), "attempt {i}: {}", r.body);
    }
    assert!(blocked(&login_from(&app, "10.200.0.1", Some("203.0.113.5"), OFFICER, cchc_app::demo::PASSWORD).await));
    // A peer outside the network is its own client, whatever it forwards.
    let r = login_from(&app, "11.0.0.1", Some("203.0.113.5"), OFFICER, cchc_app::demo::PASSWORD).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[tokio::test]
async fn without_trusted_proxies_the_forwarded_header_is_ignored_even_from_a_proxy() {
    let (app, _) = app().await;
    for i in 0..20 {
        let r = login_from(&app, PROXY, Some(&format!("203.0.113.{i}")), &format!("khach-{i}"), "sai").await;
        assert!(!blocked(&r), "attempt {i}");
    }
    assert!(blocked(&login_from(&app, PROXY, Some("203.0.113.99"), OFFICER, cchc_app::demo::PASSWORD).await));
}

// ---- Limits set at start (`cchc serve --max-body-mb`, `--max-upload-mb`) -----------------------

#[tokio::test]
async fn the_body_limit_is_the_one_the_server_was_started_with() {
    let big = "x".repeat(cchc_web::MAX_BODY + cchc_web::MAX_BODY / 2);
    let (app, _) = app().await;
    let mut admin = Client::logged_in(&app, "quantri").await;
    let r = admin.submit("/admin/units", &[("json", big.as_str())]).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.body.contains("tối đa 1 MB"), "{}", r.body);

    let (mut state, _) = demo().await;
    state.limits.max_body = 2 * 1024 * 1024;
    let app = cchc_web::router(state);
    let mut admin = Client::logged_in(&app, "quantri").await;
    // Taken and read: refused for what it says (not JSON), not for its size.
    let r = admin.submit("/admin/units", &[("json", big.as_str())]).await;
    assert_ne!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", &r.body[..r.body.len().min(300)]);
    let bigger = "x".repeat(2 * 1024 * 1024 + 1);
    let r = admin.submit("/admin/units", &[("json", bigger.as_str())]).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.body.contains("tối đa 2 MB"), "{}", r.body);
}
