//! The SQL implementation of [`Store`], shared by SQLite and PostgreSQL through sqlx's `Any`
//! driver. Only SQL both understand is used (`$n` parameters, `ON CONFLICT`, text timestamps);
//! each backend has its own migrations for what differs (auto-increment keys).

use std::collections::HashMap;

use async_trait::async_trait;
use cchc_calendar::YearSchedule;
use cchc_catalogue::CatalogueFile;

use cchc_dossiers::facts::Facts;
use cchc_dossiers::{Dossier, Procedure};
use cchc_periods::Period;
use cchc_report::workflow::{Action, Status};
use cchc_report::{Entry, Key, UnitReport};
use cchc_units::{Lineage, LineageEdge, Unit, UnitKind, UnitTree};
use chrono::NaiveDateTime;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, AssertSqlSafe, Row};

use crate::text_index::{Candidates, Searched};
use crate::{
    AccountStore, AdminStore, AuditEntry, AuditFilter, AuditPage, AuditQuery, CatalogueStore, DossierQuery, DossierRow, FigureNote,
    ImportBatch, IssuedReport, LedgerStore, NoteKind, Rederivation, ReportRecord, ReportStore, Role, StatusChange, StoreError, UnitStore,
    User, bulk,
};

/// Which database is behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The store over an SQLite or PostgreSQL pool.
pub struct SqlStore {
    pub(crate) pool: AnyPool,
    pub backend: Backend,
    /// PostgreSQL only: a typed pool (connected when first used) for what `Any` cannot do, the
    /// array-bound `UNNEST` inserts of the bulk dossier writer.
    pg: Option<sqlx::PgPool>,
    /// SQLite in a file only: a typed pool of one connection (connected when first used) for the
    /// bulk dossier writer and what is SQLite's own in it (see [`bulk::SqliteBulk`]). An
    /// in-memory database lives in the one connection of `pool`, so it writes through `Any`.
    sqlite: Option<sqlx::SqlitePool>,
    /// The most rows the text index may propose for a search to be answered through it
    /// ([`crate::text_index`]); a needle held by more is searched by the scan.
    pub(crate) text_index_cap: i64,
}

/// What every SQLite connection runs first, of `pool` and of the bulk writer's typed pool alike.
/// WAL with synchronous = NORMAL stays consistent after a crash (the last commits may be lost on
/// power failure); a 128 MB page cache keeps a bulk import's B-tree pages in memory instead of
/// re-reading them (measured: a third of the import). Temporary storage in memory: a multi-row
/// upsert keeps a statement journal (to undo just that statement), which otherwise spills to a
/// temporary file past 64 KB — ten writes per page of the database in a bulk import. 16 KB pages
/// for a new database (an existing one keeps its own): fewer B-tree levels and WAL frames for the
/// dossier rows (import 7 % faster). Foreign keys are off by default in SQLite, per connection:
/// every connection turns them on (migration 0008 declares them).
const SQLITE_SETUP: [&str; 7] = [
    "PRAGMA foreign_keys = ON",
    "PRAGMA page_size = 16384",
    "PRAGMA journal_mode = WAL",
    "PRAGMA busy_timeout = 5000",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA cache_size = -131072",
    "PRAGMA temp_store = MEMORY",
];

/// The page cache of the bulk writer's connection while it imports (128 MB at most, taken as the
/// pages are met; 32 MB while it builds the indexes again, `bulk::SqliteBulk::rebuild_indexes`):
/// a database that outgrows the cache within the import's one transaction spills its dirty
/// pages into the WAL and writes them again at every later change. Given back after. It was
/// 1 GB, then 256 MB, and the import's resident memory followed the database up to it (issue 17
/// item 4 asks for memory bounded whatever the file's size): the rows are appended (the table's
/// pages are not changed again once full), so a smaller cache costs little (3.000.000 dossiers
/// as fast with 64 MB as with 128 MB; figures in ARCHITECTURE.md, "Import memory").
const SQLITE_IMPORT_CACHE: &str = "PRAGMA cache_size = -131072";

/// Temporary files on disk while the bulk writer imports (set back to `MEMORY` after): with
/// `temp_store = MEMORY` SQLite's sorter never writes a sorted run out (`vdbesort.c` sizes its
/// runs only when temporary files are files), so the keys of each index an import builds again
/// at its end were sorted whole in memory, growing with the file; on files, a run is at most the
/// page cache's size. Peak at 3.000.000 dossiers: 810–830 MB instead of 878–901 MB.
const SQLITE_IMPORT_TEMP: &str = "PRAGMA temp_store = FILE";

/// Dossiers from which an import empties the WAL after its commit (see `write_dossiers`): a
/// WAL of some 50 MB and more, not the few rows of `put_dossiers`.
pub(crate) const SQLITE_BIG_IMPORT: usize = 100_000;

/// Run on every PostgreSQL connection of the store. No JIT compilation: the province's list is
/// one query of a few dozen `UNION ALL` arms (`SqlStore::newest_per_unit`) that runs in a few
/// milliseconds, but its estimated cost (the transferred arms' partial index is misestimated)
/// passes `jit_above_cost`, and PostgreSQL spent 3,6 s compiling 488 functions for it: 4 s per
/// list at 3.000.000 dossiers once `VACUUM` had set the visibility map (`EXPLAIN ANALYZE`, its
/// "JIT: Timing" line). cchc's queries read rows by index and blobs; none gains from JIT.
const PG_SETUP: &str = "SET jit = off";

/// Run on PostgreSQL after every committed dossier import (see `write_dossiers`). VACUUM sets
/// the visibility map of the pages the import filled, without which an index-only scan reads
/// each row's page too: the province list's count of a work list took 0,12 s at 10.000.000
/// before, 5 ms after (`EXPLAIN ANALYZE`); 8,6 s for the 10.000.000 rows, the heap in the
/// operating system's cache.
const PG_AFTER_IMPORT: &str = "VACUUM (ANALYZE) dossiers, dossier_ids, dossier_fact_parts, dossier_fact_rows";

/// Replaces stored dossiers' facts in `t` (see [`LedgerStore::replace_facts`]), and the list's
/// appointment column with them (a changed calendar or processing time moves it).
pub(crate) async fn replace_facts_in(t: &mut bulk::AnyBulk, facts: &[Facts]) -> Result<usize, StoreError> {
    let replaced = bulk::replace_facts(t, facts).await?;
    update_due(t, facts).await?;
    Ok(replaced)
}

/// Writes the list's appointment column (`due_at`) of the dossiers of `facts` from them.
pub(crate) async fn update_due<F: std::borrow::Borrow<Facts>>(t: &mut bulk::AnyBulk, facts: &[F]) -> Result<(), StoreError> {
    // Many rows a statement: a calendar change re-derives tens of thousands of dossiers, and a
    // statement each (through the driver's channel) was most of its time. Only the rows whose
    // appointment moves are written: every row written dirties a page of the table and of its
    // index.
    for chunk in facts.chunks(DUE_PER_UPDATE) {
        let values: Vec<String> = (0..chunk.len()).map(|i| format!("(${}, ${})", 2 * i + 1, 2 * i + 2)).collect();
        let sql = format!(
            "UPDATE dossiers SET due_at = v.column2 FROM (VALUES {}) AS v WHERE dossiers.id = v.column1 AND dossiers.due_at IS DISTINCT FROM v.column2",
            values.join(", ")
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for f in chunk {
            let f = f.borrow();
            q = q.bind(f.id.clone()).bind(f.due_now().map(|d| ts(cchc_dossiers::facts::to_moment(d))));
        }
        q.execute(&mut *t.tx).await?;
    }
    Ok(())
}

/// Inserts or replaces procedures in `tx`.
async fn upsert_procedures(tx: &mut sqlx::Transaction<'static, sqlx::Any>, procedures: &[Procedure]) -> Result<(), StoreError> {
    for p in procedures {
        sqlx::query("INSERT INTO procedures (code, json) VALUES ($1, $2) ON CONFLICT (code) DO UPDATE SET json = excluded.json")
            .bind(&p.code)
            .bind(json(p))
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The stored dossiers of the given ids (those stored, in no particular order), read in `tx`:
/// what a targeted re-derivation of facts reads (`crate::rederive`). Each query gives one row,
/// its dossiers' JSON texts joined by U+001E (a control character, which JSON never holds
/// unescaped): a row each, through the driver's channel and its row type, was most of the time
/// of reading some 90.000 dossiers (ARCHITECTURE.md, "Figures at 3.000.000").
pub(crate) async fn dossiers_by_id_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    backend: Backend,
    ids: &[String],
) -> Result<Vec<Dossier>, StoreError> {
    let joined = match backend {
        Backend::Sqlite => "group_concat(json, char(30))",
        Backend::Postgres => "string_agg(json, chr(30))",
    };
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_READ) {
        let list = parameters(backend, 1, chunk.len()).join(", ");
        let mut q = sqlx::query(AssertSqlSafe(format!("SELECT {joined} AS texts FROM dossiers WHERE id IN ({list})")));
        for id in chunk {
            q = q.bind(id.clone());
        }
        let texts: Option<String> = q.fetch_one(&mut **tx).await?.try_get("texts")?;
        for text in texts.iter().flat_map(|t| t.split('\u{1e}')) {
            out.push(from_json::<Dossier>(text)?);
        }
    }
    Ok(out)
}

/// Ids per query of [`dossiers_by_id_in`]: SQLite looks each parameter up by its name (see
/// [`DUE_PER_UPDATE`]), so fewer than the 1.000 it was.
const IDS_PER_READ: usize = 250;

/// Dossiers per statement of [`replace_facts_in`]'s update of the appointment column (two
/// parameters each; SQLite looks a parameter up by its name, so a statement's cost grows with
/// the square of its parameters: 10 % of a calendar change's time at 1.000 a statement).
const DUE_PER_UPDATE: usize = 200;

pub(crate) const TS: &str = "%Y-%m-%dT%H:%M:%S%.6f";

use crate::now;
use crate::rows::{from_json, json};

pub(crate) fn ts(t: NaiveDateTime) -> String {
    t.format(TS).to_string()
}

/// A moment in the stored text form ([`TS`]); a text that is not one is refused in Vietnamese
/// (chrono's English reason stays out of it).
pub(crate) fn parse_ts(s: &str) -> Result<NaiveDateTime, StoreError> {
    NaiveDateTime::parse_from_str(s, TS).map_err(|_| StoreError::Invalid(format!("thời điểm \"{s}\" đã lưu không đọc được")))
}

/// A dossier's receipt moment, as stored in `received_at` (its first event's).
fn received(d: &Dossier) -> NaiveDateTime {
    d.events.first().map_or(NaiveDateTime::MIN, |e| e.at)
}

/// The newest migration applied to the store on `c`, none on a new one.
async fn latest_migration(c: &mut sqlx::AnyConnection) -> Option<i64> {
    let row = sqlx::query("SELECT MAX(version) AS v FROM _sqlx_migrations").fetch_one(&mut *c).await.ok()?;
    row.try_get("v").ok().flatten()
}

/// The second halves of migrations, what SQL cannot do (reading blobs and JSON), for the rows
/// stored before them. Every writer since writes what they fill, so once they ran after the
/// latest migration they need not look again until the next one (migration 0038): each look is a
/// query of its own, on PostgreSQL planned over every year's partition (some 20 ms of every
/// command, measured with sqlx's statement log).
async fn second_halves(store: &SqlStore) -> Result<(), StoreError> {
    let latest: Option<i64> = sqlx::query("SELECT MAX(version) AS v FROM _sqlx_migrations").fetch_one(&store.pool).await?.try_get("v")?;
    let checked: Option<i64> = sqlx::query("SELECT version FROM store_checks WHERE name = 'second_halves'")
        .fetch_optional(&store.pool)
        .await?
        .map(|r| r.try_get("version"))
        .transpose()?;
    if latest.is_some() && checked == latest {
        return Ok(());
    }
    // Migration 0028's second half: the facts stored by unit split into parts (first: the
    // other halves read the facts).
    crate::fact_parts::fill(store).await?;
    // Migrations 0032, 0034 and 0036: the parts' tallies.
    crate::tallies::fill_tallies(store).await?;
    // Migration 0018's second half: the list's columns of the rows stored before it.
    crate::backfill_0018::fill(store).await?;
    // Migration 0025's second half: the handling unit of the transferred rows stored before it.
    crate::backfill_0025::fill(store).await?;
    if let Some(latest) = latest {
        sqlx::query("INSERT INTO store_checks (name, version) VALUES ('second_halves', $1) ON CONFLICT (name) DO UPDATE SET version = excluded.version")
            .bind(latest)
            .execute(&store.pool)
            .await?;
    }
    Ok(())
}

impl SqlStore {
    /// Connects by URL and runs the backend's migrations.
    pub async fn open(url: &str) -> Result<SqlStore, StoreError> {
        Self::open_in_schema(url, None).await
    }

    /// The dossiers of `dossiers` (the rows) that a search finds: how many (at most
    /// [`crate::COUNT_CAP`] + 1: more than the cap is not counted), and the page asked.
    /// `asked`: what the text index answered for a needle earlier in the same snapshot, reused
    /// when the needle is the same, else replaced.
    async fn search_rows(
        &self,
        c: &mut sqlx::AnyConnection,
        q: &DossierQuery,
        asked: &mut crate::text_index::Asked,
    ) -> Result<(i64, Vec<Dossier>), StoreError> {
        // No unit (and no empty `IN ()`, which PostgreSQL refuses), or none of no procedures:
        // nothing, without asking.
        if q.units.is_empty() || q.procedures.as_ref().is_some_and(Vec::is_empty) {
            return Ok((0, Vec::new()));
        }
        let needle = cchc_dossiers::search::needle(&q.text);
        let like = crate::text_index::like_escaped(&needle);
        let mut candidates = if asks_the_index(q, &needle) { self.text_candidates(c, &needle, q, asked).await? } else { None };
        let mut binds: Vec<String> = Vec::new();
        let source = match &candidates {
            Some(Candidates::Rows(rows)) => self.proposed_rows(&mut binds, rows),
            _ => "dossiers".to_string(),
        };
        // The units' dossiers (`units_filter`).
        let arms = match self.backend {
            // SQLite answers the OR with an index for each side.
            Backend::Sqlite => vec![self.units_filter(&mut binds, &q.units)],
            // PostgreSQL: two disjoint arms, each walked by its index.
            Backend::Postgres => pg_units_arms(&self.placeholders(&mut binds, &q.units)).to_vec(),
        };
        let mut rest = self.conditions(&mut binds, q, &like);
        if let Some(Candidates::Indexed { searched, runs }) = &candidates {
            rest += &self.holding_runs(&mut binds, *searched, runs);
        }
        let select = |columns: &str| {
            arms.iter().map(|whose| format!("SELECT {columns} FROM {source} WHERE {whose}{rest}")).collect::<Vec<_>>().join(" UNION ALL ")
        };
        let counted = format!("SELECT COUNT(*) AS n FROM ({} LIMIT {}) c", select("1 AS one"), crate::COUNT_CAP + 1);
        let total: i64 = bind_all(counted, &binds).fetch_one(&mut *c).await?.try_get("n")?;
        if q.limit <= 0 {
            return Ok((total, Vec::new()));
        }
        // PostgreSQL: too many matches to order at once; the page by the units' indexes.
        if matches!(candidates, Some(Candidates::Indexed { .. })) && total > self.text_index_cap {
            crate::text_index::set_bitmap_only(c, false).await?;
            candidates = None;
        }
        let order = page_order(q.by_due, "");
        // A few proposed rows are ordered at once; otherwise each unit's newest, by its index.
        let (key, columns) = self.page_key();
        let (ids, binds) = if q.by_due || candidates.is_some() { (select(columns), binds) } else { self.newest_per_unit(q, &like) };
        let rows = bind_all(
            format!(
                // The page is chosen in the index (id is in it), then only its rows are read.
                "SELECT json FROM dossiers WHERE {key} IN (SELECT k FROM ({ids}) p ORDER BY {order} LIMIT {} OFFSET {}) ORDER BY {order}",
                q.limit,
                q.offset.max(0)
            ),
            &binds,
        )
        .fetch_all(&mut *c)
        .await?;
        let page = rows.iter().map(|r| from_json(&r.try_get::<String, _>("json")?)).collect::<Result<Vec<Dossier>, StoreError>>()?;
        Ok((total, page))
    }

    /// What the text index answers for `needle` (its sample taken in `q`'s window), as `asked`
    /// holds it when it was asked the same needle in this snapshot (a list's work lists are
    /// asked over every year, its page over the period: the page's answer serves them). On
    /// PostgreSQL the transaction is set to bitmap scans every time (a page's query may have
    /// set it back).
    pub(crate) async fn text_candidates(
        &self,
        c: &mut sqlx::AnyConnection,
        needle: &str,
        q: &DossierQuery,
        asked: &mut crate::text_index::Asked,
    ) -> Result<Option<Candidates>, StoreError> {
        let searched = Searched::by(q);
        if let Some((earlier, of, answer)) = asked.as_ref()
            && earlier == needle
            && *of == searched
        {
            if matches!(answer, Some(Candidates::Indexed { .. })) {
                crate::text_index::set_bitmap_only(c, true).await?;
            }
            return Ok(answer.clone());
        }
        let window = (ts(q.from), ts(q.to));
        let answer = crate::text_index::candidates(c, self.backend, needle, searched, (&window.0, &window.1), self.text_index_cap).await?;
        *asked = Some((needle.to_string(), searched, answer.clone()));
        Ok(answer)
    }

    /// SQLite: the text index's proposed `rows` of `dossiers` as a FROM clause, the rows first,
    /// each then read by its rowid (CROSS JOIN keeps that order); the rowids bound as one JSON
    /// array.
    pub(crate) fn proposed_rows(&self, binds: &mut Vec<String>, rows: &[i64]) -> String {
        let keys = format!("[{}]", rows.iter().map(i64::to_string).collect::<Vec<_>>().join(","));
        format!(
            "(SELECT value AS k FROM json_each({})) keys CROSS JOIN dossiers ON dossiers.rowid = keys.k",
            self.placeholders(binds, &[keys])
        )
    }

    /// The units' dossiers as one condition in parentheses, its values appended to `binds`:
    /// those they received and those transferred to them (liên thông, migration 0025). The
    /// second half reads only the transferred rows (their partial indexes), and `handling_unit
    /// <> unit_code` is what lets it use them. On PostgreSQL, the two arms of [`pg_units_arms`]
    /// ORed, for rows found otherwise.
    pub(crate) fn units_filter(&self, binds: &mut Vec<String>, units: &[String]) -> String {
        let own = self.placeholders(binds, units);
        match self.backend {
            Backend::Sqlite => {
                let handling = self.placeholders(binds, units);
                format!("(unit_code IN ({own}) OR (handling_unit IN ({handling}) AND handling_unit <> unit_code))")
            }
            Backend::Postgres => format!("({})", pg_units_arms(&own).map(|arm| format!("({arm})")).join(" OR ")),
        }
    }

    /// PostgreSQL: the conditions that the rows' `searched` texts hold each of the needle's
    /// `runs`, each starting with ` AND `. Every match holds the needle in those texts (the words
    /// hold the codes too), so each of its runs; these conditions alone are what the trigram
    /// index answers.
    pub(crate) fn holding_runs(&self, binds: &mut Vec<String>, searched: Searched, runs: &[String]) -> String {
        let mut out = String::new();
        for run in runs {
            let pattern = format!("%{}%", crate::text_index::like_escaped(run));
            out += &format!(" AND {} LIKE {} ESCAPE '\\'", searched.text(), self.placeholders(binds, &[pattern]));
        }
        out
    }

    /// How a list's page is read once chosen: the key its rows are read by, and the columns the
    /// choice selects (the key as `k`, and what the page is ordered by). SQLite: the rowid, which
    /// every index holds, so each row of the page is one look-up of the table; by `id`, each was
    /// one of the primary key's index first, then of the table (some 50 of the 150 random reads
    /// of a first list at 10.000.000, 0,21 s cold: sqlx's statement log).
    fn page_key(&self) -> (&'static str, &'static str) {
        match self.backend {
            Backend::Sqlite => ("rowid", "dossiers.rowid AS k, id, received_at, due_at"),
            Backend::Postgres => ("id", "id AS k, id, received_at, due_at"),
        }
    }

    /// The newest `offset + limit` dossiers of each unit that the search finds, each unit's read
    /// in its index's order (received, transferred in from outside the units), as one query:
    /// the newest page of them all is among them. One query ordering all the units' dossiers
    /// sorted every one of them (0,74 s for a province's 3.000.000 against 6 ms).
    fn newest_per_unit(&self, q: &DossierQuery, needle: &str) -> (String, Vec<String>) {
        let mut binds = Vec::new();
        let n = q.offset.max(0) + q.limit;
        let mut arms = Vec::new();
        for unit in &q.units {
            for transferred in [false, true] {
                let unit = self.placeholders(&mut binds, std::slice::from_ref(unit));
                let whose = if transferred {
                    let others = self.placeholders(&mut binds, &q.units);
                    format!("handling_unit = {unit} AND handling_unit <> unit_code AND unit_code NOT IN ({others})")
                } else {
                    format!("unit_code = {unit}")
                };
                let conditions = self.conditions(&mut binds, q, needle);
                arms.push(format!(
                    "SELECT * FROM (SELECT {} FROM dossiers WHERE {whose}{conditions} ORDER BY received_at DESC, id LIMIT {n}) a{}",
                    self.page_key().1,
                    arms.len()
                ));
            }
        }
        (arms.join(" UNION ALL "), binds)
    }

    /// Placeholders for `values`, which are appended to `binds` (SQLite's `?` are bound by
    /// position, once per occurrence).
    pub(crate) fn placeholders(&self, binds: &mut Vec<String>, values: &[String]) -> String {
        let first = binds.len() + 1;
        binds.extend(values.iter().cloned());
        parameters(self.backend, first, values.len()).join(", ")
    }

    /// The search's conditions but the units, each starting with ` AND `, their values appended
    /// to `binds` in the order of their placeholders.
    pub(crate) fn conditions(&self, binds: &mut Vec<String>, q: &DossierQuery, needle: &str) -> String {
        let one = |binds: &mut Vec<String>, v: String| self.placeholders(binds, &[v]);
        // With states (the work lists), their index finds the few open dossiers; SQLite would
        // rather walk the window's receipt range, every dossier of it (11 s for the overdue
        // tab's count at 3.000.000, against under a millisecond), unless the range may not use
        // an index: `+received_at`.
        let received = if self.backend == Backend::Sqlite && !q.states.is_empty() { "+received_at" } else { "received_at" };
        let mut out = format!(" AND {received} >= {}", one(binds, ts(q.from)));
        out += &format!(" AND {received} <= {}", one(binds, ts(q.to)));
        // No text: no condition on it, so the count and the page read the index alone.
        if !needle.is_empty() {
            let like = one(binds, format!("%{needle}%"));
            let own = if q.personal {
                // The applicant's words only on the dossiers the units handle now: once a dossier
                // is transferred, the receiving unit sees its applicant masked, so a search there
                // must not tell whose it is either; its codes are still searched.
                let handling = self.placeholders(binds, &q.units);
                let again = one(binds, format!("%{needle}%"));
                let third = one(binds, format!("%{needle}%"));
                format!(
                    "(search_text LIKE {like} ESCAPE '\\' AND handling_unit IN ({handling})) OR LOWER(id) LIKE {again} ESCAPE '\\' OR LOWER(procedure_code) LIKE {third} ESCAPE '\\'"
                )
            } else {
                let again = one(binds, format!("%{needle}%"));
                format!("LOWER(id) LIKE {like} ESCAPE '\\' OR LOWER(procedure_code) LIKE {again} ESCAPE '\\'")
            };
            let by_procedure = if q.text_procedures.is_empty() {
                String::new()
            } else {
                format!(" OR procedure_code IN ({})", self.placeholders(binds, &q.text_procedures))
            };
            out += &format!(" AND ({own}{by_procedure})");
        }
        match &q.procedures {
            // None of no procedures (and no empty `IN ()`, which PostgreSQL refuses).
            Some(procedures) if procedures.is_empty() => out += " AND FALSE",
            Some(procedures) => out += &format!(" AND procedure_code IN ({})", self.placeholders(binds, procedures)),
            None => {}
        }
        if !q.states.is_empty() {
            out += &format!(" AND state IN ({})", self.placeholders(binds, &q.states));
        }
        if let Some(channel) = &q.channel {
            out += &format!(" AND channel = {}", one(binds, channel.clone()));
        }
        if let Some(from) = q.due_from {
            out += &format!(" AND due_at >= {}", one(binds, ts(from)));
        }
        if let Some(before) = q.due_before {
            out += &format!(" AND due_at < {}", one(binds, ts(before)));
        }
        out
    }

    /// A read-only transaction that sees one state of the ledger across its statements, so that
    /// a unit's facts blob and its deltas are read as of one moment, never an import's fold half seen
    /// (PostgreSQL's default isolation takes a new snapshot per statement).
    pub(crate) async fn snapshot(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        let mut tx = self.pool.begin().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut *tx).await?;
        }
        Ok(tx)
    }

    /// A write transaction. On SQLite it begins with `BEGIN IMMEDIATE`, taking the database's
    /// write lock at once (waiting up to `busy_timeout` for it): a deferred transaction that
    /// reads first and writes later is refused with SQLITE_BUSY at its first write whenever
    /// another connection wrote in between, without waiting, which concurrent writers at the
    /// counter made the common case ("database is locked").
    pub(crate) async fn write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// Writes dossiers in one transaction through the bulk writer (see [`bulk::write`]).
    async fn write_dossiers(&self, mut batches: tokio::sync::mpsc::Receiver<ImportBatch>) -> Result<Option<usize>, StoreError> {
        match &self.pg {
            Some(pg) => {
                let mut t = bulk::PgBulk::new(pg.begin().await?);
                let stored = bulk::write(&mut t, &mut batches).await?;
                if stored.is_some() {
                    t.tx.commit().await?;
                    // The planner's statistics and the visibility map brought up to the tables
                    // the import filled at once, rather than whenever autovacuum's threshold is
                    // next crossed (issue 17 item 4): PostgreSQL's equivalent of the checkpoint
                    // below. Neither blocks readers or writers, and the import is committed
                    // whatever they answer, so their answer is not an error of the import. Not
                    // prepared: VACUUM runs outside any transaction block.
                    let _ = sqlx::raw_sql(PG_AFTER_IMPORT).execute(pg).await;
                }
                Ok(stored)
            }
            None => match &self.sqlite {
                Some(sqlite) => {
                    // Outside the transaction: SQLite refuses to change it within one.
                    sqlx::query(SQLITE_IMPORT_TEMP).execute(&mut *sqlite.acquire().await?).await?;
                    let written = async {
                        let mut t = bulk::SqliteBulk::new(sqlite.begin_with("BEGIN IMMEDIATE").await?);
                        sqlx::query(SQLITE_IMPORT_CACHE).execute(&mut *t.tx).await?;
                        let stored = bulk::write(&mut t, &mut batches).await?;
                        if stored.is_some() {
                            t.tx.commit().await?;
                        }
                        Ok::<_, StoreError>(stored)
                    }
                    .await;
                    // The cache back to its size, its pages freed, whether the import went in or not
                    // (the pool's one connection, after the rollback of a failed import).
                    let mut c = sqlite.acquire().await?;
                    sqlx::query(SQLITE_SETUP[5]).execute(&mut *c).await?;
                    sqlx::query(SQLITE_SETUP[6]).execute(&mut *c).await?;
                    sqlx::query("PRAGMA shrink_memory").execute(&mut *c).await?;
                    if matches!(written, Ok(Some(n)) if n >= SQLITE_BIG_IMPORT) {
                        // The WAL the import grew to the size of what it wrote (already copied
                        // into the database by the checkpoint at its commit) emptied: a process
                        // that ends before its connections close leaves it, and the next to open
                        // the database reads it all again (2,3–3,4 s after 3.000.000 dossiers,
                        // measured). TRUNCATE waits for readers still on the WAL (busy_timeout)
                        // and gives up quietly if they stay; the import is committed whatever it
                        // answers, so its answer is not an error of the import.
                        let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut *c).await;
                    }
                    written
                }
                None => {
                    let mut t = bulk::AnyBulk::new(self.write().await?, self.backend);
                    let stored = bulk::write(&mut t, &mut batches).await?;
                    if stored.is_some() {
                        t.tx.commit().await?;
                    }
                    Ok(stored)
                }
            },
        }
    }

    /// Like [`Self::open`]; for PostgreSQL, works inside `schema` (created if missing), which lets
    /// tests run side by side in one database.
    pub async fn open_in_schema(url: &str, schema: Option<&str>) -> Result<SqlStore, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres") { Backend::Postgres } else { Backend::Sqlite };
        let url = match backend {
            Backend::Sqlite if url != "sqlite::memory:" && !url.contains('?') => format!("{url}?mode=rwc"),
            _ => url.to_string(),
        };
        // An in-memory SQLite database lives in one connection.
        let max = if url.starts_with("sqlite::memory:") { 1 } else { 5 };
        // Schema names are spliced into SQL, so only plain identifiers are accepted.
        let schema = schema.map(checked_schema).transpose()?;
        let pg = match backend {
            Backend::Postgres => {
                let path = schema.as_ref().map(|s| format!("SET search_path TO {s}"));
                Some(
                    sqlx::postgres::PgPoolOptions::new()
                        .max_connections(2)
                        .after_connect(move |conn, _| {
                            let path = path.clone();
                            Box::pin(async move {
                                sqlx::query(PG_SETUP).execute(&mut *conn).await?;
                                if let Some(stmt) = path {
                                    sqlx::query(AssertSqlSafe(stmt)).execute(&mut *conn).await?;
                                }
                                Ok(())
                            })
                        })
                        .connect_lazy(&url)?,
                )
            }
            Backend::Sqlite => None,
        };
        if let (Backend::Postgres, Some(s)) = (backend, &schema) {
            let admin = AnyPoolOptions::new().max_connections(1).connect(&url).await?;
            sqlx::query(AssertSqlSafe(format!("CREATE SCHEMA IF NOT EXISTS {s}"))).execute(&admin).await?;
            admin.close().await;
        }
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .after_connect(move |conn, _| {
                let setup: Vec<String> = match (backend, &schema) {
                    // See SQLITE_SETUP.
                    (Backend::Sqlite, _) => SQLITE_SETUP.iter().map(|s| s.to_string()).collect(),
                    (Backend::Postgres, Some(s)) => vec![PG_SETUP.to_string(), format!("SET search_path TO {s}")],
                    (Backend::Postgres, None) => vec![PG_SETUP.to_string()],
                };
                Box::pin(async move {
                    for stmt in setup {
                        sqlx::query(AssertSqlSafe(stmt)).execute(&mut *conn).await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        match backend {
            Backend::Sqlite => {
                // A migration that builds an index over a big ledger sorts every row of it: in
                // memory, as the connections keep temporary data, that was 1,3 GB for a
                // province's 10.000.000 (migration 0039, measured with `/usr/bin/time`); on
                // disk, as an import's, it is bounded by the page cache.
                let mut c = pool.acquire().await?;
                sqlx::query(SQLITE_IMPORT_TEMP).execute(&mut *c).await?;
                let before = latest_migration(&mut c).await;
                let migrated = sqlx::migrate!("./migrations/sqlite").run(&mut *c).await;
                sqlx::query(SQLITE_SETUP[6]).execute(&mut *c).await?;
                migrated?;
                // A migration that built an index over a big ledger left it in the write-ahead
                // log (0,96 GB for migration 0041 at 10.000.000), which every later read looks
                // through until something checkpoints it: as after an import, now. Only then,
                // so that a command run beside a busy server does not wait for its readers.
                if latest_migration(&mut c).await != before {
                    let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut *c).await;
                }
            }
            Backend::Postgres => sqlx::migrate!("./migrations/postgres").run(&pool).await?,
        }
        // Migration 0009's second half: the archive's LZ4 blocks, which SQL cannot read, become rows.
        crate::archive_0006::convert(&pool, backend).await?;
        let sqlite = match backend {
            Backend::Sqlite if !url.starts_with("sqlite::memory:") => Some(
                sqlx::sqlite::SqlitePoolOptions::new()
                    .max_connections(1)
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            for stmt in SQLITE_SETUP {
                                sqlx::query(stmt).execute(&mut *conn).await?;
                            }
                            Ok(())
                        })
                    })
                    // Its statements are an import's, each as long as it has rows: not "slow".
                    .connect_lazy_with(sqlx::ConnectOptions::disable_statement_logging(url.parse::<sqlx::sqlite::SqliteConnectOptions>()?)),
            ),
            _ => None,
        };
        let store = SqlStore { pool, backend, pg, sqlite, text_index_cap: crate::COUNT_CAP };
        second_halves(&store).await?;
        Ok(store)
    }

    /// Opens an empty PostgreSQL schema (tests, benchmarks): one an earlier run left is dropped
    /// first, without being opened, since another version of cchc may have migrated it (opening
    /// would refuse its unknown migrations).
    pub async fn open_fresh_schema(url: &str, schema: &str) -> Result<SqlStore, StoreError> {
        let name = checked_schema(schema)?;
        sqlx::any::install_default_drivers();
        let pool = AnyPoolOptions::new().max_connections(1).connect(url).await?;
        sqlx::query(AssertSqlSafe(format!("DROP SCHEMA IF EXISTS {name} CASCADE"))).execute(&pool).await?;
        pool.close().await;
        Self::open_in_schema(url, Some(schema)).await
    }

    /// Drops a PostgreSQL schema made by [`Self::open_in_schema`] (test clean-up).
    pub async fn drop_schema(&self, schema: &str) -> Result<(), StoreError> {
        sqlx::query(AssertSqlSafe(format!("DROP SCHEMA IF EXISTS {}", checked_schema(schema)?) + " CASCADE")).execute(&self.pool).await?;
        Ok(())
    }

    async fn load_record(&self, row: &AnyRow) -> Result<ReportRecord, StoreError> {
        let unit: String = row.try_get("unit_code")?;
        let period: String = row.try_get("period")?;
        let entries = sqlx::query("SELECT entry_key, value_json, qualifier, note, source FROM report_entries WHERE unit_code = $1 AND period = $2 ORDER BY position")
            .bind(&unit)
            .bind(&period)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(entry_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        record_from_row(row, entries)
    }

    /// The records of `rows` (reports selected `WHERE {column} = $1` with `value`), with all
    /// their entries read in ONE query rather than one per report.
    async fn load_records(&self, rows: Vec<AnyRow>, column: &'static str, value: &str) -> Result<Vec<ReportRecord>, StoreError> {
        let sql = format!(
            "SELECT unit_code, period, entry_key, value_json, qualifier, note, source FROM report_entries WHERE {column} = $1 ORDER BY unit_code, period, position"
        );
        let mut entries: HashMap<(String, String), Vec<Entry>> = HashMap::new();
        for row in sqlx::query(AssertSqlSafe(sql)).bind(value).fetch_all(&self.pool).await? {
            let key = (row.try_get::<String, _>("unit_code")?, row.try_get::<String, _>("period")?);
            entries.entry(key).or_default().push(entry_from_row(&row)?);
        }
        rows.iter()
            .map(|row| {
                let key = (row.try_get::<String, _>("unit_code")?, row.try_get::<String, _>("period")?);
                record_from_row(row, entries.remove(&key).unwrap_or_default())
            })
            .collect()
    }
}

fn checked_schema(s: &str) -> Result<String, StoreError> {
    let ok = !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !s.starts_with(|c: char| c.is_ascii_digit());
    if ok { Ok(s.to_string()) } else { Err(StoreError::Invalid(format!("tên schema \"{s}\""))) }
}

fn entry_from_row(row: &AnyRow) -> Result<Entry, StoreError> {
    let key_text: String = row.try_get("entry_key")?;
    let key = Key::parse(&key_text).ok_or_else(|| StoreError::Invalid(format!("khóa chỉ tiêu \"{key_text}\"")))?;
    let value: Option<String> = row.try_get("value_json")?;
    let qualifier: Option<String> = row.try_get("qualifier")?;
    Ok(Entry {
        key,
        value: value.as_deref().map(from_json).transpose()?,
        qualifier: qualifier.as_deref().map(from_json).transpose()?,
        note: row.try_get("note")?,
        source: row.try_get("source")?,
    })
}

fn record_from_row(row: &AnyRow, entries: Vec<Entry>) -> Result<ReportRecord, StoreError> {
    let period: String = row.try_get("period")?;
    let status: String = row.try_get("status")?;
    let window: Option<String> = row.try_get("window_json")?;
    let submitted: Option<String> = row.try_get("submitted_at")?;
    let compilation: Option<String> = row.try_get("compilation_json")?;
    let report = UnitReport {
        catalogue: row.try_get("catalogue")?,
        unit: from_json(&row.try_get::<String, _>("unit_json")?)?,
        period: period.parse().map_err(|e: cchc_periods::PeriodParseError| StoreError::Invalid(e.to_string()))?,
        window: window.as_deref().map(from_json).transpose()?,
        document: from_json(&row.try_get::<String, _>("document_json")?)?,
        entries,
        narrative: from_json(&row.try_get::<String, _>("narrative_json")?)?,
        compilation: compilation.as_deref().map(from_json).transpose()?,
    };
    Ok(ReportRecord {
        report,
        status: Status::from_slug(&status).ok_or_else(|| StoreError::Invalid(format!("trạng thái \"{status}\"")))?,
        version: row.try_get("version")?,
        created_at: parse_ts(&row.try_get::<String, _>("created_at")?)?,
        updated_at: parse_ts(&row.try_get::<String, _>("updated_at")?)?,
        submitted_at: submitted.as_deref().map(parse_ts).transpose()?,
        updated_by: row.try_get("updated_by")?,
        return_reason: row.try_get("return_reason")?,
    })
}

fn unit_from_row(row: &AnyRow) -> Result<Unit, StoreError> {
    let kind: String = row.try_get("kind")?;
    let date = |c: &str| -> Result<Option<chrono::NaiveDate>, StoreError> {
        let s: Option<String> = row.try_get(c)?;
        s.map(|s| s.parse().map_err(|_| StoreError::Invalid(format!("ngày \"{s}\"")))).transpose()
    };
    Ok(Unit {
        code: row.try_get("code")?,
        name: row.try_get("name")?,
        kind: UnitKind::from_slug(&kind).ok_or_else(|| StoreError::Invalid(format!("loại đơn vị \"{kind}\"")))?,
        parent: row.try_get("parent")?,
        valid_from: date("valid_from")?,
        valid_to: date("valid_to")?,
        issuer: row.try_get("issuer")?,
    })
}

/// The columns of `reports`, as a macro so queries stay `&'static str` (sqlx refuses SQL built
/// at run time unless it is audited).
macro_rules! report_columns {
    () => {
        "unit_code, period, catalogue, unit_json, window_json, document_json, narrative_json, status, version, created_at, updated_at, submitted_at, updated_by, return_reason, compilation_json"
    };
}

type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

impl SqlStore {
    /// A workflow step and its notes on figures, in one transaction.
    #[allow(clippy::too_many_arguments)]
    async fn step(
        &self,
        unit: &str,
        period: Period,
        action: Action,
        reason: Option<&str>,
        notes: &[FigureNote],
        by: &str,
        expected_version: i64,
        at: NaiveDateTime,
    ) -> Result<ReportRecord, StoreError> {
        let current =
            self.report(unit, period).await?.ok_or_else(|| StoreError::NotFound(format!("báo cáo của đơn vị {unit} kỳ {period}")))?;
        let next = current.status.apply(action, reason)?;
        let (p, at) = (period.to_string(), ts(at));
        let mut tx = self.write().await?;
        Self::bump_version(&mut tx, unit, &p, expected_version).await?;
        let submitted = (action == Action::Submit).then(|| at.clone());
        let reason_kept = (next == Status::Returned).then(|| reason.map(str::to_string)).flatten();
        sqlx::query("UPDATE reports SET status = $3, updated_at = $4, updated_by = $5, submitted_at = COALESCE($6, submitted_at), return_reason = $7 WHERE unit_code = $1 AND period = $2")
            .bind(unit)
            .bind(&p)
            .bind(next.slug())
            .bind(&at)
            .bind(by)
            .bind(submitted)
            .bind(reason_kept)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO status_changes (unit_code, period, from_status, to_status, action, by_user, at, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(unit)
            .bind(&p)
            .bind(current.status.slug())
            .bind(next.slug())
            .bind(json(&action).trim_matches('"').to_string())
            .bind(by)
            .bind(&at)
            .bind(reason)
            .execute(&mut *tx)
            .await?;
        let entry = AuditEntry {
            at: parse_ts(&at)?,
            by: by.into(),
            unit_code: Some(unit.into()),
            period: Some(p.clone()),
            action: action.name_vi().into(),
            item: Some("trạng thái".into()),
            old_value: Some(current.status.name_vi().into()),
            new_value: Some(next.name_vi().into()),
        };
        crate::rows::audit(&mut tx, &entry).await?;
        for note in notes {
            insert_note(&mut tx, note).await?;
        }
        tx.commit().await?;
        self.report(unit, period).await?.ok_or_else(|| StoreError::NotFound(format!("báo cáo của đơn vị {unit} kỳ {period}")))
    }
}

async fn insert_note(tx: &mut Tx<'_>, n: &FigureNote) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO figure_notes (unit_code, period, entry_key, kind, text, by_user, at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(&n.unit_code)
        .bind(n.period.to_string())
        .bind(&n.key)
        .bind(n.kind.slug())
        .bind(&n.text)
        .bind(&n.by)
        .bind(ts(n.at))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// One audit row per figure whose value changed, appeared or disappeared.
fn figure_changes(old: Option<&UnitReport>, new: &UnitReport) -> Vec<(String, Option<String>, Option<String>)> {
    let show = |r: &UnitReport| -> std::collections::BTreeMap<String, String> {
        r.entries.iter().map(|e| (e.key.to_string(), e.value.as_ref().map(|v| v.display()).unwrap_or_default())).collect()
    };
    let before = old.map(show).unwrap_or_default();
    let after = show(new);
    let mut out = Vec::new();
    for (k, v) in &after {
        if before.get(k) != Some(v) {
            out.push((k.clone(), before.get(k).cloned(), Some(v.clone())));
        }
    }
    for (k, v) in &before {
        if !after.contains_key(k) {
            out.push((k.clone(), Some(v.clone()), None));
        }
    }
    out
}

impl SqlStore {
    async fn write_entries(tx: &mut Tx<'_>, backend: Backend, report: &UnitReport) -> Result<(), StoreError> {
        let (unit, period) = (&report.unit.code, report.period.to_string());
        sqlx::query("DELETE FROM report_entries WHERE unit_code = $1 AND period = $2").bind(unit).bind(&period).execute(&mut **tx).await?;
        // Multi-row inserts: a report holds hundreds of figures, and one statement per figure
        // made every save pay hundreds of round trips while holding SQLite's only write lock.
        const ROWS: usize = 100;
        for (chunk_no, chunk) in report.entries.chunks(ROWS).enumerate() {
            let sql = format!(
                "INSERT INTO report_entries (unit_code, period, position, entry_key, value_json, qualifier, note, source) VALUES {}",
                value_rows(backend, 8, chunk.len())
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for (i, e) in chunk.iter().enumerate() {
                q = q
                    .bind(unit)
                    .bind(&period)
                    .bind((chunk_no * ROWS + i) as i64)
                    .bind(e.key.to_string())
                    .bind(e.value.as_ref().map(json))
                    .bind(e.qualifier.as_ref().map(json))
                    .bind(&e.note)
                    .bind(&e.source);
            }
            q.execute(&mut **tx).await?;
        }
        Ok(())
    }

    /// Bumps the version if it is still `expected`; the compare-and-set that makes locking safe
    /// under concurrent writers on both backends.
    async fn bump_version(tx: &mut Tx<'_>, unit: &str, period: &str, expected: i64) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE reports SET version = version + 1 WHERE unit_code = $1 AND period = $2 AND version = $3")
            .bind(unit)
            .bind(period)
            .bind(expected)
            .execute(&mut **tx)
            .await?;
        if done.rows_affected() == 1 {
            return Ok(());
        }
        let found: Option<i64> = sqlx::query("SELECT version FROM reports WHERE unit_code = $1 AND period = $2")
            .bind(unit)
            .bind(period)
            .fetch_optional(&mut **tx)
            .await?
            .map(|r| r.try_get("version"))
            .transpose()?;
        Err(match found {
            Some(found) => StoreError::Conflict { expected, found },
            None => StoreError::NotFound(format!("báo cáo của đơn vị {unit} kỳ {period}")),
        })
    }
}

#[async_trait]
impl UnitStore for SqlStore {
    async fn upsert_units(&self, units: &[Unit], lineage: &[LineageEdge]) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        for u in units {
            sqlx::query("INSERT INTO units (code, name, kind, parent, valid_from, valid_to, issuer) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, parent = excluded.parent, valid_from = excluded.valid_from, valid_to = excluded.valid_to, issuer = excluded.issuer")
                .bind(&u.code)
                .bind(&u.name)
                .bind(u.kind.slug())
                .bind(&u.parent)
                .bind(u.valid_from.map(|d| d.to_string()))
                .bind(u.valid_to.map(|d| d.to_string()))
                .bind(&u.issuer)
                .execute(&mut *tx)
                .await?;
        }
        for e in lineage {
            sqlx::query("INSERT INTO lineage (from_code, to_code, kind, day, basis) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (from_code, to_code, day) DO UPDATE SET kind = excluded.kind, basis = excluded.basis")
                .bind(&e.from)
                .bind(&e.to)
                .bind(json(&e.kind).trim_matches('"').to_string())
                .bind(e.date.to_string())
                .bind(&e.basis)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn unit_tree(&self) -> Result<UnitTree, StoreError> {
        let units = sqlx::query("SELECT code, name, kind, parent, valid_from, valid_to, issuer FROM units ORDER BY code")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(unit_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        let mut edges = Vec::new();
        for row in
            sqlx::query("SELECT from_code, to_code, kind, day, basis FROM lineage ORDER BY day, from_code").fetch_all(&self.pool).await?
        {
            let kind: String = row.try_get("kind")?;
            let day: String = row.try_get("day")?;
            edges.push(LineageEdge {
                from: row.try_get("from_code")?,
                to: row.try_get("to_code")?,
                kind: from_json(&format!("\"{kind}\""))?,
                date: day.parse().map_err(|_| StoreError::Invalid(format!("ngày \"{day}\"")))?,
                basis: row.try_get("basis")?,
            });
        }
        UnitTree::new(units, Lineage { edges }).map_err(|e| StoreError::Invalid(e.to_string()))
    }
}

#[async_trait]
impl CatalogueStore for SqlStore {
    async fn catalogue_files(&self) -> Result<Vec<CatalogueFile>, StoreError> {
        let rows = sqlx::query("SELECT toml FROM catalogues ORDER BY reference").fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| cchc_catalogue::parse(&r.try_get::<String, _>("toml")?).map_err(|e| StoreError::Invalid(e.to_string())))
            .collect()
    }

    async fn add_catalogue(&self, file: &CatalogueFile, by: &str) -> Result<(), StoreError> {
        let reference = file.catalogue.reference();
        let text = cchc_catalogue::to_toml(file);
        let mut tx = self.write().await?;
        let stored: Option<String> = sqlx::query("SELECT toml FROM catalogues WHERE reference = $1")
            .bind(&reference)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| r.try_get("toml"))
            .transpose()?;
        match stored {
            Some(old) if old == text => return Ok(()),
            Some(_) => {
                return Err(StoreError::Invalid(format!(
                    "bộ chỉ tiêu {reference} đã có và đã được báo cáo sử dụng; hãy đặt phiên bản mới (version)"
                )));
            }
            None => {}
        }
        sqlx::query("INSERT INTO catalogues (reference, toml) VALUES ($1, $2)").bind(&reference).bind(&text).execute(&mut *tx).await?;
        crate::rows::audit(
            &mut tx,
            &admin_audit(
                by,
                "thêm bộ chỉ tiêu",
                &reference,
                None,
                Some(format!("{} chỉ tiêu, {} quy tắc", file.indicators.len(), file.rules.len())),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

#[async_trait]
impl ReportStore for SqlStore {
    async fn save_report(&self, report: &UnitReport, expected_version: Option<i64>, by: &str) -> Result<ReportRecord, StoreError> {
        let (unit, period) = (report.unit.code.clone(), report.period.to_string());
        let old = self.report(&unit, report.period).await?;
        let at = ts(now());
        let mut tx = self.write().await?;
        match expected_version {
            None => {
                if let Some(existing) = &old {
                    return Err(StoreError::AlreadyExists(existing.version));
                }
                sqlx::query(concat!(
                    "INSERT INTO reports (",
                    report_columns!(),
                    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9, NULL, $10, NULL, $11)"
                ))
                .bind(&unit)
                .bind(&period)
                .bind(&report.catalogue)
                .bind(json(&report.unit))
                .bind(report.window.as_ref().map(json))
                .bind(json(&report.document))
                .bind(json(&report.narrative))
                .bind(Status::Draft.slug())
                .bind(&at)
                .bind(by)
                .bind(report.compilation.as_ref().map(json))
                .execute(&mut *tx)
                .await?;
            }
            Some(v) => {
                Self::bump_version(&mut tx, &unit, &period, v).await?;
                let status = old.as_ref().map_or(Status::Draft, |o| o.status);
                if !status.is_editable() {
                    return Err(status.apply(Action::SaveDraft, None).unwrap_err().into());
                }
                sqlx::query("UPDATE reports SET catalogue = $3, unit_json = $4, window_json = $5, document_json = $6, narrative_json = $7, updated_at = $8, updated_by = $9, compilation_json = $10 WHERE unit_code = $1 AND period = $2")
                    .bind(&unit)
                    .bind(&period)
                    .bind(&report.catalogue)
                    .bind(json(&report.unit))
                    .bind(report.window.as_ref().map(json))
                    .bind(json(&report.document))
                    .bind(json(&report.narrative))
                    .bind(&at)
                    .bind(by)
                    .bind(report.compilation.as_ref().map(json))
                    .execute(&mut *tx)
                    .await?;
            }
        }
        Self::write_entries(&mut tx, self.backend, report).await?;
        for (item, old_value, new_value) in figure_changes(old.as_ref().map(|o| &o.report), report) {
            let entry = AuditEntry {
                at: parse_ts(&at)?,
                by: by.into(),
                unit_code: Some(unit.clone()),
                period: Some(period.clone()),
                action: "sửa số liệu".into(),
                item: Some(item),
                old_value,
                new_value,
            };
            crate::rows::audit(&mut tx, &entry).await?;
        }
        tx.commit().await?;
        self.report(&unit, report.period).await?.ok_or_else(|| StoreError::NotFound(format!("báo cáo của đơn vị {unit} kỳ {period}")))
    }

    async fn report(&self, unit: &str, period: Period) -> Result<Option<ReportRecord>, StoreError> {
        let row = sqlx::query(concat!("SELECT ", report_columns!(), " FROM reports WHERE unit_code = $1 AND period = $2"))
            .bind(unit)
            .bind(period.to_string())
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => Ok(Some(self.load_record(&r).await?)),
            None => Ok(None),
        }
    }

    async fn reports_in_period(&self, period: Period) -> Result<Vec<ReportRecord>, StoreError> {
        let period = period.to_string();
        let rows = sqlx::query(concat!("SELECT ", report_columns!(), " FROM reports WHERE period = $1 ORDER BY unit_code"))
            .bind(&period)
            .fetch_all(&self.pool)
            .await?;
        self.load_records(rows, "period", &period).await
    }

    async fn reports_of_unit(&self, unit: &str) -> Result<Vec<ReportRecord>, StoreError> {
        let rows = sqlx::query(concat!("SELECT ", report_columns!(), " FROM reports WHERE unit_code = $1 ORDER BY period"))
            .bind(unit)
            .fetch_all(&self.pool)
            .await?;
        self.load_records(rows, "unit_code", unit).await
    }

    async fn transition_at(
        &self,
        unit: &str,
        period: Period,
        action: Action,
        reason: Option<&str>,
        by: &str,
        expected_version: i64,
        at: NaiveDateTime,
    ) -> Result<ReportRecord, StoreError> {
        self.step(unit, period, action, reason, &[], by, expected_version, at).await
    }

    async fn transition_with_notes(
        &self,
        unit: &str,
        period: Period,
        action: Action,
        reason: Option<&str>,
        notes: &[FigureNote],
        by: &str,
        expected_version: i64,
    ) -> Result<ReportRecord, StoreError> {
        self.step(unit, period, action, reason, notes, by, expected_version, now()).await
    }

    async fn put_issued_report(&self, report: &UnitReport, by: &str) -> Result<(), StoreError> {
        let (unit, period) = (report.unit.code.as_str(), report.period.to_string());
        let at = now();
        let mut tx = self.write().await?;
        let done = sqlx::query(
            "INSERT INTO issued_reports (unit_code, period, report_json, stored_at, by_user) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (unit_code, period) DO NOTHING",
        )
        .bind(unit)
        .bind(&period)
        .bind(json(report))
        .bind(ts(at))
        .bind(by)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::AlreadyExists(0));
        }
        let entry = AuditEntry {
            unit_code: Some(unit.into()),
            period: Some(period),
            new_value: report.document.number.clone(),
            ..AuditEntry::now(by, "lưu báo cáo đã ban hành")
        };
        crate::rows::audit(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn issued_report(&self, unit: &str, period: Period) -> Result<Option<IssuedReport>, StoreError> {
        let row = sqlx::query("SELECT report_json, stored_at, by_user FROM issued_reports WHERE unit_code = $1 AND period = $2")
            .bind(unit)
            .bind(period.to_string())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(IssuedReport {
                report: from_json(&r.try_get::<String, _>("report_json")?)?,
                stored_at: parse_ts(&r.try_get::<String, _>("stored_at")?)?,
                by: r.try_get("by_user")?,
            })
        })
        .transpose()
    }

    async fn add_figure_note(&self, note: &FigureNote) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        insert_note(&mut tx, note).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn figure_notes(&self, unit: &str, period: Period) -> Result<Vec<FigureNote>, StoreError> {
        let rows =
            sqlx::query("SELECT entry_key, kind, text, by_user, at FROM figure_notes WHERE unit_code = $1 AND period = $2 ORDER BY id")
                .bind(unit)
                .bind(period.to_string())
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                Ok(FigureNote {
                    unit_code: unit.to_string(),
                    period,
                    key: r.try_get("entry_key")?,
                    kind: NoteKind::from_slug(&kind).ok_or_else(|| StoreError::Invalid(format!("loại ghi chú \"{kind}\"")))?,
                    text: r.try_get("text")?,
                    by: r.try_get("by_user")?,
                    at: parse_ts(&r.try_get::<String, _>("at")?)?,
                })
            })
            .collect()
    }

    async fn history(&self, unit: &str, period: Period) -> Result<Vec<StatusChange>, StoreError> {
        let rows = sqlx::query("SELECT from_status, to_status, action, by_user, at, reason FROM status_changes WHERE unit_code = $1 AND period = $2 ORDER BY id")
            .bind(unit)
            .bind(period.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let status = |c: &str| -> Result<Status, StoreError> {
                    let s: String = r.try_get(c)?;
                    Status::from_slug(&s).ok_or_else(|| StoreError::Invalid(format!("trạng thái \"{s}\"")))
                };
                Ok(StatusChange {
                    from: status("from_status")?,
                    to: status("to_status")?,
                    action: from_json(&format!("\"{}\"", r.try_get::<String, _>("action")?))?,
                    by: r.try_get("by_user")?,
                    at: parse_ts(&r.try_get::<String, _>("at")?)?,
                    reason: r.try_get("reason")?,
                })
            })
            .collect()
    }

    async fn put_document_settings(&self, settings: &crate::DocumentSettings) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO document_settings (unit_code, json) VALUES ($1, $2) ON CONFLICT (unit_code) DO UPDATE SET json = excluded.json",
        )
        .bind(&settings.unit_code)
        .bind(json(settings))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn document_settings(&self, unit: &str) -> Result<Option<crate::DocumentSettings>, StoreError> {
        let row = sqlx::query("SELECT json FROM document_settings WHERE unit_code = $1").bind(unit).fetch_optional(&self.pool).await?;
        row.map(|r| from_json(&r.try_get::<String, _>("json")?)).transpose()
    }
}

#[async_trait]
impl LedgerStore for SqlStore {
    async fn put_procedures(&self, procedures: &[Procedure]) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        upsert_procedures(&mut tx, procedures).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn change_procedures(
        &self,
        procedures: &[Procedure],
        audit: &AuditEntry,
        rederive: Option<&Rederivation<'_>>,
    ) -> Result<usize, StoreError> {
        let mut t = bulk::AnyBulk::new(self.write().await?, self.backend);
        if rederive.is_some() {
            crate::rederive::hold_writers_off(&mut t, self.backend).await?;
        }
        upsert_procedures(&mut t.tx, procedures).await?;
        let replaced = match rederive {
            Some(re) => crate::rederive::rederive_in(&mut t, self.backend, re).await?,
            None => 0,
        };
        crate::rows::audit(&mut t.tx, audit).await?;
        t.tx.commit().await?;
        Ok(replaced)
    }

    async fn procedures(&self) -> Result<Vec<Procedure>, StoreError> {
        let rows = sqlx::query("SELECT json FROM procedures ORDER BY code").fetch_all(&self.pool).await?;
        rows.iter().map(|r| from_json(&r.try_get::<String, _>("json")?)).collect()
    }

    async fn put_dossiers(&self, dossiers: &[Dossier], facts: &[Facts]) -> Result<usize, StoreError> {
        if dossiers.len() != facts.len() {
            return Err(StoreError::Invalid(format!("{} hồ sơ nhưng {} bản tổng hợp", dossiers.len(), facts.len())));
        }
        let rows = dossiers.iter().zip(facts).map(|(d, f)| DossierRow::new(d, f.clone())).collect::<Result<Vec<_>, _>>()?;
        let (send, batches) = tokio::sync::mpsc::channel(2);
        send.try_send(ImportBatch::Rows(rows)).expect("room for two");
        send.try_send(ImportBatch::Commit).expect("room for two");
        Ok(self.write_dossiers(batches).await?.unwrap_or(0))
    }

    async fn import_dossiers(&self, batches: tokio::sync::mpsc::Receiver<ImportBatch>) -> Result<Option<usize>, StoreError> {
        self.write_dossiers(batches).await
    }

    async fn replace_facts(&self, facts: &[Facts]) -> Result<usize, StoreError> {
        let mut t = bulk::AnyBulk::new(self.write().await?, self.backend);
        let replaced = replace_facts_in(&mut t, facts).await?;
        t.tx.commit().await?;
        Ok(replaced)
    }

    async fn dossier_facts_window(&self, units: &[String], start: i64, end: i64) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        // Every unit's parts by their records: no tally is read (crate::tallies::parts_query).
        let pieces = self.pieces(units, &[(start, end)], units).await?;
        Ok(pieces
            .into_iter()
            .filter_map(|(unit, piece)| match piece {
                crate::FactsPiece::Records(blob) => Some((unit, blob)),
                crate::FactsPiece::Tally { .. } => None,
            })
            .collect())
    }

    async fn dossier_pieces(
        &self,
        units: &[String],
        windows: &[(i64, i64)],
        records_only: &[String],
    ) -> Result<Vec<(String, crate::FactsPiece)>, StoreError> {
        self.pieces(units, windows, records_only).await
    }

    async fn dossier_with_version(&self, id: &str) -> Result<Option<(Dossier, i64)>, StoreError> {
        let row = sqlx::query("SELECT json, version FROM dossiers WHERE id = $1").bind(id).fetch_optional(&self.pool).await?;
        row.map(|r| Ok((from_json(&r.try_get::<String, _>("json")?)?, r.try_get("version")?))).transpose()
    }

    async fn receive_dossier(&self, prefix: &str, dossier: &Dossier, facts: &Facts, by: &str) -> Result<Dossier, StoreError> {
        let mut t = bulk::AnyBulk::new(self.write().await?, self.backend);
        let stored = crate::counter::receive(&mut t, prefix, dossier, facts).await?;
        crate::rows::audit(&mut t.tx, &dossier_audit(by, "tiếp nhận hồ sơ", &stored, 1)).await?;
        t.tx.commit().await?;
        Ok(stored)
    }

    async fn insert_dossier(&self, dossier: &Dossier, facts: &Facts, by: &str) -> Result<i64, StoreError> {
        let mut t = bulk::AnyBulk::new(self.write().await?, self.backend);
        let version = crate::counter::insert(&mut t, dossier, facts).await?;
        crate::rows::audit(&mut t.tx, &dossier_audit(by, "tiếp nhận hồ sơ", dossier, version)).await?;
        t.tx.commit().await?;
        Ok(version)
    }

    async fn update_dossier(&self, dossier: &Dossier, facts: &Facts, expected_version: i64, by: &str) -> Result<i64, StoreError> {
        let mut t = bulk::AnyBulk::new(self.write().await?, self.backend);
        let version = crate::counter::update(&mut t, dossier, facts, expected_version).await?;
        crate::rows::audit(&mut t.tx, &dossier_audit(by, "cập nhật hồ sơ", dossier, version)).await?;
        t.tx.commit().await?;
        Ok(version)
    }

    async fn dossiers(&self, units: &[String], received_until: NaiveDateTime) -> Result<Vec<Dossier>, StoreError> {
        let mut out = Vec::new();
        let until = ts(received_until);
        let mut tx = self.snapshot().await?;
        for unit in units {
            let rows = sqlx::query("SELECT json FROM dossiers WHERE unit_code = $1 AND received_at <= $2")
                .bind(unit)
                .bind(&until)
                .fetch_all(&mut *tx)
                .await?;
            let mut of_unit = rows.iter().map(|r| from_json::<Dossier>(&r.try_get::<String, _>("json")?)).collect::<Result<Vec<_>, _>>()?;
            of_unit.sort_by(|a, b| (received(a), &a.id).cmp(&(received(b), &b.id)));
            out.append(&mut of_unit);
        }
        Ok(out)
    }

    async fn search_dossiers(&self, q: &DossierQuery) -> Result<(i64, Vec<Dossier>), StoreError> {
        if q.units.is_empty() {
            return Ok((0, Vec::new()));
        }
        // One snapshot: the count and the page agree.
        Ok(self.search_and_count(q, &[]).await?.0)
    }

    async fn search_and_count(&self, q: &DossierQuery, counted: &[DossierQuery]) -> Result<((i64, Vec<Dossier>), Vec<i64>), StoreError> {
        let mut tx = self.snapshot().await?;
        let mut asked = None;
        if let Some(found) = self.in_one_pass(&mut tx, q, counted, &mut asked).await? {
            return Ok(found);
        }
        let found = self.search_rows(&mut tx, q, &mut asked).await?;
        let mut counts = Vec::with_capacity(counted.len());
        for c in counted {
            counts.push(self.search_rows(&mut tx, &DossierQuery { limit: 0, ..c.clone() }, &mut asked).await?.0);
        }
        Ok((found, counts))
    }

    async fn dossier(&self, id: &str) -> Result<Option<Dossier>, StoreError> {
        Ok(self.dossier_with_version(id).await?.map(|(d, _)| d))
    }
}

#[async_trait]
impl AccountStore for SqlStore {
    async fn upsert_user(&self, user: &User) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO users (username, full_name, role, unit_code, password_hash, active) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (username) DO UPDATE SET full_name = excluded.full_name, role = excluded.role, unit_code = excluded.unit_code, password_hash = excluded.password_hash, active = excluded.active")
            .bind(&user.username)
            .bind(&user.full_name)
            .bind(user.role.slug())
            .bind(&user.unit_code)
            .bind(&user.password_hash)
            .bind(user.active as i64)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn user(&self, username: &str) -> Result<Option<User>, StoreError> {
        let row = sqlx::query("SELECT username, full_name, role, unit_code, password_hash, active FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn users(&self) -> Result<Vec<User>, StoreError> {
        let rows = sqlx::query("SELECT username, full_name, role, unit_code, password_hash, active FROM users ORDER BY username")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(user_from_row).collect()
    }

    async fn create_session(&self, id: &str, data: &str, expires_at: i64) -> Result<bool, StoreError> {
        let done = sqlx::query("INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING")
            .bind(id)
            .bind(data)
            .bind(expires_at)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn put_session(&self, id: &str, data: &str, expires_at: i64) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query("INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at")
            .bind(id)
            .bind(data)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
        let now = chrono::Utc::now().timestamp();
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1").bind(now).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn session(&self, id: &str, now: i64) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT data FROM sessions WHERE id = $1 AND expires_at >= $2")
            .bind(id)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get("data")).transpose()?)
    }

    async fn delete_session(&self, id: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id).execute(&self.pool).await?;
        Ok(())
    }
}

#[async_trait]
impl AdminStore for SqlStore {
    async fn append_audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        crate::rows::audit(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn audit(&self, f: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = sqlx::query("SELECT at, by_user, unit_code, period, action, item, old_value, new_value FROM audit WHERE ($1 IS NULL OR unit_code = $1) AND ($2 IS NULL OR period = $2) AND ($3 IS NULL OR by_user = $3) ORDER BY id DESC LIMIT $4")
            .bind(&f.unit_code)
            .bind(&f.period)
            .bind(&f.by)
            .bind(f.limit.unwrap_or(1000))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(audit_from_row).collect()
    }

    async fn audit_page(&self, q: &AuditQuery) -> Result<AuditPage, StoreError> {
        if q.units.as_ref().is_some_and(Vec::is_empty) {
            return Ok(AuditPage::default());
        }
        // Conditions with numbered parameters (both backends take $n); the values bound in order.
        let mut conditions = Vec::new();
        let mut values: Vec<String> = Vec::new();
        let param = |values: &mut Vec<String>, v: String| {
            values.push(v);
            format!("${}", values.len())
        };
        if let Some(units) = &q.units {
            let list: Vec<String> = units.iter().map(|u| param(&mut values, u.clone())).collect();
            conditions.push(format!("unit_code IN ({})", list.join(", ")));
        }
        if let Some(by) = &q.by {
            conditions.push(format!("by_user = {}", param(&mut values, by.clone())));
        }
        if let Some(action) = &q.action {
            conditions.push(format!("action = {}", param(&mut values, action.clone())));
        }
        // `at` is text in TS's format, which sorts as time does.
        if let Some(from) = q.from {
            conditions.push(format!("at >= {}", param(&mut values, ts(from.and_time(chrono::NaiveTime::MIN)))));
        }
        if let Some(until) = q.until.and_then(|d| d.succ_opt()) {
            conditions.push(format!("at < {}", param(&mut values, ts(until.and_time(chrono::NaiveTime::MIN)))));
        }
        let filter = if conditions.is_empty() { String::new() } else { format!(" WHERE {}", conditions.join(" AND ")) };
        let count_sql = format!("SELECT COUNT(*) AS n FROM audit{filter}");
        // Only placeholders and fixed column names are formatted into the text; every value is bound.
        let mut count = sqlx::query(sqlx::AssertSqlSafe(count_sql));
        for v in &values {
            count = count.bind(v.clone());
        }
        let total: i64 = count.fetch_one(&self.pool).await?.try_get("n")?;
        if q.limit <= 0 {
            return Ok(AuditPage { entries: Vec::new(), total });
        }
        let limit = param(&mut values, String::new());
        let offset = param(&mut values, String::new());
        let page_sql = format!(
            "SELECT at, by_user, unit_code, period, action, item, old_value, new_value FROM audit{filter} ORDER BY id DESC LIMIT {limit} OFFSET {offset}"
        );
        let mut page = sqlx::query(sqlx::AssertSqlSafe(page_sql));
        for v in &values[..values.len() - 2] {
            page = page.bind(v.clone());
        }
        let rows = page.bind(q.limit).bind(q.offset.max(0)).fetch_all(&self.pool).await?;
        let entries = rows.iter().map(audit_from_row).collect::<Result<Vec<_>, StoreError>>()?;
        Ok(AuditPage { entries, total })
    }

    async fn audit_actions(&self) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query("SELECT DISTINCT action FROM audit").fetch_all(&self.pool).await?;
        // Sorted here: the backends' collations differ.
        let mut actions = rows.iter().map(|r| r.try_get("action")).collect::<Result<Vec<String>, _>>()?;
        actions.sort();
        Ok(actions)
    }

    async fn calendar_years(&self) -> Result<Vec<YearSchedule>, StoreError> {
        let rows = sqlx::query("SELECT json FROM calendar_years ORDER BY year").fetch_all(&self.pool).await?;
        rows.iter().map(|r| from_json(&r.try_get::<String, _>("json")?)).collect()
    }

    async fn put_calendar_years(&self, years: &[YearSchedule], by: &str, rederive: Option<&Rederivation<'_>>) -> Result<usize, StoreError> {
        let mut t = bulk::AnyBulk::new(self.write().await?, self.backend);
        if rederive.is_some() {
            crate::rederive::hold_writers_off(&mut t, self.backend).await?;
        }
        for year in years {
            let old: Option<String> = sqlx::query("SELECT json FROM calendar_years WHERE year = $1")
                .bind(i64::from(year.year))
                .fetch_optional(&mut *t.tx)
                .await?
                .map(|r| r.try_get("json"))
                .transpose()?;
            let old: Option<YearSchedule> = old.as_deref().map(from_json).transpose()?;
            sqlx::query("INSERT INTO calendar_years (year, json) VALUES ($1, $2) ON CONFLICT (year) DO UPDATE SET json = excluded.json")
                .bind(i64::from(year.year))
                .bind(json(year))
                .execute(&mut *t.tx)
                .await?;
            let toml = |y: &YearSchedule| cchc_calendar::Schedule { years: vec![y.clone()] }.to_toml();
            crate::rows::audit(
                &mut t.tx,
                &admin_audit(by, "sửa lịch nghỉ", &format!("năm {}", year.year), old.as_ref().map(toml), Some(toml(year))),
            )
            .await?;
        }
        let replaced = match rederive {
            Some(re) => crate::rederive::rederive_in(&mut t, self.backend, re).await?,
            None => 0,
        };
        t.tx.commit().await?;
        Ok(replaced)
    }

    async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT value FROM settings WHERE key = $1").bind(key).fetch_optional(&self.pool).await?;
        Ok(row.map(|r| r.try_get("value")).transpose()?)
    }

    async fn put_setting(&self, key: &str, value: &str, by: &str) -> Result<(), StoreError> {
        self.put_settings(&[(key.to_string(), value.to_string())], by).await
    }

    async fn put_settings(&self, settings: &[(String, String)], by: &str) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        for (key, value) in settings {
            let old: Option<String> = sqlx::query("SELECT value FROM settings WHERE key = $1")
                .bind(key)
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| r.try_get("value"))
                .transpose()?;
            sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
                .bind(key)
                .bind(value)
                .execute(&mut *tx)
                .await?;
            let audit = admin_audit(by, "đổi thiết lập", &crate::setting::name_vi(key), old, Some(value.clone()));
            crate::rows::audit(&mut tx, &audit).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// An audit row of a dossier written at the counter: its unit, its code and the version written.
fn dossier_audit(by: &str, action: &str, dossier: &Dossier, version: i64) -> AuditEntry {
    AuditEntry {
        unit_code: Some(dossier.unit.clone()),
        item: Some(format!("hồ sơ {}", dossier.id)),
        new_value: Some(format!("phiên bản {version}")),
        ..AuditEntry::now(by, action)
    }
}

/// An audit row of an administrator's change (no unit, no period).
fn admin_audit(by: &str, action: &str, item: &str, old_value: Option<String>, new_value: Option<String>) -> AuditEntry {
    AuditEntry { item: Some(item.to_string()), old_value, new_value, ..AuditEntry::now(by, action) }
}

/// The `VALUES` rows of a multi-row insert: `(?, ?), (?, ?)` on SQLite, `($1, $2), ($3, $4)` on
/// PostgreSQL. SQLite gets anonymous `?` parameters: sqlx looks every numbered `$n` up by name,
/// which SQLite does by a linear scan, so numbered parameters make a 2.500-parameter statement
/// quadratic (half the dossier import time when measured).
pub(crate) fn value_rows(backend: Backend, columns: usize, rows: usize) -> String {
    let row = |i: usize| format!("({})", parameters(backend, i * columns + 1, columns).join(", "));
    (0..rows).map(row).collect::<Vec<_>>().join(", ")
}

/// A query with `binds` bound in order.
pub(crate) fn bind_all(sql: String, binds: &[String]) -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments> {
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for b in binds {
        query = query.bind(b.clone());
    }
    query
}

/// Whether the text index is asked for `q`'s `needle`: it proposes the rows that may hold it
/// when they are few. Not with procedures matched by name: their dossiers match whatever their
/// words.
pub(crate) fn asks_the_index(q: &DossierQuery, needle: &str) -> bool {
    !needle.is_empty() && q.text_procedures.is_empty()
}

/// PostgreSQL: the units' dossiers (see `SqlStore::search_rows`) as two disjoint conditions, each
/// answered by an index's walk; `units` are their placeholders. PostgreSQL answers the OR of
/// both with a bitmap of every row of both sides, which a count cannot stop reading at the cap
/// (0,12 s for a work list of 247.009 at 10.000.000, against 5 ms an index's walk: `EXPLAIN
/// ANALYZE`); $n placeholders are named, so the arms share them.
pub(crate) fn pg_units_arms(units: &str) -> [String; 2] {
    [format!("unit_code IN ({units})"), format!("handling_unit IN ({units}) AND handling_unit <> unit_code AND unit_code NOT IN ({units})")]
}

/// A list page's order, its columns prefixed by `prefix`: oldest appointment first (the work
/// lists), else newest receipt first; the receipt code breaks ties.
pub(crate) fn page_order(by_due: bool, prefix: &str) -> String {
    let p = prefix;
    if by_due { format!("{p}due_at, {p}received_at, {p}id") } else { format!("{p}received_at DESC, {p}id") }
}

/// `n` parameters numbered from `first`: `?` on SQLite, `$first…` on PostgreSQL.
pub(crate) fn parameters(backend: Backend, first: usize, n: usize) -> Vec<String> {
    (first..first + n)
        .map(|i| match backend {
            Backend::Sqlite => "?".to_string(),
            Backend::Postgres => format!("${i}"),
        })
        .collect()
}

/// An audit row as read by `audit` and `audit_page` (the same columns, in any order).
fn audit_from_row(r: &AnyRow) -> Result<AuditEntry, StoreError> {
    Ok(AuditEntry {
        at: parse_ts(&r.try_get::<String, _>("at")?)?,
        by: r.try_get("by_user")?,
        unit_code: r.try_get("unit_code")?,
        period: r.try_get("period")?,
        action: r.try_get("action")?,
        item: r.try_get("item")?,
        old_value: r.try_get("old_value")?,
        new_value: r.try_get("new_value")?,
    })
}

fn user_from_row(r: &AnyRow) -> Result<User, StoreError> {
    let role: String = r.try_get("role")?;
    Ok(User {
        username: r.try_get("username")?,
        full_name: r.try_get("full_name")?,
        role: Role::from_slug(&role).ok_or_else(|| StoreError::Invalid(format!("vai trò \"{role}\"")))?,
        unit_code: r.try_get("unit_code")?,
        password_hash: r.try_get("password_hash")?,
        active: r.try_get::<i64, _>("active")? != 0,
    })
}

#[cfg(test)]
mod tests {
    use sqlx::Row;

    /// Every connection of a PostgreSQL store runs without JIT compilation (see `PG_SETUP`): the
    /// one the statistics and lists use and the bulk writer's.
    #[tokio::test]
    async fn postgresql_connections_run_without_jit() {
        let Ok(url) = std::env::var("CCHC_TEST_POSTGRES") else {
            eprintln!("CCHC_TEST_POSTGRES is not set: postgresql_connections_run_without_jit skipped");
            return;
        };
        let store = super::SqlStore::open_fresh_schema(&url, "t_sql_no_jit").await.unwrap();
        let shared: String = sqlx::query("SHOW jit").fetch_one(&store.pool).await.unwrap().get(0);
        let bulk: String = sqlx::query("SHOW jit").fetch_one(store.pg.as_ref().unwrap()).await.unwrap().get(0);
        assert_eq!((shared.as_str(), bulk.as_str()), ("off", "off"));
    }
}
