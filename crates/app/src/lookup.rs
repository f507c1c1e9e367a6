//! The public status lookup (tra cứu hồ sơ): a citizen, without an account, gives the receipt
//! code on their appointment slip and the last 4 digits of the phone or the ID number they gave
//! at the counter, and reads the dossier's status, procedure, receiving unit and appointment (and
//! the day the result was returned). Nothing else is told: no name, no event, no unit code.
//!
//! A code that does not exist, a dossier without an applicant and digits that do not match get
//! the same [`LookupError::NotFound`] with the same Vietnamese sentence, so the lookup cannot be
//! used to learn which codes exist. Its only user is anonymous, so it takes no acting user; the
//! web limits the failed lookups per client address (`cchc_web`, as it does logins).

use chrono::NaiveDateTime;

use crate::{App, Error};

/// What a citizen reads.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PublicStatus {
    /// The receipt code as stored.
    pub code: String,
    /// The status in Vietnamese ("Đang xử lý", "Đã trả kết quả", …).
    pub status: String,
    /// The procedure's name.
    pub procedure: String,
    /// The name of the unit whose counter received it.
    pub unit: String,
    /// Ngày hẹn trả as it stands.
    pub appointment: NaiveDateTime,
    /// When the result was handed over, if it was.
    pub returned: Option<NaiveDateTime>,
}

/// Why a lookup gave nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupError {
    /// The code or the digits are not typed as they should be (said before any dossier is read).
    Invalid(String),
    /// No dossier with this code and these digits: unknown code and wrong digits alike.
    NotFound,
    /// The store could not answer.
    Failed(Error),
}

/// The one answer to an unknown code and to wrong digits.
pub const NOT_FOUND: &str = "Không tìm thấy hồ sơ có mã và 4 chữ số cuối như đã nhập. \
     Hãy kiểm tra lại mã hồ sơ trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả, và 4 chữ số cuối \
     của số điện thoại hoặc số định danh cá nhân đã khai khi nộp hồ sơ.";

impl LookupError {
    /// Its message, in Vietnamese.
    pub fn message(&self) -> String {
        match self {
            LookupError::Invalid(m) => m.clone(),
            LookupError::NotFound => NOT_FOUND.into(),
            LookupError::Failed(e) => e.to_string(),
        }
    }
}

impl From<Error> for LookupError {
    fn from(e: Error) -> LookupError {
        LookupError::Failed(e)
    }
}

impl From<cchc_storage::StoreError> for LookupError {
    fn from(e: cchc_storage::StoreError) -> LookupError {
        LookupError::Failed(e.into())
    }
}

/// The longest receipt code read (the codes are about 30 characters).
const MAX_CODE: usize = 64;

/// Looks up dossier `code` for whoever knows the last 4 digits `last4` of its applicant's phone
/// or ID number ([`cchc_dossiers::mask::matches_last_digits`]).
pub async fn lookup(app: &App, code: &str, last4: &str) -> Result<PublicStatus, LookupError> {
    let code = code.trim();
    let last4 = last4.trim();
    if code.is_empty() || code.chars().count() > MAX_CODE {
        return Err(LookupError::Invalid("Hãy nhập mã hồ sơ như trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.".into()));
    }
    if last4.len() != 4 || !last4.bytes().all(|b| b.is_ascii_digit()) {
        return Err(LookupError::Invalid("Hãy nhập đúng 4 chữ số cuối của số điện thoại hoặc số định danh cá nhân.".into()));
    }
    let Some(d) = app.store.dossier(code).await? else {
        return Err(LookupError::NotFound);
    };
    if !d.applicant.as_ref().is_some_and(|a| cchc_dossiers::mask::matches_last_digits(a, last4)) {
        return Err(LookupError::NotFound);
    }
    let procedures = crate::dossiers::procedures(app.store.as_ref()).await.map_err(Error::from)?;
    let procedure = procedures.get(&d.procedure).ok_or(LookupError::NotFound)?;
    let state = cchc_dossiers::replay(&d, procedure, &app.calendar(), None).map_err(|_| LookupError::NotFound)?;
    let tree = app.tree().await?;
    Ok(PublicStatus {
        code: d.id.clone(),
        status: capitalised(state.status.name_vi()),
        procedure: procedure.name.clone(),
        unit: tree.get(&d.unit).map_or_else(|| d.unit.clone(), |u| u.name.clone()),
        appointment: state.due,
        returned: state.result_returned.map(|(_, t)| t),
    })
}

/// "đang xử lý" → "Đang xử lý".
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}
