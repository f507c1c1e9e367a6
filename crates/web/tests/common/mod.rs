//! The router without a network, as a browser in miniature: shared by the router tests.
#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// What came back: status, `Location` when redirected, body text.
pub struct Reply {
    pub status: StatusCode,
    pub location: Option<String>,
    pub content_type: String,
    pub body: String,
    pub bytes: Vec<u8>,
    pub headers: axum::http::HeaderMap,
}

/// A browser in miniature: the session cookie and the last CSRF token seen on a page.
pub struct Client {
    pub app: Router,
    pub cookie: Option<String>,
    pub csrf: String,
}

impl Client {
    pub fn new(app: &Router) -> Client {
        Client { app: app.clone(), cookie: None, csrf: String::new() }
    }

    /// A fresh client logged in as `username` with the demo password.
    pub async fn logged_in(app: &Router, username: &str) -> Client {
        let mut c = Client::new(app);
        let r = c.login(username, cchc_app::demo::PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "login of {username} failed: {}", r.body);
        // The session id changed at login: read the token again from a page.
        c.get("/").await;
        c
    }

    pub async fn login(&mut self, username: &str, password: &str) -> Reply {
        self.get("/login").await;
        let csrf = self.csrf.clone();
        self.post_form("/login", &[("_csrf", csrf.as_str()), ("username", username), ("password", password)]).await
    }

    pub async fn send(&mut self, request: Request<Body>) -> Reply {
        let response = self.app.clone().oneshot(request).await.expect("infallible router");
        for set in response.headers().get_all(header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()) {
            self.cookie = jar(self.cookie.as_deref(), set);
        }
        let headers = response.headers().clone();
        let status = response.status();
        let location = response.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).map(String::from);
        let content_type = response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let bytes = response.into_body().collect().await.expect("body").to_bytes().to_vec();
        let body = String::from_utf8_lossy(&bytes).into_owned();
        if let Some(token) = field_value(&body, "_csrf") {
            self.csrf = token;
        }
        Reply { status, location, content_type, body, bytes, headers }
    }

    pub fn request(&self, method: &str, uri: &str) -> axum::http::request::Builder {
        let mut b = Request::builder().method(method).uri(uri);
        if let Some(c) = &self.cookie {
            b = b.header(header::COOKIE, c);
        }
        b
    }

    pub async fn get(&mut self, uri: &str) -> Reply {
        let request = self.request("GET", uri).body(Body::empty()).unwrap();
        self.send(request).await
    }

    /// A urlencoded form post, as the browser sends it (the CSRF field is the caller's business).
    pub async fn post_form(&mut self, uri: &str, fields: &[(&str, &str)]) -> Reply {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let request =
            self.request("POST", uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(Body::from(body)).unwrap();
        self.send(request).await
    }

    /// A form post carrying the session's CSRF token, as the pages' forms do.
    pub async fn submit(&mut self, uri: &str, fields: &[(&str, &str)]) -> Reply {
        let csrf = self.csrf.clone();
        let mut all = vec![("_csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_form(uri, &all).await
    }

    /// An htmx request: the token travels in the `X-CSRF-Token` header.
    pub async fn htmx(&mut self, uri: &str, fields: &[(&str, &str)]) -> Reply {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let request = self
            .request("POST", uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("hx-request", "true")
            .header("x-csrf-token", self.csrf.clone())
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// A JSON request to the API, with the session's CSRF token in its header.
    pub async fn json(&mut self, method: &str, uri: &str, body: &str) -> Reply {
        let request = self
            .request(method, uri)
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-csrf-token", self.csrf.clone())
            .body(Body::from(body.to_string()))
            .unwrap();
        self.send(request).await
    }
}

/// The `Cookie` header after a `Set-Cookie`: the cookie replaced, added, or removed when it expires.
fn jar(cookies: Option<&str>, set: &str) -> Option<String> {
    let pair = set.split(';').next().unwrap_or_default().trim();
    let name = pair.split('=').next().unwrap_or_default();
    let expired = set.to_ascii_lowercase().contains("max-age=0");
    let mut kept: Vec<&str> =
        cookies.unwrap_or_default().split("; ").filter(|c| !c.is_empty() && c.split('=').next() != Some(name)).collect();
    if !expired {
        kept.push(pair);
    }
    (!kept.is_empty()).then(|| kept.join("; "))
}

/// The `value` of the first `<input name="NAME" value="…">` in a page.
pub fn field_value(html: &str, name: &str) -> Option<String> {
    let start = html.find(&format!("name=\"{name}\" value=\""))? + name.len() + 15;
    html[start..].split('"').next().map(String::from)
}

/// The content of the element with `id="ID"` up to its first closing `</div>`.
pub fn element<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no element {id} in page"));
    let rest = &html[start..];
    &rest[..rest.find("</div>").unwrap_or(rest.len())]
}

pub fn form_url(unit: &str, period: &str, form: u8) -> String {
    format!("/reports/{unit}/{period}/form/{form}")
}

/// The router over a fresh in-memory store seeded with the demo province and `dossiers`
/// generated dossiers, with the store for checking what was written.
pub async fn demo_with_store(dossiers: usize) -> (Router, std::sync::Arc<dyn cchc_storage::Store>) {
    let store = cchc_storage::open("sqlite::memory:").await.expect("store");
    let catalogue = cchc_catalogue::default_catalogue();
    cchc_app::demo::seed(store.as_ref(), &catalogue, dossiers).await.expect("demo seed");
    (cchc_web::router(cchc_web::AppState::new(store.clone(), catalogue)), store)
}

/// The demo province's router with 300 dossiers, for tests that only browse.
pub async fn demo() -> Router {
    demo_with_store(300).await.0
}
