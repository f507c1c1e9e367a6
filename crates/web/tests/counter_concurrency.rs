//! The one-stop counter under concurrent officers, through the router, on a SQLite file
//! database and on PostgreSQL (`CCHC_TEST_POSTGRES`; skipped when unset): 50 receipts at once,
//! then 50 events at once on one dossier, all based on the version its page showed.
//!
//! Every success reply must be stored (read back) and counted in Biểu 06 exactly as replaying
//! the stored events counts it; every other reply must be a 409 conflict (or a 503 "busy", at
//! most) with a Vietnamese message — never a 500, never a database's own text.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use axum::http::StatusCode;
use cchc_storage::Store;

mod common;
use common::{Client, Reply, field_value};

/// The demo commune whose officer receives the dossiers.
const UNIT: &str = "99101N";
const OFFICER: &str = "sonha";
const WRITERS: usize = 50;

/// What a database or driver would say; none of it may reach a user.
const DATABASE_TEXT: [&str; 5] = ["database is locked", "UNIQUE", "constraint", "sqlx", "SQLITE"];

fn copy(c: &Client) -> Client {
    Client { app: c.app.clone(), cookie: c.cookie.clone(), csrf: c.csrf.clone() }
}

/// Sends one form per entry at once (each from its own task, on several threads).
async fn all_at_once(client: &Client, uri: &str, forms: Vec<Vec<(String, String)>>) -> Vec<Reply> {
    let tasks: Vec<_> = forms
        .into_iter()
        .map(|form| {
            let (mut c, uri) = (copy(client), uri.to_string());
            tokio::spawn(async move {
                let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                c.submit(&uri, &fields).await
            })
        })
        .collect();
    let mut replies = Vec::new();
    for t in tasks {
        replies.push(t.await.expect("request task"));
    }
    replies
}

/// No reply is a 500 or shows a database's words; a refusal is one of `allowed`, in Vietnamese.
fn check_refusals(replies: &[Reply], allowed: &[StatusCode]) {
    for r in replies {
        assert_ne!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", r.body);
        for text in DATABASE_TEXT {
            assert!(!r.body.contains(text), "a reply shows \"{text}\": {}", r.body);
        }
        if r.status != StatusCode::SEE_OTHER {
            assert!(allowed.contains(&r.status), "unexpected {}: {}", r.status, r.body);
            let said = match r.status {
                StatusCode::CONFLICT => "hãy xem lại rồi ghi lại",
                _ => cchc_app::error::BUSY,
            };
            assert!(r.body.contains(said), "not a clear refusal: {}", r.body);
        }
    }
}

/// The Biểu 06 table of the commune for 2026 (as the web shows it, from the stored facts), and
/// the same table by replaying every stored dossier's events.
async fn tables(store: &dyn Store) -> (cchc_dossiers::Table, cchc_dossiers::Table) {
    let tree = store.unit_tree().await.unwrap();
    let rule = cchc_periods::WindowRule::default();
    let period: cchc_periods::Period = "2026-Y".parse().unwrap();
    let from_facts = cchc_app::dossiers::table(store, &tree, UNIT, period, &rule).await.unwrap();
    let window = rule.window(period);
    let units: HashMap<String, cchc_units::Level> = cchc_app::dossiers::receiving_units(&tree, UNIT, window.to).into_iter().collect();
    let codes: Vec<String> = units.keys().cloned().collect();
    let mut dossiers = store.dossiers(&codes, window.to.and_hms_opt(23, 59, 59).unwrap()).await.unwrap();
    // A dossier answered in the satisfaction survey counts with its answer (cchc_app::survey::rate),
    // in the stored facts' table as in the replay.
    let answers = cchc_app::survey::ratings(store, &codes).await.unwrap();
    for d in &mut dossiers {
        if let Some(r) = answers.get(&d.unit).and_then(|a| a.get(&d.id)) {
            d.rating = Some(*r);
        }
    }
    let procs = cchc_app::dossiers::procedures(store).await.unwrap();
    let replayed = cchc_dossiers::compute(&dossiers, &procs, &units, window, &cchc_calendar::WorkCalendar::vietnam()).unwrap();
    (from_facts, replayed)
}

async fn run(store: Arc<dyn Store>) {
    let catalogue = cchc_catalogue::default_catalogue();
    cchc_app::demo::seed(store.as_ref(), &catalogue, 300).await.expect("demo seed");
    let app = cchc_web::router(cchc_web::AppState::new(store.clone(), catalogue));
    let officer = Client::logged_in(&app, OFFICER).await;
    let procedure = cchc_dossiers::import::default_procedures()
        .into_iter()
        .find(|p| p.level == cchc_units::Level::Xa)
        .expect("a commune procedure")
        .code;
    let (before, replayed) = tables(store.as_ref()).await;
    assert_eq!(before, replayed);

    // 50 officers receive a dossier at the same minute.
    let form = |i: usize| {
        vec![
            ("unit".to_string(), UNIT.to_string()),
            ("procedure".into(), procedure.clone()),
            ("channel".into(), if i.is_multiple_of(2) { "truc-tiep" } else { "truc-tuyen" }.into()),
            ("at".into(), "2026-09-07T08:30".into()),
        ]
    };
    let replies = all_at_once(&officer, "/dossiers/new", (0..WRITERS).map(form).collect()).await;
    check_refusals(&replies, &[StatusCode::SERVICE_UNAVAILABLE]);
    let ids: Vec<String> = replies
        .iter()
        .filter(|r| r.status == StatusCode::SEE_OTHER)
        .map(|r| r.location.clone().expect("redirected").trim_start_matches("/dossiers/").to_string())
        .collect();
    eprintln!("receipts: {} stored of {WRITERS}", ids.len());
    assert!(ids.len() >= WRITERS * 9 / 10, "most receipts must get through: {} of {WRITERS}", ids.len());
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len(), "every receipt has its own code: {ids:?}");
    for id in &ids {
        assert!(id.starts_with(&format!("{UNIT}-260907-")) && id.len() == UNIT.len() + 12, "the code's format: {id}");
        let d = store.dossier(id).await.unwrap().unwrap_or_else(|| panic!("acknowledged receipt {id} is not stored"));
        assert_eq!((d.unit.as_str(), d.events.len()), (UNIT, 1));
    }
    let (after, replayed) = tables(store.as_ref()).await;
    assert_eq!(after, replayed, "Biểu 06 counts what is stored");
    assert_eq!(after.total().received_new(), before.total().received_new() + ids.len() as u64, "every receipt is counted");

    // 50 events at once on one dossier, all based on the version its page showed.
    let id = &ids[0];
    let mut page_client = copy(&officer);
    let page = page_client.get(&format!("/dossiers/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let version = field_value(&page.body, "version").expect("the page names the dossier's version");
    assert_eq!(version, "1");
    let at = |i: usize| format!("2026-09-08T{:02}:{:02}", 8 + i / 60, i % 60);
    let event =
        |i: usize| vec![("kind".to_string(), "yeu-cau-bo-sung".to_string()), ("at".into(), at(i)), ("version".into(), version.clone())];
    let replies = all_at_once(&officer, &format!("/dossiers/{id}/events"), (0..WRITERS).map(event).collect()).await;
    check_refusals(&replies, &[StatusCode::CONFLICT, StatusCode::SERVICE_UNAVAILABLE]);
    let won: Vec<usize> = (0..WRITERS).filter(|i| replies[*i].status == StatusCode::SEE_OTHER).collect();
    assert_eq!(
        won.len(),
        1,
        "one event applied on version 1, the others refused: {:?}",
        replies.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    let (stored, version) = store.dossier_with_version(id).await.unwrap().unwrap();
    assert_eq!((stored.events.len(), version), (2, 2));
    assert_eq!(stored.events[1].at.format("%Y-%m-%dT%H:%M").to_string(), at(won[0]), "the acknowledged event is the stored one");
    for (i, r) in replies.iter().enumerate().filter(|(_, r)| r.status == StatusCode::CONFLICT) {
        assert!(r.body.contains("đã được người khác cập nhật") && r.body.contains("hãy xem lại rồi ghi lại"), "{}", r.body);
        assert_eq!(field_value(&r.body, "version").as_deref(), Some("2"), "the page shows the dossier as it is now");
        assert_eq!(field_value(&r.body, "at"), Some(at(i)), "the officer's entry is kept");
        // The choice is no longer offered: the dossier now awaits the supplement (only the
        // events of its state are offered).
        assert!(r.body.contains(r#"<option value="bo-sung""#) && !r.body.contains(r#"<option value="yeu-cau-bo-sung""#), "{}", r.body);
    }
    let (after_events, replayed) = tables(store.as_ref()).await;
    assert_eq!(after_events, replayed, "Biểu 06 counts the stored event");
    assert_eq!(after_events.total().awaiting_supplement, after.total().awaiting_supplement + 1);

    // Recorded again on the version the refusal showed: applied in turn.
    let mut retry = copy(&officer);
    let r = retry.submit(&format!("/dossiers/{id}/events"), &[("kind", "bo-sung"), ("at", "2026-09-09T09:00"), ("version", "2")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(store.dossier_with_version(id).await.unwrap().map(|(d, v)| (d.events.len(), v)), Some((3, 3)));
    // An illegal step is refused with the ledger's message, the entry kept, nothing written.
    let r = retry.submit(&format!("/dossiers/{id}/events"), &[("kind", "bo-sung"), ("at", "2026-09-09T10:00"), ("version", "3")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("không ghi được") && field_value(&r.body, "at").as_deref() == Some("2026-09-09T10:00"), "{}", r.body);
    assert_eq!(store.dossier_with_version(id).await.unwrap().map(|(_, v)| v), Some(3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_receipts_and_events_on_sqlite_file() {
    let path = std::env::temp_dir().join(format!("cchc-counter-concurrency-{}.db", std::process::id()));
    let remove = || {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    };
    remove();
    let store = cchc_storage::open(&format!("sqlite://{}", path.display())).await.expect("store");
    run(store).await;
    remove();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_receipts_and_events_on_postgres() {
    let Ok(url) = std::env::var("CCHC_TEST_POSTGRES") else {
        eprintln!("CCHC_TEST_POSTGRES is not set: the PostgreSQL half of the counter test is skipped");
        return;
    };
    let schema = format!("t_counter_concurrency_{}", std::process::id());
    let store = Arc::new(cchc_storage::sql::SqlStore::open_fresh_schema(&url, &schema).await.expect("store"));
    run(store.clone()).await;
    store.drop_schema(&schema).await.unwrap();
}
