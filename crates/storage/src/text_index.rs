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
//! FTS5 answers a phrase, and the GIN a `LIKE`, by walking the list of every trigram in it, and
//! some trigrams are in nearly every text (`202` and `024` of a year, `-00` of a receipt code):
//! the needle `2024-000123` read most of a 10.000.000 index's pages for 1.500 matches, 1,8–2,0 s
//! cold on SQLite, 0,5–0,6 s a page on PostgreSQL. So a needle is weighed on a sample of the texts
//! ([`sample`], [`weigh`]) and asked without its common trigrams, as its remaining runs, when
//! they propose about as few rows as the whole needle would; a needle held by far more rows than
//! the cap goes to the scan without asking.
//!
//! Only an officer of the dossiers' own unit searches the applicant's words; everyone else's
//! search matches the receipt and procedure codes alone (`SqlStore::conditions`), so it asks an
//! index of the codes alone (migration 0041, [`Searched`]): a name typed by a province's leader
//! read 4.916 rows' worth of the words' index, and the rows, to find none (1,4–1,6 s cold on
//! SQLite, 0,3–0,43 s on PostgreSQL at 10.000.000), where the codes' index holds none of its
//! trigrams.

use sqlx::{AssertSqlSafe, Row};

use crate::StoreError;
use crate::sql::Backend;

/// Which of a dossier's texts a search matches, and so which index proposes its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Searched {
    /// Every searchable word (`search_text`: codes, the applicant's name and ID number), for an
    /// officer of the dossiers' own unit (`DossierQuery::personal`). Migration 0040.
    Words,
    /// The receipt and procedure codes alone, as `SqlStore::conditions` matches them for
    /// everyone else. Migration 0041.
    Codes,
}

impl Searched {
    /// Every index, for building them all.
    pub(crate) const ALL: [Searched; 2] = [Searched::Words, Searched::Codes];

    /// The index a search asks.
    pub(crate) fn by(q: &crate::DossierQuery) -> Searched {
        if q.personal { Searched::Words } else { Searched::Codes }
    }

    /// The indexed text as an expression over a row of `dossiers`: what PostgreSQL's index is
    /// built on (a condition uses the index only when it says it the same way), and the texts a
    /// needle is weighed among. Each of the codes' `LOWER`s holding the needle, the text does.
    pub(crate) fn text(self) -> &'static str {
        match self {
            Searched::Words => "search_text",
            Searched::Codes => "(LOWER(id) || ' ' || LOWER(procedure_code))",
        }
    }

    /// SQLite's FTS5 table of the texts (migrations 0040, 0041).
    fn fts_table(self) -> &'static str {
        match self {
            Searched::Words => "dossier_words",
            Searched::Codes => "dossier_codes",
        }
    }

    /// PostgreSQL's GIN of the texts (migrations 0040, 0041).
    fn pg_index(self) -> &'static str {
        match self {
            Searched::Words => "dossiers_search_trigrams",
            Searched::Codes => "dossiers_code_trigrams",
        }
    }

    /// Builds SQLite's index again from every row of `dossiers` (after an import into an empty
    /// ledger, which sets its triggers aside: `bulk::SqliteBulk`; or after a `VACUUM`).
    pub(crate) fn sqlite_rebuild(self) -> String {
        format!("INSERT INTO {t} ({t}) VALUES ('rebuild')", t = self.fts_table())
    }

    /// PostgreSQL's index, as migrations 0040 and 0041 create it (`bulk::PgBulk` drops it for an
    /// import into an empty ledger and creates it again at the end): on [`Self::text`].
    pub(crate) fn pg_create(self) -> String {
        format!("CREATE INDEX {} ON dossiers USING gin ({} public.gin_trgm_ops)", self.pg_index(), self.text())
    }

    pub(crate) fn pg_drop(self) -> String {
        format!("DROP INDEX IF EXISTS {}", self.pg_index())
    }
}

/// `needle` for `LIKE … ESCAPE '\'`: `%`, `_` and the escape itself are characters of the
/// text, never wildcards.
pub(crate) fn like_escaped(needle: &str) -> String {
    needle.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// How many texts a needle is weighed among.
const SAMPLE: i64 = 4096;

/// A trigram held by more than one text in this many of the sample is left out of the index's
/// question (the rows are checked against the whole needle anyway).
const COMMON: usize = 16;

/// What the index says of a needle that it narrows to at most the cap's rows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Candidates {
    /// SQLite: the rowids of `dossiers` whose text may hold the needle.
    Rows(Vec<i64>),
    /// PostgreSQL: the transaction is set to bitmap scans only, and the list asks these
    /// substrings of the needle (`LIKE` on the `searched` text) of its trigram index, which
    /// proposes the rows holding them all: once for a page and its tabs (`one_pass`), or, when
    /// they are too many to hold, in each count, going the scan's way when they are over the cap.
    Indexed { searched: Searched, runs: Vec<String> },
}

/// What the text index answered in a snapshot: for which needle, of which index, and its
/// answer (`SqlStore::text_candidates`).
pub(crate) type Asked = Option<(String, Searched, Option<Candidates>)>;

/// How a needle is asked of the index, as [`weigh`] decides from a sample of the texts.
#[derive(Debug, Clone, PartialEq)]
enum Question {
    /// Held by so many texts that the index would propose more rows than the cap: the scan,
    /// which finds a page of them at once.
    Scan,
    /// The needle's runs without its common trigrams (each text holding the needle holds every
    /// run): they read the short lists of the index and propose about as few rows.
    Runs(Vec<String>),
    /// The whole needle: its runs would propose many more rows than hold it.
    Whole,
}

/// The candidates for `needle` (normalised as the texts are) among the `searched` texts in the
/// window `from`–`to`, or `None` when the index does not narrow the search: under three characters, rows not yet in
/// the index, or over `cap` rows. On PostgreSQL, `Some` leaves `c`'s transaction with bitmap
/// scans only (`SET LOCAL`, which ends with it; [`set_bitmap_only`]).
pub(crate) async fn candidates(
    c: &mut sqlx::AnyConnection,
    backend: Backend,
    needle: &str,
    searched: Searched,
    window: (&str, &str),
    cap: i64,
) -> Result<Option<Candidates>, StoreError> {
    if needle.chars().count() < 3 {
        return Ok(None);
    }
    // A row whose words are not yet written (migration 0018's, filled when the store opens) is
    // not in the words' index: until none is left, the scan. Its partial index makes this free.
    // Its codes are in theirs.
    if searched == Searched::Words {
        let unfilled = sqlx::query("SELECT 1 AS one FROM dossiers WHERE search_text IS NULL LIMIT 1").fetch_optional(&mut *c).await?;
        if unfilled.is_some() {
            return Ok(None);
        }
    }
    let (texts, rows) = sample(c, backend, searched, window).await?;
    let question = weigh(needle, &texts, rows, cap);
    match (backend, question) {
        (_, Question::Scan) => Ok(None),
        (Backend::Sqlite, question) => {
            // The runs may still propose too many rows (the sample is a sample): then the whole
            // needle, a phrase, which proposes exactly the rows that hold it.
            let whole = phrase(needle);
            let questions = match question {
                Question::Runs(runs) => vec![runs.iter().map(|r| phrase(r)).collect::<Vec<_>>().join(" AND "), whole],
                _ => vec![whole],
            };
            for question in questions {
                let table = searched.fts_table();
                let rows: Vec<i64> =
                    sqlx::query(AssertSqlSafe(format!("SELECT rowid AS k FROM {table} WHERE {table} MATCH $1 LIMIT {}", cap + 1)))
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
        (Backend::Postgres, question) => {
            // Bitmap scans only: the planner, not knowing how few rows hold the needle, would
            // rather walk the receipt index or the table in order and test every row. Not asked
            // apart: the list's own statement is the question.
            set_bitmap_only(c, true).await?;
            let runs = match question {
                Question::Runs(runs) => words_inside(&runs),
                _ => Vec::new(),
            };
            let runs = if runs.is_empty() { vec![needle.to_string()] } else { runs };
            Ok(Some(Candidates::Indexed { searched, runs }))
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

/// The texts a needle is weighed among, about [`SAMPLE`], and about how many rows the ledger
/// holds. SQLite: the newest rows, by rowid, a run of pages at the table's end that a cold file
/// reads in one sweep; only the digits of the newest receipt numbers look more common there
/// than they are. (16 runs spread over the table found `000` common, the year's first codes
/// holding it, and asked `000123` as `00123`: 640 rows proposed for 41 matches, a first search
/// 0,1 s slower at 10.000.000, ARCHITECTURE.md's runs I and J.) PostgreSQL: its own sample
/// of the window's pages (`TABLESAMPLE SYSTEM`, the same pages every time), the rows as the
/// planner counts them: the first rows of a year's partition alone share their codes' leading
/// digits, and `000123` looked common among them, which sent it to the scan.
async fn sample(
    c: &mut sqlx::AnyConnection,
    backend: Backend,
    searched: Searched,
    window: (&str, &str),
) -> Result<(Vec<String>, i64), StoreError> {
    let text = searched.text();
    let (texts, rows) = match backend {
        Backend::Sqlite => {
            let newest: Option<i64> = sqlx::query("SELECT MAX(rowid) AS m FROM dossiers").fetch_one(&mut *c).await?.try_get("m")?;
            let rows = newest.unwrap_or(0);
            let texts = sqlx::query(AssertSqlSafe(format!("SELECT {text} AS t FROM dossiers WHERE rowid > $1")))
                .bind(rows - SAMPLE)
                .fetch_all(&mut *c)
                .await?;
            (texts, rows)
        }
        Backend::Postgres => {
            let rows: i64 = sqlx::query(
                "SELECT CAST(COALESCE(SUM(GREATEST(c.reltuples, 0)), 0) AS BIGINT) AS n FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = CAST('dossiers' AS regclass)",
            )
            .fetch_one(&mut *c)
            .await?
            .try_get("n")?;
            // The share of pages that holds about SAMPLE rows; all of a small ledger's.
            let percent = if rows <= SAMPLE { 100.0 } else { SAMPLE as f64 * 100.0 / rows as f64 };
            let texts = sqlx::query(AssertSqlSafe(format!(
                "SELECT {text} AS t FROM dossiers TABLESAMPLE SYSTEM ({percent:.6}) REPEATABLE (17) WHERE received_at >= $1 AND received_at <= $2 LIMIT {SAMPLE}"
            )))
            .bind(window.0)
            .bind(window.1)
            .fetch_all(&mut *c)
            .await?;
            (texts, rows)
        }
    };
    let texts = texts.iter().map(|r| r.try_get::<Option<String>, _>("t").map(Option::unwrap_or_default)).collect::<Result<_, _>>()?;
    Ok((texts, rows))
}

/// How to ask `needle` of the index, from `texts` (a sample of a ledger of about `rows` rows):
/// the scan when the needle's share of the sample, over the ledger, is more than twice the
/// `cap` (a sample's count is rough); its runs without the trigrams held by more than one text in
/// [`COMMON`] when they are held by at most one text more than the needle itself; else the
/// whole needle.
fn weigh(needle: &str, texts: &[String], rows: i64, cap: i64) -> Question {
    let holding = |part: &str| texts.iter().filter(|t| t.contains(part)).count();
    let whole = holding(needle);
    if !texts.is_empty() && whole as i64 * rows.max(texts.len() as i64) > 2 * cap * texts.len() as i64 {
        return Question::Scan;
    }
    let common: Vec<String> = trigrams(needle).into_iter().filter(|g| holding(g) * COMMON > texts.len()).collect();
    let runs = runs(needle, &common);
    if runs.is_empty() || runs == [needle] {
        return Question::Whole;
    }
    let by_runs = texts.iter().filter(|t| runs.iter().all(|r| t.contains(r.as_str()))).count();
    if by_runs <= whole + 1 { Question::Runs(runs) } else { Question::Whole }
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

/// The needle's longest runs whose every trigram is not `common` (a run of three characters or
/// more holds at least one trigram): every text holding the needle holds each run. None when
/// every trigram is common.
fn runs(needle: &str, common: &[String]) -> Vec<String> {
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
    runs
}

/// PostgreSQL: the runs without the characters at their ends that are not letters or digits,
/// those of three characters or more left. `pg_trgm` cuts a `LIKE` pattern into words, and a
/// word next to a separator gets the blank-padded trigrams that begin or end most words (`-000123`
/// read 4.898 pages of the index for its ` 00`, `000123` 324: `EXPLAIN ANALYZE` at 10.000.000);
/// next to the pattern's `%`, none.
fn words_inside(runs: &[String]) -> Vec<String> {
    runs.iter().map(|r| r.trim_matches(|ch: char| !ch.is_alphanumeric()).to_string()).filter(|r| r.chars().count() >= 3).collect()
}

/// `text` as an FTS5 string (a phrase of its trigrams): in double quotes, each one doubled.
fn phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_needle_is_cut_into_runs_without_its_common_trigrams() {
        let common = |gs: &[&str]| gs.iter().map(|g| g.to_string()).collect::<Vec<_>>();
        // Nothing common: the whole needle.
        assert_eq!(runs("2024-000123", &[]), ["2024-000123"]);
        // The year and the code's zeros are in every text: the rest is asked.
        assert_eq!(runs("2024-000123", &common(&["202", "024", "24-", "4-0", "-00", "000"])), ["00123"]);
        // A common trigram in the middle splits the needle into two runs.
        assert_eq!(runs("nguyen van an", &common(&["n v", " va", "van", "an "])), ["nguyen ", "n an"]);
        // Every trigram common: none.
        assert!(runs("van", &common(&["van"])).is_empty());
    }

    /// A sample of a year's 10.000.000 texts, one in 2.441: codes of the year, two names each
    /// in many texts, a word in one in 50, a rare one.
    fn texts() -> Vec<String> {
        (0..4096)
            .map(|i| {
                let name = if i % 3 == 0 { "nguyen van an" } else { "tran thi binh" };
                let some = if i % 50 == 0 { " le hoa" } else { "" };
                let rare = if i == 7 { " quach tinh" } else { "" };
                format!("99{}-2024-{:07} {name}{some}{rare}", i % 7, i * 2441)
            })
            .collect()
    }

    #[test]
    fn the_sample_decides_how_a_needle_is_asked() {
        let t = texts();
        let runs = |rs: &[&str]| Question::Runs(rs.iter().map(|r| r.to_string()).collect());
        // A code: its common trigrams (the year's, the unit's) left out.
        assert_eq!(weigh("2024-000123", &t, 10_000_000, 10_000), runs(&["-000123"]));
        // A rare name: "inh" is common (every "binh"), the rest is asked.
        assert_eq!(weigh("quach tinh", &t, 10_000_000, 10_000), runs(&["quach tin"]));
        // Held by a third of the ledger: far over the cap, the scan.
        assert_eq!(weigh("nguyen van an", &t, 10_000_000, 10_000), Question::Scan);
        // The same share of a small ledger is under the cap; every trigram common: the whole.
        assert_eq!(weigh("nguyen van an", &t, 4096, 10_000), Question::Whole);
        // The run "-00" is held by 41 texts, the needle by 6: the whole needle.
        assert_eq!(weigh("991-2024-00", &t, 10_000_000, 10_000), Question::Whole);
        // No sample (an empty ledger or window): the index, which answers at once.
        assert_eq!(weigh("2024-000123", &[], 0, 10_000), Question::Whole);
    }

    #[test]
    fn postgresql_asks_the_runs_without_separators_at_their_ends() {
        let runs = |rs: &[&str]| rs.iter().map(|r| r.to_string()).collect::<Vec<_>>();
        assert_eq!(words_inside(&runs(&["-000123", "nguyen ", " ab ", "4-00"])), runs(&["000123", "nguyen", "4-00"]));
        assert!(words_inside(&runs(&["-00", "ab-"])).is_empty());
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

    /// Counts beside `q`'s page, as the list's work lists are: over every year, by state, by
    /// appointment, of no procedure.
    fn tabs(q: &DossierQuery, at: chrono::NaiveDateTime) -> Vec<DossierQuery> {
        use cchc_dossiers::lifecycle::Status;
        let every_year = DossierQuery {
            from: NaiveDate::from_ymd_opt(2000, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap(),
            to: NaiveDate::from_ymd_opt(2100, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap(),
            limit: 0,
            ..q.clone()
        };
        let mut tabs: Vec<DossierQuery> =
            Status::ALL.iter().map(|st| DossierQuery { states: vec![st.slug().into()], ..every_year.clone() }).collect();
        tabs.push(DossierQuery { due_before: Some(at), ..every_year.clone() });
        tabs.push(DossierQuery { due_from: Some(at), channel: Some("truc-tuyen".into()), ..every_year.clone() });
        tabs.push(DossierQuery { procedures: Some(Vec::new()), ..every_year });
        tabs
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
                // A page with its tabs' counts (one pass over the rows the index proposes, or
                // query by query when they are too many to hold) as the scan finds each.
                let tabs = tabs(&q, spring);
                for cap in [crate::COUNT_CAP, 3] {
                    s.text_index_cap = cap;
                    let ((n, page), counts) = s.search_and_count(&q, &tabs).await.unwrap();
                    assert_eq!((n, page.into_iter().map(|d| d.id).collect::<Vec<_>>()), answers[2], "{typed:?} {units:?} {cap}");
                    s.text_index_cap = 0;
                    for (tab, n) in tabs.iter().zip(counts) {
                        assert_eq!(n, s.search_dossiers(tab).await.unwrap().0, "{typed:?} {units:?} {cap} {tab:?}");
                    }
                }
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
        let window = (crate::sql::ts(from), crate::sql::ts(to));
        let window = (window.0.as_str(), window.1.as_str());
        for searched in Searched::ALL {
            let found = candidates(&mut tx, s.backend, &code, searched, window, 5).await.unwrap();
            match s.backend {
                Backend::Sqlite => {
                    assert!(matches!(&found, Some(Candidates::Rows(rows)) if (1..=5).contains(&rows.len())), "{searched:?} {found:?}")
                }
                Backend::Postgres => assert!(
                    matches!(&found, Some(Candidates::Indexed { searched: of, runs }) if *of == searched && !runs.is_empty()),
                    "{searched:?} {found:?}"
                ),
            }
        }
        // A name in many texts: the words' index proposes its rows, the codes' none (SQLite), or
        // is asked by the codes' own expression (PostgreSQL).
        let name = needle(&ds.iter().find_map(|d| d.applicant.as_ref()).unwrap().name);
        let by_codes = candidates(&mut tx, s.backend, &name, Searched::Codes, window, 1000).await.unwrap();
        match s.backend {
            Backend::Sqlite => {
                assert_eq!(by_codes, Some(Candidates::Rows(Vec::new())));
                let by_words = candidates(&mut tx, s.backend, &name, Searched::Words, window, 1000).await.unwrap();
                assert!(matches!(&by_words, Some(Candidates::Rows(rows)) if !rows.is_empty()), "{by_words:?}");
            }
            Backend::Postgres => assert!(matches!(&by_codes, Some(Candidates::Indexed { searched: Searched::Codes, .. })), "{by_codes:?}"),
        }
        // On PostgreSQL each GIN answers its count (rebuilt after the import into the empty
        // ledger), asked by its own expression.
        if s.backend == Backend::Postgres {
            for (searched, asked) in [(Searched::Words, "(search_text ~~"), (Searched::Codes, "lower(procedure_code)) ~~")] {
                let text = searched.text();
                let plan: Vec<String> =
                    sqlx::query(AssertSqlSafe(format!("EXPLAIN SELECT COUNT(*) FROM dossiers WHERE {text} LIKE '%{like}%' ESCAPE '\\'")))
                        .fetch_all(&mut *tx)
                        .await
                        .unwrap()
                        .iter()
                        .map(|r| r.try_get::<String, _>(0).unwrap())
                        .collect();
                // An index's condition is the text's expression: the index is on it.
                assert!(plan.iter().any(|l| l.contains("Bitmap Index Scan")), "{searched:?} {plan:#?}");
                assert!(plan.iter().any(|l| l.contains("Index Cond") && l.contains(asked)), "{searched:?} {plan:#?}");
            }
        }
        // Too common (held by half the sample, over the cap), or too short: the scan.
        for searched in Searched::ALL {
            assert_eq!(candidates(&mut tx, s.backend, "x1-2026", searched, window, 5).await.unwrap(), None);
            assert_eq!(candidates(&mut tx, s.backend, "x1", searched, window, 5).await.unwrap(), None);
        }
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
        // Its procedure changed: the codes' index follows, asked as the scan finds it.
        let other = procedures.iter().find(|o| o.code != late.procedure && ds.iter().any(|d| d.procedure == o.code)).unwrap();
        let was = std::mem::replace(&mut late.procedure, other.code.clone());
        let facts = Facts::derive(&late, other, &cchc_calendar::WorkCalendar::vietnam()).unwrap();
        s.put_dossiers(std::slice::from_ref(&late), std::slice::from_ref(&facts)).await.unwrap();
        for code in [was, late.procedure.clone()] {
            let q = DossierQuery { text: code.clone(), ..q.clone() };
            let mut found = Vec::new();
            for cap in [crate::COUNT_CAP, 0] {
                s.text_index_cap = cap;
                let (n, page) = s.search_dossiers(&q).await.unwrap();
                found.push((n, page.into_iter().map(|d| d.id).collect::<Vec<_>>()));
            }
            assert_eq!(found[0], found[1], "{code}");
        }
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
