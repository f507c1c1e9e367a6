//! The ledger's generations (migration 0027, issue 17 item 2): a counter per scope that the
//! database bumps, by triggers, in the transaction of every write that can change a statistics
//! table — a unit's code for its facts (the import's blob, the counter's deltas, later the facts'
//! parts) and its survey answers, [`ALL`] for the procedures, the calendar's years and the unit
//! tree. A result computed from the store is still the stored one while the generations read
//! BEFORE computing it are unchanged: a write committed meanwhile bumps them, so the result is at
//! worst computed again, never served stale.
//!
//! The triggers are the database's, not this crate's writers': every writer (the bulk import, the
//! counter, `replace_facts`, a future one) bumps them without knowing of them.

use async_trait::async_trait;
use sqlx::{AssertSqlSafe, Row};

use crate::StoreError;
use crate::sql::{SqlStore, parameters};

/// The scope of what every unit's statistics read (procedures, calendar, unit tree).
pub const ALL: &str = "*";

/// The generations of some receiving units and of [`ALL`], read in one snapshot; 0 for a scope
/// never written since migration 0027.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Generations {
    /// The generation of [`ALL`].
    pub all: i64,
    /// The generation of each unit asked for, in the order asked.
    pub units: Vec<i64>,
}

/// The ledger's generations (see the module's documentation).
#[async_trait]
pub trait GenerationStore: Send + Sync {
    /// The generations of `units` (receiving units' codes) and of [`ALL`], in one query.
    async fn generations(&self, units: &[String]) -> Result<Generations, StoreError>;
}

#[async_trait]
impl GenerationStore for SqlStore {
    async fn generations(&self, units: &[String]) -> Result<Generations, StoreError> {
        let sql =
            format!("SELECT scope, n FROM ledger_generations WHERE scope IN ({})", parameters(self.backend, 1, units.len() + 1).join(", "));
        let mut q = sqlx::query(AssertSqlSafe(sql)).bind(ALL.to_string());
        for u in units {
            q = q.bind(u.clone());
        }
        let found: std::collections::HashMap<String, i64> = q
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok((r.try_get::<String, _>("scope")?, r.try_get::<i64, _>("n")?)))
            .collect::<Result<_, sqlx::Error>>()?;
        Ok(Generations {
            all: found.get(ALL).copied().unwrap_or(0),
            units: units.iter().map(|u| found.get(u).copied().unwrap_or(0)).collect(),
        })
    }
}
