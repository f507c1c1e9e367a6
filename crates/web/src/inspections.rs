//! Inspections' pages and API (issue 14 items 3, 7): `/inspections` and `/api/inspections`. Every rule is `cchc_app::inspections`'s; this module parses and renders.

use std::sync::Arc;

use axum::Router;

use crate::state::AppState;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
}
