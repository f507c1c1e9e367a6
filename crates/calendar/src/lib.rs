//! The Vietnamese working-day calendar (lịch làm việc).
//!
//! - [`lunar`]: the Vietnamese lunar calendar (âm lịch), computed in-house with Hồ Ngọc Đức's
//!   algorithm at UTC+7. Chinese-calendar libraries use UTC+8 and give a different Tết in some
//!   years (Vietnam: 21/1/1985, 17/2/2007, 2/2/2030).
//! - [`holidays`]: the statutory days off of the Labour Code 2019 art. 112 with computed
//!   defaults, and the per-year schedule the government announces (extra days off, swapped working
//!   days), kept as editable TOML data.
//! - [`worktime`]: office hours, the cut-off hour for receipts, and adding working days or
//!   minutes to a moment — what due dates of dossiers are made of.

pub mod holidays;
pub mod lunar;
pub mod worktime;

pub use holidays::{DayOff, Schedule, ScheduleChange, ScheduleError, YearSchedule};
pub use lunar::{LunarDate, lunar_to_solar, solar_to_lunar};
pub use worktime::{OfficeHours, WorkCalendar};

/// The default yearly schedule shipped with cchc (`data/calendar/vn.toml`).
pub const DEFAULT_SCHEDULE_TOML: &str = include_str!("../../../data/calendar/vn.toml");
