//! Static assets compiled into the binary: nothing is loaded from a CDN.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

const ASSETS: &[(&str, &str, &[u8])] = &[
    ("app.css", "text/css; charset=utf-8", include_bytes!("../assets/app.css")),
    ("htmx.min.js", "text/javascript; charset=utf-8", include_bytes!("../assets/vendor/htmx-2.0.11.min.js")),
    ("chart.umd.min.js", "text/javascript; charset=utf-8", include_bytes!("../assets/vendor/chart-4.6.1.umd.min.js")),
    ("app.js", "text/javascript; charset=utf-8", include_bytes!("../assets/app.js")),
    ("entry.js", "text/javascript; charset=utf-8", include_bytes!("../assets/entry.js")),
    ("fonts/bvp-vi-400.woff2", "font/woff2", include_bytes!("../assets/fonts/be-vietnam-pro-vietnamese-400-normal.woff2")),
    ("fonts/bvp-vi-700.woff2", "font/woff2", include_bytes!("../assets/fonts/be-vietnam-pro-vietnamese-700-normal.woff2")),
    ("fonts/bvp-latin-400.woff2", "font/woff2", include_bytes!("../assets/fonts/be-vietnam-pro-latin-400-normal.woff2")),
    ("fonts/bvp-latin-700.woff2", "font/woff2", include_bytes!("../assets/fonts/be-vietnam-pro-latin-700-normal.woff2")),
];

pub async fn serve(Path(path): Path<String>) -> Response {
    match ASSETS.iter().find(|(name, _, _)| *name == path) {
        Some((_, mime, bytes)) => {
            ([(header::CONTENT_TYPE, *mime), (header::CACHE_CONTROL, "public, max-age=86400")], *bytes).into_response()
        }
        None => (StatusCode::NOT_FOUND, "Không tìm thấy tệp").into_response(),
    }
}
