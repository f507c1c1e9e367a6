//! Who may read and change what. One policy for the web pages and the JSON API.
//!
//! - quản trị (admin): everything;
//! - cán bộ đơn vị (unit officer): reads and edits their own unit's reports only;
//! - cán bộ tổng hợp (compiler): reads their unit's subtree, reviews (returns, approves, locks)
//!   the reports of the units below theirs, edits and compiles their own unit's report;
//! - lãnh đạo (leader): reads their unit's subtree, never writes.

use cchc_report::workflow::Action;
use cchc_storage::{Role, User};
use cchc_units::UnitTree;

/// Whether `user` may read the reports, dossiers and dashboards of `unit`.
pub fn can_read(user: &User, tree: &UnitTree, unit: &str) -> bool {
    match user.role {
        Role::Admin => true,
        Role::UnitOfficer => user.unit_code == unit,
        Role::Compiler | Role::Leader => tree.is_within(unit, &user.unit_code),
    }
}

/// Whether `user` may change the figures and narrative of `unit`'s report.
pub fn can_edit(user: &User, unit: &str) -> bool {
    match user.role {
        Role::Admin => true,
        Role::UnitOfficer | Role::Compiler => user.unit_code == unit,
        Role::Leader => false,
    }
}

/// Whether `user` may apply a workflow action to `unit`'s report: the unit sends its own report;
/// the compiling office above it returns, approves and locks; only an administrator unlocks.
pub fn can_act(user: &User, tree: &UnitTree, unit: &str, action: Action) -> bool {
    match action {
        Action::SaveDraft | Action::Submit => can_edit(user, unit),
        Action::Return | Action::Approve | Action::Lock => match user.role {
            Role::Admin => true,
            Role::Compiler => unit != user.unit_code && tree.is_within(unit, &user.unit_code),
            Role::UnitOfficer | Role::Leader => false,
        },
        Action::Unlock => user.role == Role::Admin,
    }
}

/// Whether `user` may compile (roll up) `unit`'s report from its subtree.
pub fn can_compile(user: &User, unit: &str) -> bool {
    matches!(user.role, Role::Admin) || (user.role == Role::Compiler && user.unit_code == unit)
}

/// The account the command line acts as when no `--as USER` names a stored one: an
/// administrator that is not stored (nobody can log in as it), whose name the audit log records.
pub fn system_user(name: &str) -> User {
    User {
        username: name.into(),
        full_name: "Dòng lệnh (tài khoản hệ thống)".into(),
        role: Role::Admin,
        unit_code: String::new(),
        password_hash: String::new(),
        active: true,
    }
}
