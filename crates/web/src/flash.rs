//! Confirmations after an action (a "flash" message): a form post that succeeds and redirects
//! keeps a Vietnamese sentence in the session with [`set`] ("Đã nộp báo cáo …", "Đã lưu phần
//! thuyết minh"), and the next page shows it once, at the top of its content, in a `role="status"`
//! region (`base.html`).
//!
//! How it gets there: [`carry`] (a middleware inside the session layer) reads the session's flash
//! for a page request (a GET that is not htmx, an asset or the API) and lends it to the request's
//! task; [`take`], called by [`crate::view::Nav::new`], hands it to the page being rendered. Only
//! once a page has taken it is it removed from the session, so a redirect, a download or an
//! error page in between does not lose it, and a request without a flash writes nothing.

use std::sync::{Arc, Mutex};

use axum::extract::Request;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use crate::error::{AppError, AppResult};

/// The session key of the confirmation waiting to be shown.
const KEY: &str = "flash";

/// A confirmation shown once on the next page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    /// The Vietnamese sentence: what was done, to what.
    pub text: String,
}

impl Flash {
    /// What was just done, as a success.
    pub fn done(text: impl Into<String>) -> Flash {
        Flash { text: text.into() }
    }
}

/// Keeps `flash` in the session for the next page (replacing one not shown yet).
pub async fn set(session: &Session, flash: Flash) -> AppResult<()> {
    session.insert(KEY, flash).await.map_err(AppError::Internal)
}

/// The flash lent to the page being rendered, and whether the page took it.
#[derive(Default)]
struct Lent {
    flash: Option<Flash>,
    taken: bool,
}

tokio::task_local! {
    static LENT: Arc<Mutex<Lent>>;
}

/// The confirmation for the page being rendered, once per request: `None` outside a page request
/// or when there is none.
pub fn take() -> Option<Flash> {
    LENT.try_with(|lent| {
        let mut lent = lent.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let flash = lent.flash.take();
        lent.taken |= flash.is_some();
        flash
    })
    .ok()
    .flatten()
}

/// Whether a request asks for a whole page, the only kind that shows a confirmation.
fn is_page_request(request: &Request) -> bool {
    let path = request.uri().path();
    request.method() == Method::GET
        && !request.headers().contains_key("hx-request")
        && !path.starts_with("/static/")
        && !path.starts_with("/api/")
}

/// The middleware (inside the session layer): lends the session's flash to a page request, and
/// removes it from the session once the page has shown it.
pub async fn carry(session: Session, request: Request, next: Next) -> Response {
    if !is_page_request(&request) {
        return next.run(request).await;
    }
    // `get` first: reading an absent key does not touch the store (an anonymous visit stays
    // without a session).
    let flash: Option<Flash> = session.get(KEY).await.ok().flatten();
    let Some(flash) = flash else { return next.run(request).await };
    let lent = Arc::new(Mutex::new(Lent { flash: Some(flash), taken: false }));
    let response = LENT.scope(lent.clone(), next.run(request)).await;
    let taken = lent.lock().is_ok_and(|l| l.taken);
    if taken && let Err(e) = session.remove_value(KEY).await {
        tracing::warn!("could not remove a shown confirmation from the session: {e}");
    }
    response
}
