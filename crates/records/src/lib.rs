//! CCHC work records (hồ sơ công tác CCHC): a unit's plans (kế hoạch) and their tasks (nhiệm
//! vụ), and its register of CCHC documents (sổ văn bản), from which the report's figures on
//! tasks and its lists of plans and documents are derived instead of typed.
//!
//! Pure: no I/O, clock or database. The working-day calendar is a caller-given predicate, as
//! in `cchc-periods`, so the calendar in force decides.
//!
//! - [`kinds`]: the vocabularies (plan kinds, document kinds, issued or received), each one
//!   enum with its Vietnamese names and an exhaustive `match`;
//! - [`model`]: [`Plan`], [`Task`], [`Document`] and their checks;
//! - [`state`]: a task's state on a day (done, done late, in progress, overdue, not started)
//!   counted on the working-day calendar, tallies and the due-soon list;
//! - [`figures`]: the figures these records give a report (the catalogue's `source` names,
//!   [`figures::SOURCES`]) and the pre-filled entries;
//! - [`cite`]: citations "Kế hoạch số 158/KH-UBND ngày 17/01/2022 của UBND huyện về …" and the
//!   section I lists of a period;
//! - [`sheet`]: the plan's task table as offices keep it in Excel (read from cells with
//!   Vietnamese problems naming row and column; written back in the same layout);
//! - [`inspections`]: the inspection plan, inspections, findings and recommendations;
//! - [`feedback`]: citizens' feedback and petitions (PAKN) and their answers;
//! - [`survey`]: the satisfaction survey at the counter.

pub mod cite;
pub mod feedback;
pub mod figures;
pub mod inspections;
pub mod kinds;
pub mod model;
pub mod sheet;
pub mod state;
pub mod survey;

pub use kinds::{Direction, DocKind, PlanKind};
pub use model::{Document, EvidenceFile, Note, Plan, Task};
pub use state::{Tally, TaskState};
