//! Storage of cchc behind one trait, [`Store`].
//!
//! Two backends: SQLite (the default; a file or in memory) and PostgreSQL. Each has its own
//! migrations (`migrations/sqlite`, `migrations/postgres`); the SQL they run is the common subset
//! both understand, executed through sqlx's `Any` driver, so there is one implementation
//! ([`sql::SqlStore`]) and the contract tests run the same suite against both.
//!
//! Every write is one transaction (on SQLite begun with `BEGIN IMMEDIATE`, so concurrent writers
//! wait for the lock instead of failing). Reports and the dossiers written at the counter use
//! optimistic locking: a save names the version it was based on, and a save based on an
//! outdated version fails with [`StoreError::Conflict`] without writing anything (see
//! [`counter`] for the dossiers).

mod archive_0006;
mod backfill_0018;
mod backfill_0025;
mod bulk;
#[cfg(feature = "contract")]
pub mod contract;
pub mod counter;
mod fact_parts;
pub mod feedback;
pub mod generations;
pub mod inspections;
mod model;
mod one_pass;
mod partitions;
pub mod records;
mod rederive;
mod rows;
pub mod sql;
pub mod survey;
mod tallies;
#[cfg(test)]
mod test_ledger;
mod text_index;

use async_trait::async_trait;
use cchc_calendar::YearSchedule;
use cchc_catalogue::CatalogueFile;
use cchc_dossiers::facts::Facts;
use cchc_dossiers::{Dossier, Procedure};
use cchc_periods::Period;
use cchc_report::UnitReport;
use cchc_report::workflow::{Action, WorkflowError};
use cchc_units::{LineageEdge, Unit, UnitTree};

pub use feedback::FeedbackStore;
pub use generations::{GenerationStore, Generations};
pub use inspections::InspectionStore;
pub use model::*;
pub use records::{DocumentQuery, NewTaskFile, PlanRecord, RecordStore, TaskFile, Versioned};
pub use rederive::{Derive, Rederivation};
pub use survey::SurveyStore;

/// Why a store operation failed. Messages are Vietnamese: they reach users.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("Báo cáo đã được người khác sửa (phiên bản hiện tại {found}, bạn đang sửa phiên bản {expected}); hãy tải lại trước khi lưu")]
    Conflict { expected: i64, found: i64 },
    #[error("Báo cáo đã tồn tại (phiên bản {0}); hãy tải lại trước khi lưu")]
    AlreadyExists(i64),
    #[error("Không tìm thấy {0}")]
    NotFound(String),
    #[error(transparent)]
    Workflow(#[from] WorkflowError),
    #[error("Dữ liệu không hợp lệ: {0}")]
    Invalid(String),
    #[error("Lỗi cơ sở dữ liệu: {0}")]
    Database(#[from] sqlx::Error),
    #[error("Lỗi chuyển đổi cơ sở dữ liệu: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
}

/// Everything cchc keeps: the capabilities a backend implements, each its own trait so a use
/// case, a test double or a further backend names what it needs. Every backend that implements
/// all of them is a `Store`; the contract suite (`tests/contract.rs`) checks one.
pub trait Store:
    UnitStore
    + CatalogueStore
    + ReportStore
    + LedgerStore
    + AccountStore
    + AdminStore
    + RecordStore
    + InspectionStore
    + FeedbackStore
    + SurveyStore
    + GenerationStore
{
}

impl<
    T: UnitStore
        + CatalogueStore
        + ReportStore
        + LedgerStore
        + AccountStore
        + AdminStore
        + RecordStore
        + InspectionStore
        + FeedbackStore
        + SurveyStore
        + GenerationStore
        + ?Sized,
> Store for T
{
}

/// Units (đơn vị) and their lineage.
#[async_trait]
pub trait UnitStore: Send + Sync {
    /// Inserts or replaces units and lineage edges, all or nothing.
    async fn upsert_units(&self, units: &[Unit], lineage: &[LineageEdge]) -> Result<(), StoreError>;

    /// All units and their lineage, checked as a tree.
    async fn unit_tree(&self) -> Result<UnitTree, StoreError>;
}

/// Catalogue versions: added, never changed (reports name them).
#[async_trait]
pub trait CatalogueStore: Send + Sync {
    async fn catalogue_files(&self) -> Result<Vec<CatalogueFile>, StoreError>;

    /// Adds a catalogue version written by an administrator, audited in the same transaction. A
    /// stored version never changes, because reports name it: another text under a stored
    /// `id@version` is refused ([`StoreError::Invalid`]); the same text again changes nothing.
    async fn add_catalogue(&self, file: &CatalogueFile, by: &str) -> Result<(), StoreError>;
}

/// Unit reports, their workflow history and the units' document settings.
#[async_trait]
pub trait ReportStore: Send + Sync {
    /// Saves a report (replacing all its entries). `expected_version`: `None` when creating it,
    /// else the version the editor started from. Writes one audit row per changed figure.
    async fn save_report(&self, report: &UnitReport, expected_version: Option<i64>, by: &str) -> Result<ReportRecord, StoreError>;

    async fn report(&self, unit: &str, period: Period) -> Result<Option<ReportRecord>, StoreError>;

    async fn reports_in_period(&self, period: Period) -> Result<Vec<ReportRecord>, StoreError>;

    async fn reports_of_unit(&self, unit: &str) -> Result<Vec<ReportRecord>, StoreError>;

    /// Applies a workflow action (the domain's `Status::apply` decides), with optimistic locking,
    /// recorded as done now.
    async fn transition(
        &self,
        unit: &str,
        period: Period,
        action: Action,
        reason: Option<&str>,
        by: &str,
        expected_version: i64,
    ) -> Result<ReportRecord, StoreError> {
        self.transition_at(unit, period, action, reason, by, expected_version, now()).await
    }

    /// The same, recorded as done at `at`: workflow steps taken elsewhere and brought in later,
    /// and the demo's history.
    #[allow(clippy::too_many_arguments)]
    async fn transition_at(
        &self,
        unit: &str,
        period: Period,
        action: Action,
        reason: Option<&str>,
        by: &str,
        expected_version: i64,
        at: chrono::NaiveDateTime,
    ) -> Result<ReportRecord, StoreError>;

    /// A workflow step (as [`Self::transition`]) with notes on figures written in the same
    /// transaction: a return that points at the figures to look at again. Nothing is written
    /// unless both are.
    #[allow(clippy::too_many_arguments)]
    async fn transition_with_notes(
        &self,
        unit: &str,
        period: Period,
        action: Action,
        reason: Option<&str>,
        notes: &[FigureNote],
        by: &str,
        expected_version: i64,
    ) -> Result<ReportRecord, StoreError>;

    async fn history(&self, unit: &str, period: Period) -> Result<Vec<StatusChange>, StoreError>;

    /// Adds a note on a figure of a stored report (a comment of its thread).
    async fn add_figure_note(&self, note: &FigureNote) -> Result<(), StoreError>;

    /// The notes on the figures of a report, oldest first.
    async fn figure_notes(&self, unit: &str, period: Period) -> Result<Vec<FigureNote>, StoreError>;

    /// Stores a report already issued, as printed (its mistakes included), with an audit row;
    /// [`StoreError::AlreadyExists`] when one is stored for its unit and period (an issued
    /// document does not change: its correction is the unit's report of the period).
    async fn put_issued_report(&self, report: &UnitReport, by: &str) -> Result<(), StoreError>;

    /// The report issued for `unit` and `period`, when one is stored.
    async fn issued_report(&self, unit: &str, period: Period) -> Result<Option<IssuedReport>, StoreError>;

    /// Inserts or replaces a unit's document settings.
    async fn put_document_settings(&self, settings: &DocumentSettings) -> Result<(), StoreError>;

    /// A unit's document settings, when set.
    async fn document_settings(&self, unit: &str) -> Result<Option<DocumentSettings>, StoreError>;
}

/// The one-stop dossier ledger: procedures, dossiers, their statistics facts, the counter.
#[async_trait]
pub trait LedgerStore: Send + Sync {
    /// Inserts or replaces procedures (TTHC), all or nothing.
    async fn put_procedures(&self, procedures: &[Procedure]) -> Result<(), StoreError>;

    /// Inserts or replaces procedures with the statistics facts their new processing times move,
    /// derived again ([`Rederivation`], run while every other writer of dossiers waits: no
    /// counter write between the read and the write is lost), and `audit`, all in ONE
    /// transaction: a reader sees the old times with the old facts or the new with the new.
    /// Returns how many facts were replaced.
    async fn change_procedures(
        &self,
        procedures: &[Procedure],
        audit: &AuditEntry,
        rederive: Option<&Rederivation<'_>>,
    ) -> Result<usize, StoreError>;

    async fn procedures(&self) -> Result<Vec<Procedure>, StoreError>;

    /// Inserts or replaces dossiers (with all their events) and their statistics facts
    /// (`facts[i]` derived from `dossiers[i]` by `cchc_dossiers::facts::Facts::derive`), all or
    /// nothing. When an id occurs twice, the last one wins; a replaced row's version is bumped.
    /// For imports and the generator: the counter uses [`Store::receive_dossier`] and
    /// [`Store::update_dossier`], which never replace blindly.
    async fn put_dossiers(&self, dossiers: &[Dossier], facts: &[Facts]) -> Result<usize, StoreError>;

    /// Stores a stream of dossier batches in ONE transaction, each batch written as it arrives
    /// (so the next one can be read and checked meanwhile, and memory stays bounded), with the
    /// same semantics as [`Store::put_dossiers`] over their concatenation (the last occurrence of
    /// an id wins). Commits when [`ImportBatch::Commit`] arrives and returns how many dossiers
    /// were stored; if the sender is dropped before (a bad row found later in the file), rolls
    /// everything back and returns `None`.
    async fn import_dossiers(&self, batches: tokio::sync::mpsc::Receiver<ImportBatch>) -> Result<Option<usize>, StoreError>;

    /// Replaces the statistics facts of stored dossiers, their events unchanged (what a change of
    /// the calendar or of a procedure's processing time needs), all or nothing; refuses facts of
    /// a dossier its unit does not have.
    async fn replace_facts(&self, facts: &[Facts]) -> Result<usize, StoreError>;

    /// The statistics facts of the given receiving units, all of them: see
    /// [`LedgerStore::dossier_facts_window`].
    async fn dossier_facts(&self, units: &[String]) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        self.dossier_facts_window(units, i64::MIN, i64::MAX).await
    }

    /// The statistics facts of the given receiving units that a window from `start` to `end`
    /// (seconds, `cchc_dossiers::facts::window_secs`) can count, as encoded blobs
    /// (`cchc_dossiers::facts::encode_unit`'s form), several per unit, each dossier in one of
    /// them: the unit's parts that window must read (by month of receipt,
    /// `cchc_dossiers::facts::part_matters`, migration 0028) with the facts rows of the dossiers
    /// written at the counter laid over them (`cchc_dossiers::facts::overlay_unit`), and the
    /// counter's rows of parts not read that the window counts; read in one snapshot. What it
    /// reads follows the window's dossiers, not the stored history.
    async fn dossier_facts_window(&self, units: &[String], start: i64, end: i64) -> Result<Vec<(String, Vec<u8>)>, StoreError>;

    /// What the statistics of several windows (1 to 16; `(start, end)` in seconds, as
    /// [`LedgerStore::dossier_facts_window`]'s) read of the given units, in one snapshot: an ended
    /// part that every window holds whole or counts none of (`cchc_dossiers::tally::fit`), and of
    /// whose month the counter wrote no row, as its tally ([`FactsPiece::Tally`], migration
    /// 0032); the rest as `dossier_facts_window` reads it ([`FactsPiece::Records`]), as are all
    /// parts of the units in `records_only` (whose records something lays over, the survey's
    /// ratings). Such a read costs a few figures per procedure and month for the parts the
    /// windows hold whole instead of a record per dossier.
    async fn dossier_pieces(
        &self,
        units: &[String],
        windows: &[(i64, i64)],
        records_only: &[String],
    ) -> Result<Vec<(String, FactsPiece)>, StoreError>;

    /// The dossiers received by the given units up to `received_until` (inclusive).
    async fn dossiers(&self, units: &[String], received_until: chrono::NaiveDateTime) -> Result<Vec<Dossier>, StoreError>;

    /// A page of the dossiers of `units` in a window, newest first, with a search on the receipt
    /// code or the procedure code, and how many match in all, counted up to [`COUNT_CAP`] (a
    /// count above it means "more than [`COUNT_CAP`]"). A unit's dossiers are those it
    /// received and those transferred to it (chuyển liên thông: it handles them now,
    /// [`Dossier::handling_unit`]); a dossier received by one unit and transferred to another is
    /// on both units' lists and work lists, on no third unit's.
    async fn search_dossiers(&self, query: &DossierQuery) -> Result<(i64, Vec<Dossier>), StoreError>;

    /// [`LedgerStore::search_dossiers`] of `query`, and how many dossiers each of `counted`
    /// finds (the work lists' tabs beside a page), as of one moment: a text searched in all of
    /// them is asked of the text index once.
    async fn search_and_count(&self, query: &DossierQuery, counted: &[DossierQuery])
    -> Result<((i64, Vec<Dossier>), Vec<i64>), StoreError>;

    /// One dossier by its receipt code (mã hồ sơ).
    async fn dossier(&self, id: &str) -> Result<Option<Dossier>, StoreError>;

    /// One dossier with its version: bumped by every write of it at the counter
    /// ([`Store::update_dossier`]) or by an import that replaces it as a row;
    /// [`counter::ARCHIVED_VERSION`] for an imported dossier not written since.
    async fn dossier_with_version(&self, id: &str) -> Result<Option<(Dossier, i64)>, StoreError>;

    /// Receives a new dossier at the counter: its receipt code is `{prefix}-{n:04}` with `n` the
    /// next number of the counter of `prefix` (the unit and day: `{unit}-{yymmdd}`), advanced in
    /// the transaction that inserts it, so concurrent receipts never share a code (a code already
    /// stored, imported, is skipped). `dossier.id` and `facts.id` are ignored (the facts are
    /// otherwise `Facts::derive` of the dossier). Returns the dossier as stored, at version 1;
    /// [`StoreError::Invalid`] when the day's numbers are used up. Like the two below, writes an
    /// audit row by `by` (the code and the version) in the same transaction.
    async fn receive_dossier(&self, prefix: &str, dossier: &Dossier, facts: &Facts, by: &str) -> Result<Dossier, StoreError>;

    /// Inserts one dossier with its facts; never replaces: an id already stored (as a row or
    /// archived) is refused with [`StoreError::AlreadyExists`] and nothing is written. Returns its
    /// version, 1.
    async fn insert_dossier(&self, dossier: &Dossier, facts: &Facts, by: &str) -> Result<i64, StoreError>;

    /// Replaces a stored dossier's events (and its facts) if its version is still
    /// `expected_version` (a compare-and-set, safe under concurrent writers), and returns the new
    /// version; [`StoreError::Conflict`] when somebody wrote it since (nothing written),
    /// [`StoreError::NotFound`] when it is not stored, [`StoreError::Invalid`] when it names
    /// another unit than the stored one. The cost does not depend on how many dossiers the unit
    /// has: the facts are written as the dossier's own delta row, not into the unit's blob.
    async fn update_dossier(&self, dossier: &Dossier, facts: &Facts, expected_version: i64, by: &str) -> Result<i64, StoreError>;
}

/// Accounts and login sessions.
#[async_trait]
pub trait AccountStore: Send + Sync {
    async fn upsert_user(&self, user: &User) -> Result<(), StoreError>;

    async fn user(&self, username: &str) -> Result<Option<User>, StoreError>;

    async fn users(&self) -> Result<Vec<User>, StoreError>;

    /// Stores a new login session; `false` (nothing written) when the id is taken. `data` is
    /// opaque to the store, `expires_at` in Unix seconds.
    async fn create_session(&self, id: &str, data: &str, expires_at: i64) -> Result<bool, StoreError>;

    /// Inserts or replaces a login session, and removes the expired ones.
    async fn put_session(&self, id: &str, data: &str, expires_at: i64) -> Result<(), StoreError>;

    /// A login session's data, unless it expired before `now` (Unix seconds).
    async fn session(&self, id: &str, now: i64) -> Result<Option<String>, StoreError>;

    async fn delete_session(&self, id: &str) -> Result<(), StoreError>;
}

/// What administrators change and the audit log: settings, the yearly schedules of days off.
#[async_trait]
pub trait AdminStore: Send + Sync {
    async fn append_audit(&self, entry: &AuditEntry) -> Result<(), StoreError>;

    async fn audit(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError>;

    /// A filtered page of the audit log (unit set, user, action, day range), newest first, with
    /// the number of matching entries; paged in the database, not in memory.
    async fn audit_page(&self, query: &AuditQuery) -> Result<AuditPage, StoreError>;

    /// The actions that occur in the audit log, for a filter's list.
    async fn audit_actions(&self) -> Result<Vec<String>, StoreError>;

    /// The yearly schedules of days off that administrators recorded, by year.
    async fn calendar_years(&self) -> Result<Vec<YearSchedule>, StoreError>;

    /// Inserts or replaces one year's schedule, with an audit row by `by` (old and new schedule
    /// as TOML) in the same transaction.
    async fn put_calendar_year(&self, year: &YearSchedule, by: &str) -> Result<(), StoreError> {
        self.put_calendar_years(std::slice::from_ref(year), by, None).await.map(|_| ())
    }

    /// Inserts or replaces years' schedules (each audited as by [`AdminStore::put_calendar_year`])
    /// and replaces the statistics facts the new calendar moves, derived again
    /// ([`Rederivation`], run while every other writer of dossiers waits), all in ONE
    /// transaction: a reader sees the old calendar with the old facts or the new with the new,
    /// never a mix, and no counter write is lost. Returns how many facts replaced.
    async fn put_calendar_years(&self, years: &[YearSchedule], by: &str, rederive: Option<&Rederivation<'_>>) -> Result<usize, StoreError>;

    /// A setting of the installation (keys in [`setting`]), when set.
    async fn setting(&self, key: &str) -> Result<Option<String>, StoreError>;

    /// Sets a setting, with an audit row by `by` (old and new value) in the same transaction.
    async fn put_setting(&self, key: &str, value: &str, by: &str) -> Result<(), StoreError>;

    /// Sets several settings (key, value) in one transaction, all or none, each with its audit
    /// row: an import of the scores of many units.
    async fn put_settings(&self, settings: &[(String, String)], by: &str) -> Result<(), StoreError>;
}

/// Every capability trait, for code that calls a concrete backend (`SqlStore`) rather than a
/// `dyn Store`: `use cchc_storage::prelude::*;`.
pub mod prelude {
    pub use crate::{
        AccountStore, AdminStore, CatalogueStore, FeedbackStore, GenerationStore, InspectionStore, LedgerStore, RecordStore, ReportStore,
        Store, SurveyStore, UnitStore,
    };
}

/// Keys of [`AdminStore::setting`].
pub mod setting {
    /// The reference (`id@version`) of the catalogue new reports follow; the shipped default
    /// when unset.
    pub const CATALOGUE_IN_FORCE: &str = "catalogue.in-force";

    /// How many working hours before its appointment an open dossier is on the list "sắp đến
    /// hạn" (a whole number; 8 when unset).
    pub const DUE_SOON_HOURS: &str = "worklist.due-soon-hours";

    /// The prefix of the Decision 766 entries of a unit and period (`decision766:UNIT:PERIOD`,
    /// [`decision_766`]): the points entered and the national portal's total, as JSON.
    pub const DECISION_766: &str = "decision766:";

    /// The key of the Decision 766 entries of `unit` for `period`.
    pub fn decision_766(unit: &str, period: &str) -> String {
        format!("{DECISION_766}{unit}:{period}")
    }

    /// What the audit log calls a setting.
    pub fn name_vi(key: &str) -> std::borrow::Cow<'_, str> {
        match key {
            CATALOGUE_IN_FORCE => "bộ chỉ tiêu đang dùng".into(),
            DUE_SOON_HOURS => "số giờ làm việc của danh sách sắp đến hạn".into(),
            other => match other.strip_prefix(DECISION_766).and_then(|rest| rest.rsplit_once(':')) {
                Some((unit, period)) => format!("{DECISION_766_ITEM} {unit}, kỳ {period}").into(),
                None => other.into(),
            },
        }
    }

    /// How [`name_vi`] begins for a Decision 766 entry.
    const DECISION_766_ITEM: &str = "điểm theo Quyết định 766 của đơn vị";

    /// Whether an audit entry's item names a Decision 766 entry (whose values are its JSON,
    /// which the audit log describes in Vietnamese).
    pub fn is_decision_766_item(item: &str) -> bool {
        item.starts_with(DECISION_766_ITEM)
    }
}

/// How many dossiers a list counts at most ([`LedgerStore::search_dossiers`]): more are not
/// counted, and the list says "more than" (a province's year is millions of dossiers, and
/// counting them all took seconds per list and per work list).
pub const COUNT_CAP: i64 = 10_000;

/// A piece of a unit's statistics facts as [`LedgerStore::dossier_pieces`] reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactsPiece {
    /// Dossiers' records, a `cchc_dossiers::facts::encode_unit` blob.
    Records(Vec<u8>),
    /// The tally of the ended part of `month` (`yyyymm`), `cchc_dossiers::tally::Tally`'s stored
    /// form: every window of the read holds that part whole or counts none of it.
    Tally { month: u32, tally: Vec<u8> },
}

/// One dossier as [`Store::import_dossiers`] takes it: its statistics facts (which carry its id,
/// unit and procedure), its receipt moment and its JSON text — `cchc_dossiers::Dossier` as serde
/// reads it back (an import keeps the line it read instead of serialising it again).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DossierRow {
    pub facts: Facts,
    pub received_at: chrono::NaiveDateTime,
    pub json: String,
    /// What the list's search reads: [`cchc_dossiers::search::dossier_text`] (column
    /// `search_text`, migration 0018).
    pub search: String,
    /// [`cchc_dossiers::lifecycle::Status::slug`] of its state (column `state`).
    pub state: &'static str,
    /// The appointment while open with the clock running ([`Facts::due_now`], column `due_at`).
    pub due_at: Option<chrono::NaiveDateTime>,
    /// The unit handling it now ([`Dossier::handling_unit`]: the unit of its last transfer, else
    /// the receiving unit; column `handling_unit`, migration 0025).
    pub handling: String,
}

impl DossierRow {
    /// The row of a dossier with its facts (`facts` derived from `dossier`).
    pub fn new(dossier: &Dossier, facts: Facts) -> Result<DossierRow, StoreError> {
        let json = serde_json::to_string(dossier).expect("domain values serialise");
        DossierRow::with_json(dossier, facts, json)
    }

    /// The row of a dossier whose JSON text is already at hand (an import keeps the line it read).
    pub fn with_json(dossier: &Dossier, facts: Facts, json: String) -> Result<DossierRow, StoreError> {
        let first =
            dossier.events.first().ok_or_else(|| StoreError::Invalid(format!("hồ sơ {} không có sự kiện tiếp nhận", dossier.id)))?;
        if dossier.id != facts.id || dossier.unit != facts.unit || dossier.procedure != facts.procedure {
            return Err(StoreError::Invalid(format!("bản tổng hợp không khớp hồ sơ {}", dossier.id)));
        }
        Ok(DossierRow {
            received_at: first.at,
            json,
            search: cchc_dossiers::search::dossier_text(dossier),
            state: cchc_dossiers::lifecycle::Status::of(dossier).slug(),
            due_at: facts.due_now().map(cchc_dossiers::facts::to_moment),
            handling: dossier.handling_unit().to_string(),
            facts,
        })
    }

    /// The channel's word in the column `channel` (the facts' receipt channel).
    pub fn channel(&self) -> &'static str {
        channel_slug(self.facts.channel)
    }
}

/// A channel's word in the `channel` column and a filter's address.
pub fn channel_slug(c: cchc_dossiers::Channel) -> &'static str {
    match c {
        cchc_dossiers::Channel::Direct => "truc-tiep",
        cchc_dossiers::Channel::Online => "truc-tuyen",
        cchc_dossiers::Channel::Postal => "bcci",
    }
}

/// What [`Store::import_dossiers`] receives, in order.
#[derive(Debug)]
pub enum ImportBatch {
    Rows(Vec<DossierRow>),
    /// Every batch was sent and valid: commit.
    Commit,
}

/// The current moment in Vietnam (UTC+7, no daylight saving), as every stored timestamp is
/// kept: a report sent at 01:00 on the day after its due date is late, whatever the server's
/// time zone.
pub fn now() -> chrono::NaiveDateTime {
    let vietnam = chrono::FixedOffset::east_opt(7 * 3600).expect("valid offset");
    chrono::Utc::now().with_timezone(&vietnam).naive_local()
}

/// Opens a store by URL: `sqlite://path.db` (created if missing), `sqlite::memory:`, or
/// `postgres://…`, and brings its schema up to date.
pub async fn open(url: &str) -> Result<std::sync::Arc<dyn Store>, StoreError> {
    Ok(std::sync::Arc::new(sql::SqlStore::open(url).await?))
}
