//! Accounts: Argon2 password hashes (PHC strings with their own salt and parameters).

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use cchc_storage::{Store, User};

use crate::Error;

/// Hashes a password with Argon2id and a fresh random salt.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("không tạo được mã băm mật khẩu: {e}"))
}

/// Whether `password` matches the stored hash. A malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    VERIFICATIONS.fetch_add(1, Ordering::Relaxed);
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

static VERIFICATIONS: AtomicU64 = AtomicU64::new(0);

/// How many password verifications this process has run (what makes a login slow: a login
/// that skipped it would answer faster and tell that the user name is unknown).
pub fn verifications() -> u64 {
    VERIFICATIONS.load(Ordering::Relaxed)
}

/// A hash of a password no one has, with the parameters of real ones, verified when the user
/// name is unknown so that the answer takes as long as for a wrong password.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password("cchc: không có tài khoản này").unwrap_or_default())
}

/// The active account named `username` if `password` is its password. Always runs one Argon2
/// verification, against a dummy hash when there is no such active account (no user
/// enumeration by timing), on a blocking thread.
pub async fn check_credentials(store: &dyn Store, username: &str, password: &str) -> Result<Option<User>, Error> {
    let user = store.user(username.trim()).await?.filter(|u| u.active);
    let hash = user.as_ref().map_or_else(|| dummy_hash().to_string(), |u| u.password_hash.clone());
    let password = password.to_string();
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &hash)).await.map_err(Error::internal)?;
    Ok(user.filter(|_| matches))
}

/// The account a login session belongs to: the active account named `username` whose password
/// is still the one the session was opened with (`stamp`, [`session_stamp`]); `None` ends the
/// session (account gone, deactivated, or password changed or reset since).
pub async fn session_user(store: &dyn Store, username: &str, stamp: Option<&str>) -> Result<Option<User>, Error> {
    let user = store.user(username).await?.filter(|u| u.active);
    Ok(user.filter(|u| stamp == Some(session_stamp(&u.password_hash).as_str())))
}

/// Records a login or a logout of `username` in the audit log.
pub async fn record_session(store: &dyn Store, username: &str, event: SessionEvent) -> Result<(), Error> {
    let action = match event {
        SessionEvent::Login => "đăng nhập",
        SessionEvent::Logout => "đăng xuất",
    };
    store.append_audit(&cchc_storage::AuditEntry::now(username, action)).await?;
    Ok(())
}

/// What [`record_session`] records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionEvent {
    Login,
    Logout,
}

/// What a login session remembers of the password it was opened with: the salt of its hash,
/// new at every change or reset of the password. A session whose stamp is no longer the
/// account's is ended (the password was changed since); the salt says nothing about the password.
pub fn session_stamp(hash: &str) -> String {
    PasswordHash::new(hash).ok().and_then(|h| h.salt.map(|s| s.as_str().to_string())).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let h = hash_password("mật-khẩu").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("mật-khẩu", &h));
        assert!(!verify_password("mat-khau", &h));
        assert!(!verify_password("mật-khẩu", "not a hash"));
    }

    #[test]
    fn a_new_hash_of_the_same_password_has_a_new_stamp() {
        let (a, b) = (hash_password("mật-khẩu").unwrap(), hash_password("mật-khẩu").unwrap());
        assert!(!session_stamp(&a).is_empty());
        assert_eq!(session_stamp(&a), session_stamp(&a));
        assert_ne!(session_stamp(&a), session_stamp(&b));
    }
}
