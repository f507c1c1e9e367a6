//! The one error type of the use cases, [`Error`], and what each shell does with it.
//!
//! Every use case returns `Result<T, cchc_app::Error>`. Its cases are what a user can do something
//! about (not found, forbidden, invalid with every problem, conflict, unavailable) plus
//! [`Error::Internal`], which carries only a reference: the cause is written to the log under that
//! reference, and the user reads a Vietnamese sentence asking them to quote it to the
//! administrator. No database, driver or library text is ever part of a message.
//!
//! The shells map the cases once each: pages (`cchc_web::error`), the JSON API (`{"error":
//! "conflict", "message": "…"}` with 404/403/422/409/503/500) and the CLI (exit status 1 with the
//! message, 2 for an internal error).

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

use cchc_storage::StoreError;

/// One thing wrong with the input: where (a row, cell, field, rule) and what, in Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// The place, as the user names it: `dòng 12`, `ô D12`, `trường "version"`, a rule's id;
    /// `None` for a problem of the input as a whole.
    pub place: Option<String>,
    pub message: String,
}

impl Problem {
    pub fn new(message: impl Into<String>) -> Problem {
        Problem { place: None, message: message.into() }
    }
    pub fn at(place: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem { place: Some(place.into()), message: message.into() }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.place {
            Some(place) => write!(f, "{place}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Why a use case did not do what it was asked. Every message is Vietnamese and safe to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// What was asked for does not exist; the text names it (`báo cáo của đơn vị 99101 kỳ 2024-H1`).
    NotFound(String),
    /// The acting user may not do this; the text says why.
    Forbidden(String),
    /// The input breaks a rule; every problem is listed, and nothing was written. `summary` is
    /// the sentence shown above the list.
    Invalid { summary: String, problems: Vec<Problem> },
    /// Somebody else changed it first, or it already exists: reload and try again. Nothing was
    /// written.
    Conflict(String),
    /// Something cchc needs is not there right now (a busy database, LibreOffice): try again
    /// later. Nothing was written.
    Unavailable(String),
    /// A fault of cchc itself. The cause is in the log under `reference`; users see only that.
    Internal { reference: String },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An invalid input with one problem.
    pub fn invalid(message: impl Into<String>) -> Error {
        let message = message.into();
        Error::Invalid { summary: message.clone(), problems: vec![Problem::new(message)] }
    }

    /// An invalid input with every problem found.
    pub fn invalid_all(summary: impl Into<String>, problems: Vec<Problem>) -> Error {
        Error::Invalid { summary: summary.into(), problems }
    }

    /// A fault of cchc: logs `cause` (English, for the administrator) under a fresh reference.
    pub fn internal(cause: impl fmt::Display) -> Error {
        let reference = next_reference();
        tracing::error!(reference = %reference, "internal error: {cause}");
        Error::Internal { reference }
    }

    /// The machine-readable name of the case, as the JSON API's `error` field gives it.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotFound(_) => "not-found",
            Error::Forbidden(_) => "forbidden",
            Error::Invalid { .. } => "invalid",
            Error::Conflict(_) => "conflict",
            Error::Unavailable(_) => "unavailable",
            Error::Internal { .. } => "internal",
        }
    }

    /// The problems of an invalid input (empty for the other cases).
    pub fn problems(&self) -> &[Problem] {
        match self {
            Error::Invalid { problems, .. } => problems,
            _ => &[],
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NotFound(what) => write!(f, "Không tìm thấy {what}."),
            Error::Forbidden(why) | Error::Conflict(why) | Error::Unavailable(why) => f.write_str(why),
            Error::Invalid { summary, .. } => f.write_str(summary),
            Error::Internal { reference } => {
                write!(f, "Đã xảy ra lỗi hệ thống (mã tham chiếu {reference}). Vui lòng thử lại hoặc báo quản trị viên mã này.")
            }
        }
    }
}

impl std::error::Error for Error {}

/// A reference for the log: the process's start second and a counter, short enough to read out
/// on the phone (`E1764629655-3`).
fn next_reference() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    static START: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let start = *START.get_or_init(|| std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs()));
    format!("E{start}-{}", COUNTER.fetch_add(1, Ordering::Relaxed) + 1)
}

/// The message users read when the database is busy (SQLite's single writer, a PostgreSQL
/// serialisation failure or lock timeout).
pub const BUSY: &str = "Hệ thống đang bận ghi dữ liệu khác; chưa lưu gì. Vui lòng thử lại sau giây lát.";

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Error {
        match e {
            StoreError::Conflict { .. } | StoreError::AlreadyExists(_) => Error::Conflict(e.to_string()),
            StoreError::NotFound(what) => Error::NotFound(what),
            StoreError::Workflow(w) => Error::Conflict(w.to_string()),
            StoreError::Invalid(m) => Error::invalid(m),
            StoreError::Database(db) => from_database(db),
            // Bringing the schema up to date needs the write lock too.
            StoreError::Migration(sqlx::migrate::MigrateError::Execute(db)) => from_database(db),
            StoreError::Migration(m) => Error::internal(format!("migration: {m}")),
        }
    }
}

/// A driver error: a busy database is [`Error::Unavailable`], a broken constraint a
/// [`Error::Conflict`] (somebody stored it first) or [`Error::Invalid`] (it names what does not
/// exist), anything else internal. The driver's text goes to the log only.
fn from_database(e: sqlx::Error) -> Error {
    if let sqlx::Error::Database(db) = &e {
        let code = db.code().map(|c| c.into_owned()).unwrap_or_default();
        let message = db.message().to_ascii_lowercase();
        // SQLite: 5 SQLITE_BUSY, 6 SQLITE_LOCKED (and their extended codes, 261, 517, …);
        // PostgreSQL: 40001 serialization_failure, 40P01 deadlock, 55P03 lock_not_available.
        let sqlite_busy = code.parse::<i64>().is_ok_and(|c| c & 0xff == 5 || c & 0xff == 6);
        if sqlite_busy || matches!(code.as_str(), "40001" | "40P01" | "55P03") || message.contains("database is locked") {
            tracing::warn!("database busy: {e}");
            return Error::Unavailable(BUSY.into());
        }
        match db.kind() {
            sqlx::error::ErrorKind::UniqueViolation => {
                tracing::warn!("unique violation: {e}");
                return Error::Conflict("Dữ liệu này vừa được người khác lưu trước; chưa lưu gì. Hãy tải lại rồi thử lại.".into());
            }
            sqlx::error::ErrorKind::ForeignKeyViolation => {
                tracing::warn!("foreign key violation: {e}");
                return Error::invalid("Dữ liệu tham chiếu tới đơn vị, thủ tục hoặc hồ sơ không có trong hệ thống; chưa lưu gì.");
            }
            _ => {}
        }
    }
    if matches!(e, sqlx::Error::PoolTimedOut) {
        return Error::Unavailable(BUSY.into());
    }
    Error::internal(format!("database: {e}"))
}

impl From<anyhow::Error> for Error {
    /// The services that still return `anyhow` are faults to log, unless they carry one of ours.
    fn from(e: anyhow::Error) -> Error {
        match e.downcast::<Error>() {
            Ok(ours) => ours,
            Err(e) => match e.downcast::<StoreError>() {
                Ok(store) => store.into(),
                Err(e) => Error::internal(format!("{e:#}")),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_messages_name_a_reference_and_nothing_else() {
        let e = Error::internal("UNIQUE constraint failed: reports.unit_code, reports.period");
        let text = e.to_string();
        assert!(text.contains("mã tham chiếu E"), "{text}");
        assert!(!text.contains("UNIQUE") && !text.contains("reports."), "{text}");
    }

    #[test]
    fn store_errors_keep_their_vietnamese_cases() {
        assert_eq!(Error::from(StoreError::NotFound("hồ sơ X".into())), Error::NotFound("hồ sơ X".into()));
        assert_eq!(Error::from(StoreError::AlreadyExists(3)).code(), "conflict");
        assert_eq!(Error::from(StoreError::Invalid("sai".into())).problems(), &[Problem::new("sai")]);
        let e: Error = anyhow::Error::from(Error::Forbidden("không".into())).into();
        assert_eq!(e, Error::Forbidden("không".into()));
    }
}
