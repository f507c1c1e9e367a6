//! Who may read and change what. One policy for the web pages and the JSON API.
//!
//! - quản trị (admin): everything;
//! - cán bộ đơn vị (unit officer): reads and edits their own unit's reports only;
//! - cán bộ tổng hợp (compiler): reads their unit's subtree, reviews (returns, approves, locks)
//!   the reports of the units below theirs, edits and compiles their own unit's report;
//! - lãnh đạo (leader): reads their unit's subtree, never writes.
//!
//! A dossier's applicant is personal data (Decree 13/2023/NĐ-CP): shown in full
//! ([`sees_personal_data`]) only to the officers (unit officers and compilers) of the unit
//! handling it now ([`cchc_dossiers::Dossier::handling_unit`]: the receiving unit, or the unit it
//! was last transferred to) and to its assigned handler; masked ([`cchc_dossiers::mask`]) for
//! everyone else who may read it: leaders, compilers and officers of the units above, the
//! receiving unit once it has transferred the dossier, and administrators. A dossier is read by
//! whoever may read its receiving unit or its handling unit ([`can_read_dossier`]), and changed by
//! the officers of either ([`can_edit_dossier`]).

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

/// Whether `user` may read dossier `d`: its receiving unit's readers and its handling unit's.
pub fn can_read_dossier(user: &User, tree: &UnitTree, d: &cchc_dossiers::Dossier) -> bool {
    can_read(user, tree, &d.unit) || can_read(user, tree, d.handling_unit())
}

/// Whether `user` may record events on dossier `d`, assign it or transfer it: the officers of its
/// receiving unit (the counter returns the result) and of its handling unit.
pub fn can_edit_dossier(user: &User, d: &cchc_dossiers::Dossier) -> bool {
    can_edit(user, &d.unit) || can_edit(user, d.handling_unit())
}

/// Whether `user` sees dossier `d`'s applicant in full: an officer (unit officer or compiler) of
/// its handling unit, or its assigned handler; and the command line's own account
/// ([`is_command_line`]), whoever runs it holding the database itself (its exports are how
/// dossiers move between systems, and a masked export could not be imported back). Everyone
/// else sees it masked; every full view is audited by the use case that gives it.
pub fn sees_personal_data(user: &User, d: &cchc_dossiers::Dossier) -> bool {
    let officer = matches!(user.role, Role::UnitOfficer | Role::Compiler) && user.unit_code == d.handling_unit();
    officer || d.handler.as_deref() == Some(user.username.as_str()) || is_command_line(user)
}

/// Whether `user` is the command line's system account ([`system_user`]), not a stored one: a
/// stored account always has a password hash (`accounts::hash_password`), the system account
/// none, and nobody can log in as it. `cchc … --as USER` acts as the stored account instead.
pub fn is_command_line(user: &User) -> bool {
    user.role == Role::Admin && user.password_hash.is_empty() && user.unit_code.is_empty()
}

/// Whether `user` may be assigned to handle dossiers of `unit`: an active officer (unit officer
/// or compiler) of that unit.
pub fn can_handle(user: &User, unit: &str) -> bool {
    user.active && matches!(user.role, Role::UnitOfficer | Role::Compiler) && user.unit_code == unit
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
