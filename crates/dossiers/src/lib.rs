//! The one-stop dossier ledger (sổ theo dõi hồ sơ, form 07 of Circular 03/2025/TT-VPCP).
//!
//! - [`model`]: procedures (thủ tục hành chính, TTHC), dossiers (hồ sơ) and their events;
//! - [`vocabulary`]: the one table of event kinds (JSON tag, CSV word, Vietnamese name, the
//!   fields each needs and where the counter records it);
//! - [`lifecycle`]: replaying a dossier's events through the national status codes 1–10, refusing
//!   illegal transitions in Vietnamese, and its due date (ngày hẹn trả) from the procedure's time,
//!   the working-day calendar and the supplement pauses;
//! - [`stats`]: the Biểu 06/VPCP/KSTT table for any window and set of units, whose consistency
//!   relations hold by construction;
//! - [`facts`]: per-dossier facts derived once at import, from which the table of any window is
//!   computed without replaying events (same result as [`stats`]), and their compact stored form;
//! - [`scores`]: the Decision 766/QĐ-TTg group scores the ledger can compute, the others left
//!   as explicit inputs or reported as not computable;
//! - [`search`]: text as officers type it, without diacritics or case, for the dossier list;
//! - [`prefill`]: those figures as entries of a unit report, for every indicator of the catalogue
//!   that names a ledger `source`.

pub mod dvcqg;
pub mod facts;
pub mod generate;
pub mod import;
pub mod lifecycle;
pub mod mask;
pub mod mau07;
pub mod model;
pub mod prefill;
pub mod rates;
pub mod scores;
pub mod search;
pub mod sources;
pub mod stats;
pub mod tally;
pub mod vocabulary;

pub use lifecycle::{DossierError, DossierState, Outcome, replay};
pub use model::*;
pub use stats::{BIEU06_COLUMNS, Counts, Table, compute};
pub use vocabulary::EventTag;
