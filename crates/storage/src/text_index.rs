//! The dossier list's search by index (issue 17 item 2, migration 0040): which dossiers may hold
//! the needle, asked of a trigram index before the list reads any row.
//!
//! A search is a substring of the dossier's normalised words (`search_text`), so without an index
//! it read every row of the listed units' window (19–22 s for a province of 10.000.000 with the
//! file out of the operating system's cache). SQLite keeps an FTS5 `trigram` index of the texts
//! (`dossier_words`), PostgreSQL a `pg_trgm` GIN on the column. The index only proposes: the
//! list keeps its `LIKE` on each proposed row, so what it finds is what the scan found, and a
//! needle the index cannot narrow (fewer than three characters, or more than the cap's rows
//! holding it) is searched by the scan, which finds a page of common words at once.
//!
//! FTS5 answers a phrase by walking the document list of every trigram in it, and some trigrams
//! are in nearly every text (`202` and `024` of a year, `-00` of a receipt code): the needle
//! `2024-000123` read most of a 10.000.000 index's pages for 1.500 matches, 1,8–2,0 s cold. So on
//! SQLite the needle is asked as the AND of its runs without such trigrams, each run a phrase,
//! the trigrams' frequency counted among the newest texts ([`SAMPLE`] of them: a few pages of
//! each trigram's list). PostgreSQL's GIN is asked the whole needle: its scan reads the frequent
//! trigrams' lists too (0,5–0,6 s for `2024-000123` at 10.000.000, ARCHITECTURE.md), not yet
//! narrowed as SQLite's question is.

use sqlx::{AssertSqlSafe, Row};

use crate::StoreError;
use crate::sql::Backend;

/// Builds SQLite's text index again from every row of `dossiers` (after an import into an empty
/// ledger, which sets its triggers aside: `bulk::SqliteBulk`; or after a `VACUUM`).
pub(crate) const SQLITE_REBUILD: &str = "INSERT INTO dossier_words (dossier_words) VALUES ('rebuild')";

/// PostgreSQL's text index, as migration 0040 creates it (`bulk::PgBulk` drops it for an import
/// into an empty ledger and creates it again at the end).
pub(crate) const PG_CREATE: &str = "CREATE INDEX dossiers_search_trigrams ON dossiers USING gin (search_text public.gin_trgm_ops)";
pub(crate) const PG_DROP: &str = "DROP INDEX IF EXISTS dossiers_search_trigrams";

/// `needle` for `LIKE … ESCAPE '\'`: `%`, `_` and the escape itself are characters of the
/// text, never wildcards.
pub(crate) fn like_escaped(needle: &str) -> String {
    needle.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// How many of the newest texts a trigram's frequency is counted among.
const SAMPLE: i64 = 4096;

/// A trigram held by more than one text in this many of the sample is left out of the index's
/// question (the rows are checked against the whole needle anyway).
const COMMON: i64 = 16;

/// What the index says of a needle that it narrows to at most the cap's rows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Candidates {
    /// SQLite: the rowids of `dossiers` whose text may hold the needle.
    Rows(Vec<i64>),
    /// PostgreSQL: the transaction is set to bitmap scans only, so that the list's `LIKE` on
    /// `search_text` is answered by the trigram index; the list counts its matches with it and
    /// goes the scan's way when they are over the cap.
    Indexed,
}

/// The candidates for `needle` (normalised as the texts are), or `None` when the index does not
/// narrow the search: under three characters, rows not yet in the index, or (SQLite) over `cap`
/// rows. On PostgreSQL, `Some` leaves `c`'s transaction with bitmap scans only (`SET LOCAL`,
/// which ends with it; [`set_bitmap_only`]).
pub(crate) async fn candidates(
    c: &mut sqlx::AnyConnection,
    backend: Backend,
    needle: &str,
    cap: i64,
) -> Result<Option<Candidates>, StoreError> {
    if needle.chars().count() < 3 {
        return Ok(None);
    }
    // A row whose words are not yet written (migration 0018's, filled when the store opens) is
    // not in the index: until none is left, the scan. Its partial index makes this free.
    let unfilled = sqlx::query("SELECT 1 AS one FROM dossiers WHERE search_text IS NULL LIMIT 1").fetch_optional(&mut *c).await?;
    if unfilled.is_some() {
        return Ok(None);
    }
    match backend {
        Backend::Sqlite => {
            // The needle without its common trigrams reads little of the index, but may propose
            // too many rows (`nguyen van an`: every "n v" with an "n a", over the cap); then the
            // whole needle, a phrase, which reads the common trigrams' lists too (0,3 s of a
            // 10.000.000 index out of the cache) and proposes exactly the rows that hold it.
            let runs = fts_question(needle, &common_trigrams(c, needle).await?);
            let whole = phrase(needle);
            let questions = if runs == whole { vec![whole] } else { vec![runs, whole] };
            for question in questions {
                let rows: Vec<i64> = sqlx::query(AssertSqlSafe(format!(
                    "SELECT rowid AS k FROM dossier_words WHERE dossier_words MATCH $1 LIMIT {}",
                    cap + 1
                )))
                .bind(question)
                .fetch_all(&mut *c)
                .await?
                .iter()
                .map(|r| r.try_get::<i64, _>("k"))
                .collect::<Result<_, _>>()?;
                if rows.len() as i64 <= cap {
                    return Ok(Some(Candidates::Rows(rows)));
                }
            }
            Ok(None)
        }
        Backend::Postgres => {
            // Bitmap scans only: the planner, not knowing how few rows hold the needle, would
            // rather walk the receipt index or the table in order and test every row. Not asked
            // apart: the list's own count is the question (a GIN scan of a needle with the
            // year's trigrams is 0,2–0,3 s at 10.000.000, and a list page asks six counts).
            set_bitmap_only(c, true).await?;
            Ok(Some(Candidates::Indexed))
        }
    }
}

/// PostgreSQL: plans of the transaction with bitmap scans only (`on`), or as the planner likes.
pub(crate) async fn set_bitmap_only(c: &mut sqlx::AnyConnection, on: bool) -> Result<(), StoreError> {
    let value = if on { "off" } else { "DEFAULT" };
    for setting in ["enable_seqscan", "enable_indexscan", "enable_indexonlyscan"] {
        sqlx::query(AssertSqlSafe(format!("SET LOCAL {setting} TO {value}"))).execute(&mut *c).await?;
    }
    Ok(())
}

/// The trigrams of `needle` held by more than one in [`COMMON`] of the newest texts.
async fn common_trigrams(c: &mut sqlx::AnyConnection, needle: &str) -> Result<Vec<String>, StoreError> {
    let newest: Option<i64> = sqlx::query("SELECT MAX(rowid) AS m FROM dossiers").fetch_one(&mut *c).await?.try_get("m")?;
    let Some(newest) = newest else { return Ok(Vec::new()) };
    let from = newest - SAMPLE;
    let sampled = SAMPLE.min(newest);
    let mut common = Vec::new();
    for gram in trigrams(needle) {
        let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM dossier_words WHERE dossier_words MATCH $1 AND rowid > $2")
            .bind(phrase(&gram))
            .bind(from)
            .fetch_one(&mut *c)
            .await?
            .try_get("n")?;
        if n * COMMON > sampled {
            common.push(gram);
        }
    }
    Ok(common)
}

/// The needle's distinct trigrams, in order of first appearance.
fn trigrams(needle: &str) -> Vec<String> {
    let chars: Vec<char> = needle.chars().collect();
    let mut out: Vec<String> = Vec::new();
    for w in chars.windows(3) {
        let gram: String = w.iter().collect();
        if !out.contains(&gram) {
            out.push(gram);
        }
    }
    out
}

/// The FTS5 question for `needle` without its `common` trigrams: the AND of the needle's longest
/// runs whose every trigram is uncommon, each a phrase (a run of three characters or more holds
/// at least one trigram). Every text holding the needle holds each run, so the question finds a
/// superset. When every trigram is common, the whole needle as one phrase.
fn fts_question(needle: &str, common: &[String]) -> String {
    let chars: Vec<char> = needle.chars().collect();
    let mut runs: Vec<String> = Vec::new();
    let mut start: Option<usize> = None;
    for i in 0..=chars.len().saturating_sub(3) {
        let gram: String = chars[i..i + 3].iter().collect();
        match (common.contains(&gram), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                runs.push(chars[s..i + 2].iter().collect());
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        runs.push(chars[s..].iter().collect());
    }
    if runs.is_empty() {
        return phrase(needle);
    }
    runs.iter().map(|r| phrase(r)).collect::<Vec<_>>().join(" AND ")
}

/// `text` as an FTS5 string (a phrase of its trigrams): in double quotes, each one doubled.
fn phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_needle_is_asked_without_its_common_trigrams() {
        let common = |gs: &[&str]| gs.iter().map(|g| g.to_string()).collect::<Vec<_>>();
        // Nothing common: the whole needle.
        assert_eq!(fts_question("2024-000123", &[]), "\"2024-000123\"");
        // The year and the code's zeros are in every text: the rest is asked.
        assert_eq!(fts_question("2024-000123", &common(&["202", "024", "24-", "4-0", "-00", "000"])), "\"00123\"");
        // A common trigram in the middle splits the needle into two phrases.
        assert_eq!(fts_question("nguyen van an", &common(&["n v", " va", "van", "an "])), "\"nguyen \" AND \"n an\"");
        // Every trigram common: the needle as it is.
        assert_eq!(fts_question("van", &common(&["van"])), "\"van\"");
        // A quote is a character of the phrase.
        assert_eq!(fts_question("a\"bc", &[]), "\"a\"\"bc\"");
    }

    #[test]
    fn trigrams_are_distinct_and_of_characters() {
        assert_eq!(trigrams("aaaa"), vec!["aaa"]);
        assert_eq!(trigrams("đăng"), vec!["đăn", "ăng"]);
        assert!(trigrams("ab").is_empty());
    }
}

/// The index against the scan on a store: the same counts and pages whatever the cap, so
/// whichever way a needle goes.
#[cfg(test)]
mod stores {
    use cchc_dossiers::facts::Facts;
    use cchc_dossiers::generate::{Config, generate};
    use cchc_dossiers::search::{dossier_text, needle};
    use chrono::NaiveDate;

    use super::*;
    use crate::sql::SqlStore;
    use crate::{DossierQuery, LedgerStore};

    /// 400 generated dossiers of X1 and X2 (a name and an ID number each), one with a code of
    /// quotes and wildcards; returns them.
    async fn ledger(s: &SqlStore) -> Vec<cchc_dossiers::Dossier> {
        let procedures = crate::test_ledger::with_communes(s, &["X1", "X2"]).await;
        let cal = cchc_calendar::WorkCalendar::vietnam();
        let units = vec![("X1".to_string(), cchc_units::Level::Xa), ("X2".to_string(), cchc_units::Level::Xa)];
        let config = Config { units, procedures: procedures.clone(), year: 2026, dossiers: 400, seed: 40 };
        let mut ds: Vec<_> = generate(&config, &cal).collect();
        ds[7].id = "X1-\"50%_\"-7".into();
        let by_code: std::collections::HashMap<_, _> = procedures.iter().map(|p| (p.code.clone(), p)).collect();
        let facts: Vec<Facts> = ds.iter().map(|d| Facts::derive(d, by_code[&d.procedure], &cal).unwrap()).collect();
        s.put_dossiers(&ds, &facts).await.unwrap();
        ds
    }

    /// Needles cut from the dossiers' texts at several places and lengths, words found in many,
    /// in none, and with the characters FTS5 and `LIKE` treat apart.
    fn needles(ds: &[cchc_dossiers::Dossier]) -> Vec<String> {
        let mut out: Vec<String> =
            ["nguyen", "x1-2026", "2026", "zzq", "\"50%_\"", "50%", "_\"-7", "demo", "thi", "ab"].map(String::from).to_vec();
        for (i, d) in ds.iter().enumerate().step_by(23) {
            let text: Vec<char> = dossier_text(d).chars().collect();
            let len = 3 + i % 9;
            let at = (i * 7) % text.len().saturating_sub(len).max(1);
            out.push(text[at..(at + len).min(text.len())].iter().collect());
        }
        out
    }

    async fn agrees_with_the_scan(s: &mut SqlStore) {
        let ds = ledger(s).await;
        let (from, to) = (
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap(),
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap().and_hms_opt(23, 59, 59).unwrap(),
        );
        let spring = NaiveDate::from_ymd_opt(2026, 4, 30).unwrap().and_hms_opt(0, 0, 0).unwrap();
        let mut asked = 0;
        for typed in needles(&ds) {
            let wanted = needle(&typed);
            for (units, personal, until, by_due, offset) in [
                (vec!["X1", "X2"], true, to, false, 0),
                (vec!["X1", "X2"], false, to, false, 0),
                (vec!["X1"], true, spring, false, 5),
                (vec!["X2"], true, to, true, 0),
            ] {
                let q = DossierQuery {
                    text: typed.clone(),
                    personal,
                    by_due,
                    offset,
                    ..DossierQuery::new(units.iter().map(|u| u.to_string()).collect(), from, until, 7)
                };
                let mut answers = Vec::new();
                for cap in [crate::COUNT_CAP, 3, 0] {
                    s.text_index_cap = cap;
                    let (n, page) = s.search_dossiers(&q).await.unwrap();
                    answers.push((n, page.into_iter().map(|d| d.id).collect::<Vec<_>>()));
                }
                assert_eq!(answers[0], answers[1], "{typed:?} {units:?} {personal}");
                assert_eq!(answers[0], answers[2], "{typed:?} {units:?} {personal}");
                // Without personal data, the codes alone, as the dossiers say.
                if !personal {
                    let expected = ds
                        .iter()
                        .filter(|d| {
                            !wanted.is_empty() && (d.id.to_lowercase().contains(&wanted) || d.procedure.to_lowercase().contains(&wanted))
                        })
                        .count() as i64;
                    assert_eq!(answers[0].0, expected, "{typed:?}");
                }
                asked += 1;
            }
        }
        assert!(asked > 60);
        s.text_index_cap = crate::COUNT_CAP;
        // The index is asked, and narrows: a code held by one dossier (the question may find a
        // few more, its common trigrams left out).
        let mut c = s.pool.acquire().await.unwrap();
        let mut tx = sqlx::Connection::begin(&mut *c).await.unwrap();
        let code = needle(&ds[42].id);
        let like = like_escaped(&code);
        let found = candidates(&mut tx, s.backend, &code, 5).await.unwrap();
        match s.backend {
            Backend::Sqlite => assert!(matches!(&found, Some(Candidates::Rows(rows)) if (1..=5).contains(&rows.len())), "{found:?}"),
            Backend::Postgres => assert_eq!(found, Some(Candidates::Indexed)),
        }
        // On PostgreSQL the GIN answers the count (rebuilt after the import into the empty ledger).
        if s.backend == Backend::Postgres {
            let plan: Vec<String> =
                sqlx::query(AssertSqlSafe(format!("EXPLAIN SELECT COUNT(*) FROM dossiers WHERE search_text LIKE '%{like}%' ESCAPE '\\'")))
                    .fetch_all(&mut *tx)
                    .await
                    .unwrap()
                    .iter()
                    .map(|r| r.try_get::<String, _>(0).unwrap())
                    .collect();
            assert!(plan.iter().any(|l| l.contains("Bitmap Index Scan") && l.contains("search_text")), "{plan:#?}");
        }
        // Too common (SQLite; PostgreSQL's list counts), or too short: the scan.
        if s.backend == Backend::Sqlite {
            assert_eq!(candidates(&mut tx, s.backend, "x1-2026", 5).await.unwrap(), None);
        }
        assert_eq!(candidates(&mut tx, s.backend, "x1", 5).await.unwrap(), None);
        drop(tx);
        drop(c);
        // A dossier written into a ledger that has some is indexed as it is written (on SQLite
        // in a file, the first import set the index's triggers aside and built it at the end).
        let mut late = ds[3].clone();
        late.id = "X2-ZQXW-1".into();
        let procedures = cchc_dossiers::import::default_procedures();
        let p = procedures.iter().find(|p| p.code == late.procedure).unwrap();
        let facts = Facts::derive(&late, p, &cchc_calendar::WorkCalendar::vietnam()).unwrap();
        s.put_dossiers(std::slice::from_ref(&late), std::slice::from_ref(&facts)).await.unwrap();
        let q = DossierQuery { text: "zqxw".into(), ..DossierQuery::new(vec!["X1".into(), "X2".into()], from, to, 7) };
        let (n, page) = s.search_dossiers(&q).await.unwrap();
        assert_eq!((n, page.len()), (1, 1));
    }

    #[tokio::test]
    async fn the_index_finds_what_the_scan_finds_on_sqlite() {
        let mut s = SqlStore::open("sqlite::memory:").await.unwrap();
        agrees_with_the_scan(&mut s).await;
    }

    /// In a file, imports go through the bulk writer, which sets the index's triggers aside.
    #[tokio::test]
    async fn the_index_finds_what_the_scan_finds_on_sqlite_in_a_file() {
        let dir = std::env::temp_dir().join(format!("cchc-text-index-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("ledger.db");
        let mut s = SqlStore::open(&format!("sqlite://{}", path.display())).await.unwrap();
        agrees_with_the_scan(&mut s).await;
        s.pool.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn the_index_finds_what_the_scan_finds_on_postgresql() {
        let Ok(url) = std::env::var("CCHC_TEST_POSTGRES") else {
            eprintln!("CCHC_TEST_POSTGRES is not set: the_index_finds_what_the_scan_finds_on_postgresql skipped");
            return;
        };
        let mut s = SqlStore::open_fresh_schema(&url, "t_text_index").await.unwrap();
        agrees_with_the_scan(&mut s).await;
        s.drop_schema("t_text_index").await.unwrap();
    }
}
