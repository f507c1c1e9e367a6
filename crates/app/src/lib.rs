//! Application services of cchc, shared by the command line (`crates/cli`) and the web
//! application (`crates/web`).
//!
//! A service here is a use case: it loads what it needs from a [`cchc_storage::Store`], calls the
//! pure domain crates and saves or returns the result. It holds no domain rule of its own (those
//! live in the domain crates) and prints or renders nothing (that is the shells' job), so the CLI
//! and the web app can never compute the same figure two different ways.

pub mod access;
pub mod accounts;
pub mod admin;
pub mod app;
pub mod audit;
pub mod calendar;
pub mod catalogues;
pub mod compile;
pub mod counter;
pub mod counter_forms;
pub mod dashboard;
pub mod demo;
pub mod dossiers;
pub mod entry;
pub mod error;
pub mod feedback;
pub mod figures;
pub mod health;
pub mod inspections;
pub mod ledger;
pub mod lookup;
pub mod narrative;
pub mod plans;
pub mod procedures;
pub mod register;
pub mod report_docs;
pub mod reports;
pub mod review;
pub mod scores;
pub mod survey;
pub mod units;
pub mod units_admin;
pub mod users;
pub mod worklist;

pub use app::App;
pub use error::{Error, Problem};
