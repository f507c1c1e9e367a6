//! Times a counter write against the size of the receiving unit's ledger (a measurement, not a
//! test): `cargo run --release -p cchc-storage --example counter_write -- [SIZES] [DB_URL]`,
//! SIZES comma-separated (default `10000,1000000`), DB_URL a PostgreSQL server (default: a new
//! SQLite file per size in the temporary directory; for PostgreSQL each size gets a schema).
//!
//! For each size, one unit's ledger of that many dossiers is imported (its rows and the unit's
//! facts blob), then it times, one after another: receipts (`receive_dossier`), events on
//! those new dossiers and on imported ones (`update_dossier`), the old counter path for comparison (`put_dossiers` of one dossier, which
//! merges it into the unit's whole blob), and the Biểu 06 read of the unit's facts with the
//! deltas laid over its blob (`dossier_facts`). Prints the median and the 90th percentile.
use std::time::{Duration, Instant};

use cchc_dossiers::facts::Facts;
use cchc_dossiers::generate::{Config, generate};
use cchc_dossiers::{Dossier, Event, EventKind, Procedure};
use cchc_storage::prelude::*;
use cchc_storage::sql::SqlStore;
use cchc_storage::{DossierRow, ImportBatch};

const WRITES: usize = 200;
/// Dossiers per import batch, as the CSV import's blocks (`cchc_app::dossiers`).
const IMPORT_BATCH: usize = 5000;

fn summary(mut times: Vec<Duration>) -> String {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!("median {:.2} ms, p90 {:.2} ms", ms(times[times.len() / 2]), ms(times[times.len() * 9 / 10]))
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sizes: Vec<usize> =
        args.first().map_or("10000,1000000", String::as_str).split(',').map(|s| s.trim().parse().expect("a size")).collect();
    let url = args.get(1).cloned();
    let cal = cchc_calendar::WorkCalendar::vietnam();
    let procedures = cchc_dossiers::import::default_procedures();
    let by_code: std::collections::HashMap<String, Procedure> = procedures.iter().map(|p| (p.code.clone(), p.clone())).collect();
    let facts_of = |d: &Dossier| Facts::derive(d, &by_code[&d.procedure], &cal).expect("a legal history");
    for n in sizes {
        let schema = format!("counter_write_{n}");
        let store = match &url {
            Some(url) => SqlStore::open_fresh_schema(url, &schema).await.expect("open"),
            None => {
                let path = std::env::temp_dir().join(format!("cchc-counter-write-{n}.db"));
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
                SqlStore::open(&format!("sqlite://{}", path.display())).await.expect("open")
            }
        };
        let unit = cchc_units::Unit {
            code: "X1".into(),
            name: "Xã X1".into(),
            kind: cchc_units::UnitKind::Xa,
            parent: None,
            valid_from: None,
            valid_to: None,
            issuer: None,
        };
        store.upsert_units(&[unit], &[]).await.expect("unit");
        store.put_procedures(&procedures).await.expect("procedures");
        let config =
            Config { units: vec![("X1".into(), cchc_units::Level::Xa)], procedures: procedures.clone(), year: 2026, dossiers: n, seed: 7 };
        let started = Instant::now();
        let (send, batches) = tokio::sync::mpsc::channel(2);
        let produce = async {
            let mut all = generate(&config, &cal);
            loop {
                let batch: Vec<DossierRow> =
                    all.by_ref().take(IMPORT_BATCH).map(|d| DossierRow::new(&d, facts_of(&d)).expect("row")).collect();
                if batch.is_empty() {
                    send.send(ImportBatch::Commit).await.expect("send");
                    return;
                }
                send.send(ImportBatch::Rows(batch)).await.expect("send");
            }
        };
        let (stored, ()) = tokio::join!(store.import_dossiers(batches), produce);
        assert_eq!(stored.expect("import"), Some(n));
        let blob = store.dossier_facts(&["X1".into()]).await.expect("facts")[0].1.len();
        println!("{n} dossiers in unit X1: imported in {:.1?}, facts blob {:.1} MB", started.elapsed(), blob as f64 / 1e6);

        let prototype = Dossier {
            id: String::new(),
            unit: "X1".into(),
            procedure: config.procedures.iter().find(|p| p.level == cchc_units::Level::Xa).expect("a commune procedure").code.clone(),
            events: vec![Event::new(
                chrono::NaiveDate::from_ymd_opt(2026, 12, 30).unwrap().and_hms_opt(8, 0, 0).unwrap(),
                EventKind::Received { channel: cchc_dossiers::Channel::Direct },
            )],
            digitised: false,
            rating: None,
            applicant: None,
            handler: None,
            assignments: Vec::new(),
        };
        let proto_facts = facts_of(&prototype);
        let mut received = Vec::new();
        let mut times = Vec::new();
        for _ in 0..WRITES {
            let t = Instant::now();
            received.push(store.receive_dossier("X1-261230", &prototype, &proto_facts, "bench").await.expect("receipt"));
            times.push(t.elapsed());
        }
        println!("  receipt (receive_dossier):                 {}", summary(times));
        let mut times = Vec::new();
        for d in &received {
            let mut d = d.clone();
            d.events.push(Event {
                at: d.events[0].at + chrono::Duration::hours(2),
                kind: EventKind::SupplementRequested,
                by: None,
                note: None,
            });
            let f = facts_of(&d);
            let t = Instant::now();
            store.update_dossier(&d, &f, 1, "bench").await.expect("event");
            times.push(t.elapsed());
        }
        println!("  event on a counter dossier (update):        {}", summary(times));
        // Imported dossiers spread over the ledger, each with a step its history allows.
        let steps = [EventKind::Refused, EventKind::ResultReturned { channel: cchc_dossiers::Channel::Direct }];
        let changed: Vec<(Dossier, Facts)> = generate(&config, &cal)
            .step_by((n / (2 * WRITES)).max(1))
            .filter_map(|d| {
                let at = d.events.last().expect("events").at + chrono::Duration::hours(1);
                steps.iter().find_map(|kind| {
                    let mut d = d.clone();
                    d.events.push(Event { at, kind: kind.clone(), by: None, note: None });
                    let f = Facts::derive(&d, &by_code[&d.procedure], &cal).ok()?;
                    Some((d, f))
                })
            })
            .take(WRITES)
            .collect();
        let mut times = Vec::new();
        for (d, f) in &changed {
            let t = Instant::now();
            store.update_dossier(d, f, cchc_storage::counter::ARCHIVED_VERSION, "bench").await.expect("event");
            times.push(t.elapsed());
        }
        println!("  event on an imported dossier (update):      {} ({} dossiers)", summary(times), changed.len());
        let mut times = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            store.dossier_facts(&["X1".into()]).await.expect("facts");
            times.push(t.elapsed());
        }
        println!("  facts read with the deltas (dossier_facts): {} (5 reads)", summary(times));
        let mut times = Vec::new();
        for d in received.iter().take(10) {
            let mut d = d.clone();
            d.events.push(Event {
                at: d.events[0].at + chrono::Duration::hours(3),
                kind: EventKind::SupplementRequested,
                by: None,
                note: None,
            });
            d.events.push(Event {
                at: d.events[0].at + chrono::Duration::hours(4),
                kind: EventKind::SupplementProvided,
                by: None,
                note: None,
            });
            let f = facts_of(&d);
            let t = Instant::now();
            store.put_dossiers(std::slice::from_ref(&d), std::slice::from_ref(&f)).await.expect("put");
            times.push(t.elapsed());
        }
        println!("  old path, whole blob merged (put_dossiers): {} (10 writes)", summary(times));
        let t = Instant::now();
        store.dossier_facts(&["X1".into()]).await.expect("facts");
        println!("  facts read, deltas folded by that put:      {:.2} ms", t.elapsed().as_secs_f64() * 1000.0);
        if url.is_some() {
            store.drop_schema(&schema).await.expect("drop");
        }
    }
}
