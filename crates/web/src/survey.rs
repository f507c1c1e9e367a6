//! The satisfaction survey (issue 14 item 5): the public page `/survey/{receipt code}` (no login) and the results. Every rule is `cchc_app::survey`'s; this module parses and renders.

use std::sync::Arc;

use axum::Router;

use crate::state::AppState;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
}
