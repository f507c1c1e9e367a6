//! Citizens' feedback (PAKN) pages and API (issue 14 items 4, 7): `/feedback` and `/api/feedback`. Every rule is `cchc_app::feedback`'s; this module parses and renders.

use std::sync::Arc;

use axum::Router;

use crate::state::AppState;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
}
