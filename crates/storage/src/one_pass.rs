//! A list page with its tabs' counts in one statement, when the text index narrows the search
//! (issue 17 item 2).
//!
//! On PostgreSQL each question of the GIN walks the posting lists of the needle's trigrams,
//! whatever else the query asks: for a name of common words (`nguyen van an`, 4.916 of
//! 10.000.000 dossiers) some 0,2–0,3 s, and a list page asked it six times (its count, its page
//! and the four work lists' counts), 0,68–0,72 s warm. On SQLite the index is asked once, but
//! each count read the proposed rows again. Here the rows the index proposes (SQLite: by rowid;
//! PostgreSQL: those holding the needle's runs), within the units and the union of the queries'
//! windows, are read once into a materialized CTE (`hits`: the columns the conditions read,
//! never the JSON), and the page and every count are taken of it. `hits` is bounded: when it
//! fills ([`HELD_PER_CAP`] times the index's cap; SQLite's proposed rows never do), the needle is
//! too common for this and the list asks query by query, whose counts stop at the cap.

use sqlx::Row;

use crate::rows::from_json;
use crate::sql::SqlStore;
use crate::text_index::Candidates;
use crate::{Dossier, DossierQuery, StoreError};

/// `hits` holds at most this many times the text index's cap rows (plus one, which tells it
/// filled): the needle's runs were weighed on a sample of the page's window to propose at most
/// about twice the cap, and the work lists read every year.
const HELD_PER_CAP: i64 = 4;

/// A page of `q` and how many dossiers each of `counted` finds.
pub(crate) type PageAndCounts = ((i64, Vec<Dossier>), Vec<i64>);

/// The columns of `dossiers` that the search's conditions read (`SqlStore::conditions`).
const COLUMNS: &str = "id, unit_code, handling_unit, received_at, due_at, state, channel, procedure_code, search_text";

impl SqlStore {
    /// `q`'s page and count and `counted`'s counts in one statement over the rows the text
    /// index proposes, when it narrows the search and every query searches the same text of the
    /// same units; `None` otherwise, or when the rows it proposes are too many to hold (the
    /// caller then asks query by query). `asked` is the text index's answer, kept for the caller.
    pub(crate) async fn in_one_pass(
        &self,
        c: &mut sqlx::AnyConnection,
        q: &DossierQuery,
        counted: &[DossierQuery],
        asked: &mut crate::text_index::Asked,
    ) -> Result<Option<PageAndCounts>, StoreError> {
        let same_search =
            |o: &DossierQuery| o.units == q.units && o.text == q.text && o.personal == q.personal && o.text_procedures == q.text_procedures;
        if q.units.is_empty() || !counted.iter().all(same_search) {
            return Ok(None);
        }
        let needle = cchc_dossiers::search::needle(&q.text);
        if !crate::sql::asks_the_index(q, &needle) {
            return Ok(None);
        }
        let Some(proposed) = self.text_candidates(c, &needle, q, asked).await? else {
            return Ok(None);
        };
        let bound = HELD_PER_CAP * self.text_index_cap + 1;
        let (sql, binds) = self.one_statement(q, counted, &needle, &proposed, bound);
        let rows = crate::sql::bind_all(sql, &binds).fetch_all(&mut *c).await?;
        let Some(first) = rows.first() else { return Ok(None) };
        if first.try_get::<i64, _>("held")? >= bound {
            return Ok(None);
        }
        let mut counts = (0..=counted.len()).map(|i| first.try_get::<i64, _>(format!("n{i}").as_str())).collect::<Result<Vec<_>, _>>()?;
        let total = counts.remove(0);
        let mut page = Vec::with_capacity(rows.len());
        for row in &rows {
            if let Some(text) = row.try_get::<Option<String>, _>("json")? {
                page.push(from_json::<Dossier>(&text)?);
            }
        }
        Ok(Some(((total, page), counts)))
    }

    /// The statement of [`Self::in_one_pass`] and its parameters: a row per dossier of the page
    /// (one with no `json` when the page is empty), each with `held` (the rows of `hits`) and
    /// `n0` (`q`'s count), `n1`… (`counted`'s), each counted up to [`crate::COUNT_CAP`] + 1.
    fn one_statement(
        &self,
        q: &DossierQuery,
        counted: &[DossierQuery],
        needle: &str,
        proposed: &Candidates,
        bound: i64,
    ) -> (String, Vec<String>) {
        let like = crate::text_index::like_escaped(needle);
        let mut binds = Vec::new();
        let all: Vec<&DossierQuery> = std::iter::once(q).chain(counted).collect();
        let from = all.iter().map(|o| o.from).min().unwrap_or(q.from);
        let to = all.iter().map(|o| o.to).max().unwrap_or(q.to);
        // The search every query shares (units, text, the window of them all): `hits`.
        let shared = DossierQuery { text: q.text.clone(), personal: q.personal, ..DossierQuery::new(q.units.clone(), from, to, 0) };
        let source = match proposed {
            Candidates::Rows(rows) => self.proposed_rows(&mut binds, rows),
            // PostgreSQL: the GIN alone proposes the rows (`OFFSET 0` keeps the other
            // conditions out of the scan): given the units and the window too, the planner
            // ANDed the GIN's bitmap with the units' index over every row of the year (1,2 s of
            // 1,7 at 10.000.000, `EXPLAIN ANALYZE`), as it cannot tell how few rows hold the runs;
            // given a quarter's window alone, with the states' index (5 s). So every year's
            // partition is asked, as the work lists' counts ask them anyway.
            Candidates::Indexed { searched, runs } => {
                format!("(SELECT {COLUMNS} FROM dossiers WHERE TRUE{} OFFSET 0) r", self.holding_runs(&mut binds, *searched, runs))
            }
        };
        let whose = self.units_filter(&mut binds, &q.units);
        let within = self.conditions(&mut binds, &shared, &like);
        let hits = format!("SELECT {COLUMNS} FROM {source} WHERE {whose}{within}");
        // In the order of the statement's text: SQLite binds its `?` by position.
        let page = format!(
            "SELECT id, received_at, due_at FROM hits WHERE TRUE{} ORDER BY {} LIMIT {} OFFSET {}",
            self.conditions(&mut binds, q, &like),
            crate::sql::page_order(q.by_due, ""),
            q.limit.max(0),
            q.offset.max(0)
        );
        let counts: Vec<String> = all
            .iter()
            .enumerate()
            .map(|(i, o)| {
                format!(
                    "(SELECT COUNT(*) FROM (SELECT 1 FROM hits WHERE TRUE{} LIMIT {}) c) AS n{i}",
                    self.conditions(&mut binds, o, &like),
                    crate::COUNT_CAP + 1
                )
            })
            .collect();
        let sql = format!(
            "WITH hits AS MATERIALIZED ({hits} LIMIT {bound}), page AS ({page}) \
             SELECT (SELECT COUNT(*) FROM hits) AS held, {}, d.json \
             FROM (SELECT 1) one LEFT JOIN (page p JOIN dossiers d ON d.id = p.id AND d.received_at = p.received_at) ON TRUE \
             ORDER BY {}",
            counts.join(", "),
            crate::sql::page_order(q.by_due, "p.")
        );
        (sql, binds)
    }
}
