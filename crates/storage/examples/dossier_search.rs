//! Times the ledger's reads on a stored database (a measurement, not a test):
//! `cargo run --release -p cchc-storage --example dossier_search -- DB_URL UNITS YEAR [TEXT] [ID]`
//! with UNITS comma-separated; prints each search's total, page size and time, then one
//! dossier's lookup time.
use std::time::Instant;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, units, year, rest @ ..] = args.as_slice() else {
        eprintln!("usage: dossier_search DB_URL UNITS YEAR [TEXT] [ID]");
        std::process::exit(2);
    };
    let store = cchc_storage::open(url).await.expect("open the store");
    let year: i32 = year.parse().expect("a year");
    let day = |m, d| chrono::NaiveDate::from_ymd_opt(year, m, d).expect("a date");
    let (from, to) = (day(1, 1).and_hms_opt(0, 0, 0).unwrap(), day(12, 31).and_hms_opt(23, 59, 59).unwrap());
    let units: Vec<String> = units.split(',').map(String::from).collect();
    for text in ["", rest.first().map_or("", String::as_str)] {
        let started = Instant::now();
        let query = cchc_storage::DossierQuery { text: text.into(), ..cchc_storage::DossierQuery::new(units.clone(), from, to, 200) };
        let (total, page) = store.search_dossiers(&query).await.expect("search");
        println!("search {text:?}: {total} found, page of {}, {:?}", page.len(), started.elapsed());
    }
    if let Some(id) = rest.get(1) {
        let started = Instant::now();
        let found = store.dossier(id).await.expect("lookup").is_some();
        println!("dossier {id}: found {found}, {:?}", started.elapsed());
    }
}
