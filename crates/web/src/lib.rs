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
mod auth;
mod compiling;
mod dashboard;
mod documents;
mod dossier_events;
mod dossiers;
mod entry;
mod error;
mod reports;
mod sessions;
mod state;
mod uploads;
mod users;
mod view;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

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
    let state = AppState::load(store).await?;
    let listener = tokio::net::TcpListener::bind(config.bind).await?;
    println!("cchc đang chạy tại http://{}/", listener.local_addr()?);
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown()).await?;
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
    Router::new()
        .merge(pages())
        .nest("/api", api::routes())
        .route("/static/{*path}", get(assets::serve))
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn(auth::csrf_guard))
        .layer(sessions)
        .layer(axum::middleware::map_response(security_headers))
        .layer(tower_http::trace::TraceLayer::new_for_http().make_span_with(request_span).on_request(()).on_response(
            tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO).latency_unit(tower_http::LatencyUnit::Millis),
        ))
        .with_state(Arc::new(state))
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

/// The span of a request's log line: method, path and (once the session is read) the user; the
/// line itself, with the status and time, is written by tower-http's `TraceLayer` as it ends.
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), user = tracing::field::Empty)
}

fn pages() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(reports::home))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/reports/import", get(uploads::page).post(uploads::upload).layer(axum::extract::DefaultBodyLimit::max(uploads::MAX_UPLOAD)))
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
        .route("/dossiers/stats", get(dossiers::stats))
        .route("/dossiers/new", post(dossier_events::receive))
        .route("/dossiers/{id}", get(dossiers::detail))
        .route("/dossiers/{id}/events", post(dossier_events::record))
        .route("/dashboard", get(dashboard::page))
        .route("/audit", get(reports::audit_page))
        .route("/admin/users", get(users::page).post(users::create))
        .route("/admin/units", get(admin::units).post(admin::import_units))
        .route("/admin/catalogue", get(admin::catalogue).post(admin::add_catalogue))
        .route("/admin/catalogue/check", post(admin::check_catalogue))
        .route("/admin/catalogue/in-force", post(admin::put_in_force))
        .route("/admin/catalogue/file/{reference}", get(admin::catalogue_file))
        .route("/admin/calendar", get(admin::calendar).post(admin::change_calendar))
        .route("/admin/users/{username}", post(users::update))
}
