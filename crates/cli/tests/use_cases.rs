//! The use cases through the command line, against a real SQLite file holding the demo
//! province: `cchc workflow --action submit` refuses a report with an error-level finding with the
//! same message as the page and the API (`crates/web/tests/use_cases.rs`), acting as the account
//! `--as` names; `cchc import` never changes a stored catalogue version; a database fault never
//! prints driver text.

mod common;
use std::path::{Path, PathBuf};

/// Exit status, standard output, standard error.
fn cchc(db: &Path, args: &[&str]) -> (i32, String, String) {
    common::cchc(db, args).triple()
}

fn temp(name: &str) -> PathBuf {
    common::temp("use-cases", name)
}

/// The demo in a file, with the province's H1 draft holding a split above its total; the message
/// submission must refuse it with, computed by the use case's own gate.
async fn demo_with_broken_report(db: &Path) -> String {
    let store = cchc_storage::open(&format!("sqlite://{}", db.display())).await.unwrap();
    let catalogue = cchc_catalogue::default_catalogue();
    cchc_app::demo::seed(store.as_ref(), &catalogue, 200).await.unwrap();
    let period = "2026-H1".parse().unwrap();
    let app = cchc_app::App::with(store.clone(), catalogue.clone(), cchc_calendar::WorkCalendar::vietnam());
    let compiler = store.user("tonghop").await.unwrap().unwrap();
    let version = store.report(cchc_app::demo::PROVINCE, period).await.unwrap().map(|r| r.version);
    let fields = [("2.1.1".to_string(), "5".to_string()), ("2.1.1[level=xa]".to_string(), "8".to_string())];
    let saved = cchc_app::reports::save_figures(&app, &compiler, cchc_app::demo::PROVINCE, period, version, &fields).await.unwrap();
    let findings = cchc_app::reports::findings_of(&app, &saved.report, &catalogue).await.unwrap();
    cchc_app::reports::submission_gate(&findings, None).unwrap_err().to_string()
}

#[tokio::test]
async fn submitting_a_report_with_an_error_is_refused_with_the_pages_message() {
    let dir = temp("submit");
    let db = dir.join("demo.db");
    let message = demo_with_broken_report(&db).await;
    assert!(message.starts_with("Không thể gửi: báo cáo còn "), "{message}");
    let args = ["workflow", "--unit", cchc_app::demo::PROVINCE, "--period", "2026-H1", "--action", "submit"];
    let (code, out, err) = cchc(&db, &args);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains(&format!("Lỗi: {message}")), "{err}");
    // As a named account: a commune officer may not act on the province's report at all.
    let mut as_officer = vec!["--as", "sonha"];
    as_officer.extend_from_slice(&args);
    let (code, _, err) = cchc(&db, &as_officer);
    assert_eq!(code, 1);
    assert!(err.contains("Bạn không có quyền"), "{err}");
    let (code, _, err) = cchc(&db, &["--as", "khong-co-ai", "workflow", "--unit", "99", "--period", "2026-H1", "--action", "submit"]);
    assert_eq!(code, 1);
    assert!(err.contains("Không tìm thấy tài khoản khong-co-ai"), "{err}");
}

#[test]
fn cchc_import_never_changes_a_stored_catalogue_version() {
    let dir = temp("catalogue");
    let db = dir.join("t.db");
    assert_eq!(cchc(&db, &["units", "import", "examples/units.json"]).0, 0);
    // A province's variant, stored as written.
    let variant = dir.join("tinh.toml");
    let text = "[catalogue]\nid = \"tinh-thu\"\nversion = \"1\"\nname = \"Biến thể thử\"\nextends = \"vn-default@2022.1\"\n";
    std::fs::write(&variant, text).unwrap();
    let (code, out, err) = cchc(&db, &["catalogue", "add", variant.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    // A report naming it, imported with another text under the same reference: refused, nothing stored.
    let report = std::fs::read_to_string("../../examples/reports/cam-xuyen-2022-h1.json")
        .or_else(|_| std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/reports/cam-xuyen-2022-h1.json")))
        .unwrap();
    let reference = cchc_report::file::catalogue_ref(&report).unwrap();
    let report_file = dir.join("bc.json");
    std::fs::write(&report_file, report.replace(&format!("\"{reference}\""), "\"tinh-thu@1\"")).unwrap();
    let changed = dir.join("tinh-changed.toml");
    std::fs::write(&changed, text.replace("Biến thể thử", "Biến thể đã sửa")).unwrap();
    let (code, out, err) = cchc(&db, &["--catalogue", changed.to_str().unwrap(), "import", report_file.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("đã lưu khác với tệp đưa vào"), "{err}");
    // The same text is accepted, and the stored version is still the one added.
    let (code, out, err) = cchc(&db, &["--catalogue", variant.to_str().unwrap(), "import", report_file.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = cchc(&db, &["import", report_file.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let files = rt.block_on(async {
        let store = cchc_storage::open(&format!("sqlite://{}", db.display())).await.unwrap();
        store.catalogue_files().await.unwrap()
    });
    let stored: Vec<_> = files.iter().filter(|f| f.catalogue.reference() == "tinh-thu@1").collect();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0], &cchc_catalogue::parse(text).unwrap());
    // The shipped default is never stored as a (flattened) copy by an import.
    assert!(files.iter().all(|f| f.catalogue.reference() != reference), "{reference} was stored");
}

#[test]
fn a_busy_database_prints_no_driver_text() {
    let dir = temp("busy");
    let db = dir.join("t.db");
    assert_eq!(cchc(&db, &["units", "import", "examples/units.json"]).0, 0);
    // Another program holds SQLite's write lock longer than cchc waits for it.
    let url = format!("sqlite://{}", db.display());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (code, out, err) = rt.block_on(async {
        use sqlx::Connection;
        let mut holder = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query("BEGIN EXCLUSIVE").execute(&mut holder).await.unwrap();
        let db = db.clone();
        let run = tokio::task::spawn_blocking(move || cchc(&db, &["units", "import", "examples/units.json"]));
        let result = run.await.unwrap();
        sqlx::query("ROLLBACK").execute(&mut holder).await.unwrap();
        result
    });
    assert_ne!(code, 0, "{out}{err}");
    let said: String = err.lines().filter(|l| l.starts_with("Lỗi")).collect();
    assert!(said.contains("Hệ thống đang bận"), "{err}");
    for text in ["database is locked", "sqlx", "SQLITE", "error returned from database"] {
        assert!(!said.contains(text), "{said}");
    }
}

#[test]
fn a_constraint_failure_prints_a_reference_never_database_text() {
    let dir = temp("constraint");
    let db = dir.join("t.db");
    assert_eq!(cchc(&db, &["units", "import", "examples/units.json"]).0, 0);
    let url = format!("sqlite://{}", db.display());
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        use sqlx::Connection;
        let mut c = sqlx::SqliteConnection::connect(&url).await.unwrap();
        let trigger = "CREATE TRIGGER refuse BEFORE INSERT ON report_entries BEGIN SELECT RAISE(ABORT, 'UNIQUE constraint failed: report_entries.entry_key'); END";
        sqlx::query(trigger).execute(&mut c).await.unwrap();
    });
    let (code, out, err) = cchc(&db, &["import", "examples/reports/cam-xuyen-2022-h1.json"]);
    assert_eq!(code, 2, "{out}{err}");
    let said: String = err.lines().filter(|l| l.starts_with("Lỗi")).collect();
    assert!(said.contains("mã tham chiếu E"), "{err}");
    for text in ["UNIQUE", "constraint", "report_entries", "sqlx"] {
        assert!(!said.contains(text) && !out.contains(text), "{text}: {out}{err}");
    }
}

#[test]
fn a_missing_file_is_said_in_vietnamese() {
    let dir = temp("missing");
    let (code, _, err) = cchc(&dir.join("t.db"), &["import", "khong-co-tep-nay.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("Lỗi: không đọc được tệp khong-co-tep-nay.json: không có tệp hoặc thư mục này"), "{err}");
    assert!(!err.contains("No such file") && !err.contains("os error"), "{err}");
}
