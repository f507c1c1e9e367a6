//! The storage contract (`cchc_storage::contract`) on both backends: SQLite always (in memory),
//! PostgreSQL when `CCHC_TEST_POSTGRES` names a server (CI sets it, and `scripts/test-env.sh`
//! fails the run when it cannot be reached). Each PostgreSQL test works in its own schema.

use cchc_storage::Store;
use cchc_storage::sql::SqlStore;

mod sqlite {
    pub async fn open(_test: &str) -> Option<Box<dyn cchc_storage::Store>> {
        Some(Box::new(cchc_storage::sql::SqlStore::open("sqlite::memory:").await.expect("SQLite in memory")))
    }
    cchc_storage::contract_suite!(open);
}

mod postgres {
    pub async fn open(test: &str) -> Option<Box<dyn super::Store>> {
        let Ok(url) = std::env::var("CCHC_TEST_POSTGRES") else {
            eprintln!("CCHC_TEST_POSTGRES is not set: PostgreSQL half of {test} skipped");
            return None;
        };
        // A schema per test, emptied first (a run that stopped half-way leaves its schemas).
        let schema = format!("t_{test}");
        Some(Box::new(super::SqlStore::open_fresh_schema(&url, &schema).await.expect("PostgreSQL")))
    }
    cchc_storage::contract_suite!(open);
}
