//! Administration of accounts (quản trị người dùng): creating a user, changing their name, role,
//! unit or password, and deactivating them. Every change is written to the audit log with the old
//! and the new value; a password is never written anywhere but as its Argon2 hash, and its change
//! is audited without any value.

use cchc_storage::{AuditEntry, Role, Store, User};

use crate::Error;

/// Why an account change was refused. The messages are Vietnamese: they reach the administrator.
/// Only an administrator manages accounts.
fn admin_only(actor: &User) -> Result<(), Error> {
    if actor.role == Role::Admin { Ok(()) } else { Err(Error::Forbidden("Chỉ quản trị quản lý được tài khoản.".into())) }
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub full_name: String,
    pub role: Role,
    pub unit_code: String,
    pub password: String,
}

/// The changes to an existing account; `password: None` keeps the current one.
#[derive(Debug, Clone)]
pub struct UserChange {
    pub full_name: String,
    pub role: Role,
    pub unit_code: String,
    pub active: bool,
    pub password: Option<String>,
}

/// The shortest password accepted.
pub const MIN_PASSWORD: usize = 8;

/// Creates an account; refused when the username is taken or malformed, the unit unknown or the
/// password too short.
pub async fn create_user(store: &dyn Store, actor: &User, new: &NewUser) -> Result<User, Error> {
    admin_only(actor)?;
    let by = actor.username.as_str();
    let username = new.username.trim();
    check_username(username)?;
    if store.user(username).await?.is_some() {
        return Err(invalid(format!("Tên đăng nhập \"{username}\" đã có.")));
    }
    check_fields(store, &new.full_name, &new.unit_code).await?;
    check_password(&new.password)?;
    let user = User {
        username: username.into(),
        full_name: new.full_name.trim().into(),
        role: new.role,
        unit_code: new.unit_code.trim().into(),
        password_hash: crate::accounts::hash_password(&new.password).map_err(Error::from)?,
        active: true,
    };
    store.upsert_user(&user).await?;
    store.append_audit(&entry(by, &user, "tạo tài khoản", None, Some(describe(&user)))).await?;
    Ok(user)
}

/// Changes an account. An administrator cannot deactivate their own account nor take away their
/// own administrator role, so the system always keeps someone who can administer it.
pub async fn update_user(store: &dyn Store, actor: &User, username: &str, change: &UserChange) -> Result<User, Error> {
    admin_only(actor)?;
    let by = actor.username.as_str();
    let old = store.user(username).await?.ok_or_else(|| invalid(format!("Không có tài khoản \"{username}\".")))?;
    if username == by && (!change.active || change.role != Role::Admin) && old.role == Role::Admin {
        return Err(invalid("Bạn không thể tự khóa tài khoản hoặc bỏ quyền quản trị của chính mình.".into()));
    }
    check_fields(store, &change.full_name, &change.unit_code).await?;
    let password = change.password.as_deref().filter(|p| !p.is_empty());
    if let Some(p) = password {
        check_password(p)?;
    }
    let mut user = User {
        full_name: change.full_name.trim().into(),
        role: change.role,
        unit_code: change.unit_code.trim().into(),
        active: change.active,
        ..old.clone()
    };
    if let Some(p) = password {
        user.password_hash = crate::accounts::hash_password(p).map_err(Error::from)?;
    }
    store.upsert_user(&user).await?;
    let (before, after) = (describe(&old), describe(&user));
    if before != after {
        store.append_audit(&entry(by, &user, "sửa tài khoản", Some(before), Some(after))).await?;
    }
    if password.is_some() {
        store.append_audit(&entry(by, &user, "đặt lại mật khẩu", None, None)).await?;
    }
    Ok(user)
}

/// Who did something, as a history shows them: the full name of each account `usernames`
/// names (user name → full name). An account no longer stored (and the command line's system
/// account) is left out: the caller shows its user name.
pub async fn full_names(store: &dyn Store, usernames: &[&str]) -> Result<std::collections::BTreeMap<String, String>, Error> {
    let mut names = std::collections::BTreeMap::new();
    for &username in usernames {
        if names.contains_key(username) {
            continue;
        }
        if let Some(user) = store.user(username).await? {
            names.insert(user.username, user.full_name);
        }
    }
    Ok(names)
}

/// An account as it appears in the audit log: name, role, unit, state (never the hash).
pub fn describe(user: &User) -> String {
    let state = if user.active { "đang hoạt động" } else { "đã khóa" };
    format!("{}; {}; đơn vị {}; {state}", user.full_name, user.role.name_vi(), user.unit_code)
}

fn entry(by: &str, user: &User, action: &str, old: Option<String>, new: Option<String>) -> AuditEntry {
    AuditEntry {
        unit_code: Some(user.unit_code.clone()),
        item: Some(format!("tài khoản {}", user.username)),
        old_value: old,
        new_value: new,
        ..AuditEntry::now(by, action)
    }
}

fn invalid(message: String) -> Error {
    Error::invalid(message)
}

/// 3 to 32 characters: lower-case ASCII letters, digits, dot, hyphen, underscore (usernames are
/// typed on any keyboard and appear in logs, so no diacritics).
fn check_username(username: &str) -> Result<(), Error> {
    let ok_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_');
    if (3..=32).contains(&username.len()) && username.chars().all(ok_char) {
        Ok(())
    } else {
        Err(invalid(format!(
            "Tên đăng nhập \"{username}\" không hợp lệ: dài 3–32 ký tự, chỉ gồm chữ thường không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới."
        )))
    }
}

async fn check_fields(store: &dyn Store, full_name: &str, unit_code: &str) -> Result<(), Error> {
    if full_name.trim().is_empty() {
        return Err(invalid("Họ và tên không được để trống.".into()));
    }
    if store.unit_tree().await?.get(unit_code.trim()).is_none() {
        return Err(invalid(format!("Không có đơn vị mã \"{}\".", unit_code.trim())));
    }
    Ok(())
}

fn check_password(password: &str) -> Result<(), Error> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(invalid(format!("Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự.")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use cchc_storage::AuditFilter;

    async fn store() -> std::sync::Arc<dyn Store> {
        let s = cchc_storage::open("sqlite::memory:").await.unwrap();
        let unit: cchc_units::Unit =
            serde_json::from_value(serde_json::json!({ "code": "99", "name": "Tỉnh Hồng Lam", "kind": "tinh" })).unwrap();
        s.upsert_units(&[unit], &[]).await.unwrap();
        s
    }

    fn admin_actor(name: &str) -> User {
        User { role: Role::Admin, ..crate::access::system_user(name) }
    }

    fn new_user(username: &str) -> NewUser {
        NewUser {
            username: username.into(),
            full_name: "Đỗ Thị Mai".into(),
            role: Role::Leader,
            unit_code: "99".into(),
            password: "mat-khau-dai".into(),
        }
    }

    #[tokio::test]
    async fn a_created_account_logs_in_and_is_audited_without_its_password() {
        let s = store().await;
        let user = create_user(s.as_ref(), &admin_actor("quantri"), &new_user("mai.do")).await.unwrap();
        assert!(crate::accounts::verify_password("mat-khau-dai", &user.password_hash));
        let log = s.audit(&AuditFilter::default()).await.unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].action, "tạo tài khoản");
        assert_eq!(log[0].new_value.as_deref(), Some("Đỗ Thị Mai; lãnh đạo; đơn vị 99; đang hoạt động"));
        assert!(!format!("{log:?}").contains("mat-khau-dai"));
    }

    #[tokio::test]
    async fn full_names_name_stored_accounts_and_leave_others_out() {
        let s = store().await;
        create_user(s.as_ref(), &admin_actor("quantri"), &new_user("mai.do")).await.unwrap();
        let names = full_names(s.as_ref(), &["mai.do", "cli", "mai.do"]).await.unwrap();
        assert_eq!(names.len(), 1);
        assert_eq!(names.get("mai.do").map(String::as_str), Some("Đỗ Thị Mai"));
    }

    #[tokio::test]
    async fn bad_accounts_are_refused_in_vietnamese_and_nothing_is_written() {
        let s = store().await;
        create_user(s.as_ref(), &admin_actor("quantri"), &new_user("mai.do")).await.unwrap();
        let cases = [
            (new_user("mai.do"), "đã có"),
            (new_user("Mai Đỗ"), "không hợp lệ"),
            (NewUser { unit_code: "00".into(), ..new_user("mai2") }, "Không có đơn vị mã \"00\""),
            (NewUser { password: "ngan".into(), ..new_user("mai3") }, "ít nhất 8 ký tự"),
            (NewUser { full_name: " ".into(), ..new_user("mai4") }, "Họ và tên"),
        ];
        for (new, expected) in cases {
            let e = create_user(s.as_ref(), &admin_actor("quantri"), &new).await.unwrap_err();
            assert!(e.to_string().contains(expected), "{e}");
        }
        assert_eq!(s.users().await.unwrap().len(), 1);
        assert_eq!(s.audit(&AuditFilter::default()).await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn a_change_is_audited_with_old_and_new_value_and_an_admin_cannot_lock_themselves_out() {
        let s = store().await;
        let admin = NewUser { role: Role::Admin, ..new_user("quantri") };
        create_user(s.as_ref(), &admin_actor("setup"), &admin).await.unwrap();
        create_user(s.as_ref(), &admin_actor("quantri"), &new_user("mai.do")).await.unwrap();
        let change = UserChange {
            full_name: "Đỗ Thị Mai".into(),
            role: Role::Leader,
            unit_code: "99".into(),
            active: false,
            password: Some("mat-khau-moi".into()),
        };
        let user = update_user(s.as_ref(), &admin_actor("quantri"), "mai.do", &change).await.unwrap();
        assert!(!user.active);
        assert!(crate::accounts::verify_password("mat-khau-moi", &user.password_hash));
        let log = s.audit(&AuditFilter { by: Some("quantri".into()), ..Default::default() }).await.unwrap();
        let edit = log.iter().find(|e| e.action == "sửa tài khoản").unwrap();
        assert_eq!(edit.old_value.as_deref(), Some("Đỗ Thị Mai; lãnh đạo; đơn vị 99; đang hoạt động"));
        assert_eq!(edit.new_value.as_deref(), Some("Đỗ Thị Mai; lãnh đạo; đơn vị 99; đã khóa"));
        assert!(log.iter().any(|e| e.action == "đặt lại mật khẩu" && e.new_value.is_none()));

        let self_lock = UserChange { role: Role::Admin, ..change };
        let e = update_user(s.as_ref(), &admin_actor("quantri"), "quantri", &self_lock).await.unwrap_err();
        assert!(e.to_string().contains("không thể tự khóa"), "{e}");
        assert!(s.user("quantri").await.unwrap().unwrap().active);
    }
}
