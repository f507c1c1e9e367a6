//! Every message of the catalogue editor is Vietnamese with its place: broken catalogues posted
//! to the live check, to "add" and to "put in force" answer without the parser's, TOML's or
//! serde's English.

mod common;

use axum::Router;
use axum::http::StatusCode;
use common::Client;

async fn app() -> Router {
    let store = cchc_storage::open("sqlite::memory:").await.expect("store");
    let catalogue = cchc_catalogue::default_catalogue();
    cchc_app::demo::seed(store.as_ref(), &catalogue, 300).await.expect("demo seed");
    cchc_web::router(cchc_web::AppState::new(store, catalogue))
}

const HEAD: &str = "[catalogue]\nid = \"thu\"\nversion = \"1\"\nname = \"Thử\"\nextends = \"vn-default@2022.1\"\n";

/// English words and internal names a message must never carry.
const ENGLISH: &[&str] = &[
    "expected",
    "invalid",
    "missing",
    "unknown",
    "unexpected",
    "TOML",
    "toml",
    "serde",
    "string",
    "integer",
    "table",
    "key",
    "line ",
    "column",
    "Catalogue",
    "Error",
];

fn problems(body: &str) -> Vec<String> {
    body.split("<li class=\"error\">").skip(1).map(|p| p[..p.find("</li>").unwrap()].replace("&#34;", "\"")).collect()
}

fn assert_vietnamese(case: &str, body: &str, place: &str) {
    let list = problems(body);
    assert!(!list.is_empty(), "{case}: no problem listed: {body}");
    assert!(list.iter().any(|p| p.contains(place)), "{case}: no place {place:?} in {list:?}");
    for p in &list {
        for w in ENGLISH {
            assert!(!p.contains(w), "{case}: English or internal {w:?} in {p:?}");
        }
    }
}

#[tokio::test]
async fn broken_catalogues_answer_in_vietnamese_with_the_place() {
    let app = app().await;
    let mut admin = Client::logged_in(&app, "quantri").await;
    admin.get("/admin/catalogue").await;
    let cases: &[(&str, String, &str)] = &[
        ("syntax", format!("{HEAD}[[indicators]\ncode = \"1.1\"\n"), "dòng 6"),
        ("unclosed string", format!("{HEAD}[[indicators]]\ncode = \"1.1\nname = \"x\"\n"), "dòng 7"),
        ("unknown field", format!("{HEAD}[[indicators]]\ncode = \"1.1\"\nnam = \"x\"\n"), "dòng"),
        ("wrong type", "[catalogue]\nid = \"thu\"\nversion = 1\nname = \"Thử\"\n".to_string(), "dòng 3"),
        ("missing field", "[catalogue]\nid = \"thu\"\nname = \"Thử\"\n".to_string(), "version"),
        ("duplicate key", format!("{HEAD}name = \"Lại\"\n"), "dòng 6"),
    ];
    for (case, text, place) in cases {
        let r = admin.htmx("/admin/catalogue/check", &[("toml", text.as_str())]).await;
        assert_eq!(r.status, StatusCode::OK, "{case}: {}", r.body);
        assert_vietnamese(case, &r.body, place);
        let r = admin.submit("/admin/catalogue", &[("toml", text.as_str())]).await;
        assert_eq!(r.status, StatusCode::OK, "{case}: {}", r.body);
        assert_vietnamese(&format!("{case} (add)"), &r.body, place);
    }
}

#[tokio::test]
async fn putting_an_unknown_version_in_force_answers_in_vietnamese() {
    let app = app().await;
    let mut admin = Client::logged_in(&app, "quantri").await;
    admin.get("/admin/catalogue").await;
    let r = admin.submit("/admin/catalogue/in-force", &[("reference", "khong-co@1")]).await;
    let start = r.body.find("Không áp dụng được").unwrap_or_else(|| panic!("{}", r.body));
    let message = &r.body[start..start + r.body[start..].find('<').unwrap()];
    for w in ENGLISH {
        assert!(!message.contains(w), "English {w:?}: {message}");
    }
    assert!(message.contains("khong-co@1"), "{message}");
}
