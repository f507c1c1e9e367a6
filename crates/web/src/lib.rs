//! The web application of cchc: Vietnamese server-rendered pages (axum, askama, htmx) and a JSON
//! API under `/api`, for commune officers, the compiling office, leaders and administrators.
//!
//! Every asset (CSS, htmx, Chart.js, the Be Vietnam Pro font) is compiled into the binary and
//! served from `/static`, so the application works on a provincial intranet without internet.
//! The web crate holds no domain logic: figures, findings and roll-ups come from the domain crates,
//! loading and saving from `cchc-app`, who-may-do-what from `cchc_app::access`.

mod admin;
mod api;
mod assets;
mod audit;
mod auth;
mod compiling;
mod counter_forms;
mod dashboard;
mod documents;
mod dossier_events;
mod dossier_people;
mod dossiers;
mod entry;
mod error;
mod exports;
mod feedback;
mod fields;
mod flash;
mod inspections;
mod lookup;
mod ops;
pub mod records;
mod reports;
mod scores;
mod sessions;
mod state;
mod survey;
mod uploads;
mod users;
mod view;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

pub use auth::parse_trusted_proxy;
/// Failed public status lookups allowed per client address within 15 minutes.
pub use lookup::MAX_FAILURES as LOOKUP_MAX_FAILURES;
pub use state::AppState;

/// How `cchc serve` was asked to run.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Store URL: `sqlite://cchc.db` (default), `postgres://…`.
    pub db: String,
    pub bind: SocketAddr,
    /// Seed the demo province (idempotent).
    pub demo: bool,
    /// How many dossiers the demo generates.
    pub demo_dossiers: usize,
    /// Body sizes, header read time, connections.
    pub limits: Limits,
    /// The reverse proxies whose `X-Forwarded-For` names the client ([`AppState::trusted_proxies`]).
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

/// Opens the store, seeds the demo when asked, prints where to go, and serves until Ctrl-C.
pub async fn serve(config: ServeConfig) -> anyhow::Result<()> {
    let store = cchc_storage::open(&config.db).await?;
    let catalogue = cchc_catalogue::default_catalogue();
    if config.demo {
        println!(
            "Đang chuẩn bị dữ liệu mẫu (tỉnh Hồng Lam, {} hồ sơ năm {})…",
            cchc_format::int(config.demo_dossiers as i64),
            cchc_app::demo::YEAR
        );
        let seeded = cchc_app::demo::seed(store.as_ref(), &catalogue, config.demo_dossiers).await?;
        print_demo_accounts(seeded.fresh);
    }
    let mut state = AppState::load(store).await?;
    state.trusted_proxies = config.trusted_proxies;
    state.limits = config.limits;
    let listener = tokio::net::TcpListener::bind(config.bind).await?;
    println!("cchc đang chạy tại http://{}/", listener.local_addr()?);
    serve_on(listener, router(state), config.limits, shutdown()).await?;
    Ok(())
}

/// What one server process lets clients hold.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// A connection that has not sent a whole request header within this time is closed (also
    /// an idle kept-alive connection): half-sent headers cannot hold connections open.
    pub header_read_timeout: std::time::Duration,
    /// Connections served at once; further ones wait in the listen queue until one closes.
    pub max_connections: usize,
    /// The largest request body of a form or the API, in bytes ([`MAX_BODY`] by default).
    pub max_body: usize,
    /// The largest file upload (`/reports/import`), in bytes (16 MB by default).
    pub max_upload: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_read_timeout: std::time::Duration::from_secs(15),
            max_connections: 512,
            max_body: MAX_BODY,
            max_upload: uploads::MAX_UPLOAD,
        }
    }
}

/// Serves `app` on `listener` (HTTP/1.1, with each request's client address as `ConnectInfo`)
/// under `limits`, until `shutdown` completes; then the open connections finish their requests
/// (10 s at most).
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let permits = Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    let (closing, closed) = tokio::sync::watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            p = permits.clone().acquire_owned() => p.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, addr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                // Out of file descriptors and the like: wait a moment rather than spin.
                Err(e) => {
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = tower::ServiceExt::map_request(app.clone(), move |mut request: axum::http::Request<hyper::body::Incoming>| {
            request.extensions_mut().insert(axum::extract::ConnectInfo(addr));
            request.map(axum::body::Body::new)
        });
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder.timer(TokioTimer::new()).header_read_timeout(limits.header_read_timeout);
        let mut closed = closed.clone();
        tokio::spawn(async move {
            let _permit = permit;
            let connection = builder.serve_connection(TokioIo::new(stream), hyper_util::service::TowerToHyperService::new(service));
            let mut connection = std::pin::pin!(connection.with_upgrades());
            let closing = async move {
                let _ = closed.wait_for(|c| *c).await;
            };
            tokio::select! {
                _ = connection.as_mut() => {}
                () = closing => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
    }
    let _ = closing.send(true);
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), permits.acquire_many(all)).await;
    Ok(())
}

fn print_demo_accounts(fresh: bool) {
    if !fresh {
        println!("Dữ liệu mẫu đã có sẵn trong cơ sở dữ liệu.");
    }
    println!("Tài khoản mẫu (mật khẩu chung: {}):", cchc_app::demo::PASSWORD);
    for a in &cchc_app::demo::ACCOUNTS {
        println!("  {:<10} {:<16} đơn vị {}", a.username, a.role.name_vi(), a.unit);
    }
}

async fn shutdown() {
    let _ = tokio::signal::ctrl_c().await;
}

/// Whether cookies are marked `Secure` (sent over HTTPS only): intranets often run plain HTTP;
/// set CCHC_SECURE_COOKIES=1 behind HTTPS.
pub(crate) fn secure_cookies() -> bool {
    std::env::var("CCHC_SECURE_COOKIES").is_ok_and(|v| v == "1")
}

/// The whole application: pages, API, assets, with sessions and CSRF protection.
pub fn router(state: AppState) -> Router {
    let sessions = SessionManagerLayer::new(sessions::layered(state.store.clone()))
        .with_name("cchc_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(secure_cookies())
        .with_expiry(Expiry::OnInactivity(tower_sessions::cookie::time::Duration::hours(8)));
    let state = Arc::new(state);
    // `body_limit` refuses a body above its route's limit; axum's own cap must not be lower.
    let largest_body = state.limits.max_body.max(state.limits.max_upload);
    Router::new()
        .merge(pages())
        .merge(records::routes())
        .merge(inspections::routes())
        .merge(feedback::routes())
        .merge(survey::routes())
        .route("/healthz", get(ops::healthz))
        .route("/tra-cuu", get(lookup::page))
        .route("/api/tra-cuu", get(lookup::api))
        .route("/metrics", get(ops::metrics))
        .nest("/api", api::routes())
        .route("/static/{*path}", get(assets::serve))
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(axum::middleware::from_fn(flash::carry))
        .layer(axum::middleware::from_fn(auth::csrf_guard))
        .layer(axum::middleware::from_fn_with_state(state.clone(), body_limit))
        .layer(axum::extract::DefaultBodyLimit::max(largest_body))
        .layer(sessions)
        .layer(axum::middleware::map_response(security_headers))
        .layer(axum::middleware::from_fn_with_state(state.clone(), ops::observe))
        .with_state(state)
}

/// The Content-Security-Policy of every response: scripts, styles, fonts and images from the
/// server itself only (no inline script or style; the chart data is JSON read by `app.js`), no
/// framing, forms posted only here.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/// Adds the security headers to every response: pages, API replies, assets and errors.
async fn security_headers(mut response: axum::response::Response) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// The largest request body taken by a form or the API, in bytes (a province's units file or a
/// catalogue's text is well under it); file uploads take [`uploads::MAX_UPLOAD`].
pub const MAX_BODY: usize = 1024 * 1024;

/// Refuses a request body above its route's limit before anything reads it, with a Vietnamese
/// page or API message (413): by its declared length, or, without one, as it is read.
async fn body_limit(
    axum::extract::State(state): axum::extract::State<Arc<AppState>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::header;
    let path = request.uri().path();
    let limit = if is_upload(path) { state.limits.max_upload } else { state.limits.max_body };
    let api = path.starts_with("/api/");
    let declared = request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok());
    match declared {
        Some(n) if n > limit as u64 => too_large(api, limit),
        // hyper refuses a body longer than its declared length.
        Some(_) => next.run(request).await,
        None => {
            let (parts, body) = request.into_parts();
            match axum::body::to_bytes(body, limit).await {
                Ok(bytes) => next.run(axum::extract::Request::from_parts(parts, axum::body::Body::from(bytes))).await,
                Err(_) => too_large(api, limit),
            }
        }
    }
}

/// The routes that take a file (up to `max_upload`; every other body up to `max_body`): a report
/// file or workbook, a task's evidence file.
fn is_upload(path: &str) -> bool {
    let evidence = |p: &str| p.strip_prefix("/plans/tasks/").and_then(|rest| rest.strip_suffix("/evidence")).is_some();
    path == "/reports/import" || evidence(path) || path.strip_prefix("/api").is_some_and(evidence)
}

fn too_large(api: bool, limit: usize) -> axum::response::Response {
    let message =
        format!("Dữ liệu gửi lên quá lớn: tối đa {} MB cho mỗi lần gửi. Hãy chia nhỏ dữ liệu hoặc gửi tệp nhỏ hơn.", limit / (1024 * 1024));
    let refusal = cchc_app::Error::invalid(message);
    let mut response = if api { error::json(&refusal) } else { error::page(&refusal) };
    *response.status_mut() = axum::http::StatusCode::PAYLOAD_TOO_LARGE;
    response
}

fn pages() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(reports::home))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/reports/import", get(uploads::page).post(uploads::upload))
        .route("/reports/{unit}/{period}", get(reports::overview))
        .route("/reports/{unit}/{period}/action", post(reports::action))
        .route("/reports/{unit}/{period}/narrative", post(reports::narrative))
        .route("/reports/{unit}/{period}/narrative/preview", post(reports::narrative_preview))
        .route("/reports/{unit}/{period}/form/{form}", get(entry::page).post(entry::save))
        .route("/reports/{unit}/{period}/form/{form}/check", post(entry::check))
        .route("/reports/{unit}/{period}/preview", get(documents::preview))
        .route("/reports/{unit}/{period}/download/{format}", get(documents::download))
        .route("/compile/{unit}/{period}", get(reports::compile_page).post(compiling::compile))
        .route("/reports/{unit}/{period}/figure", get(compiling::figure).post(compiling::comment))
        .route("/dossiers", get(dossiers::list))
        .route("/dossiers.xlsx", get(dossiers::list_xlsx))
        .route("/dossiers/due-soon-hours", post(dossiers::set_due_soon))
        .route("/dossiers/stats", get(dossiers::stats))
        .route("/dossiers/scores", get(scores::page).post(scores::save))
        .route("/dossiers/stats.xlsx", get(exports::stats_xlsx))
        .route("/dossiers/new", post(dossier_events::receive))
        .route("/dossiers/{id}", get(dossiers::detail))
        .route("/dossiers/{id}/events", post(dossier_events::record))
        .route("/dossiers/{id}/forms/{file}", get(counter_forms::form))
        .route("/dossiers/forms/07.xlsx", get(counter_forms::ledger))
        .route("/dossiers/{id}/handler", post(dossier_people::assign))
        .route("/dashboard", get(dashboard::page))
        .route("/audit", get(audit::audit_page))
        .route("/audit.csv", get(audit::audit_csv))
        .route("/audit.xlsx", get(audit::audit_xlsx))
        .route("/admin/users", get(users::page).post(users::create))
        .route("/admin/units", get(admin::units).post(admin::import_units))
        .route("/admin/units/add", post(admin::add_unit))
        .route("/admin/units/rename", post(admin::rename_unit))
        .route("/admin/units/merge", post(admin::merge_units))
        .route("/admin/units/close", post(admin::close_unit))
        .route("/admin/catalogue", get(admin::catalogue).post(admin::add_catalogue))
        .route("/admin/catalogue/check", post(admin::check_catalogue))
        .route("/admin/catalogue/in-force", post(admin::put_in_force))
        .route("/admin/catalogue/file/{reference}", get(admin::catalogue_file))
        .route("/admin/calendar", get(admin::calendar).post(admin::change_calendar))
        .route("/admin/users/{username}", post(users::update))
}
