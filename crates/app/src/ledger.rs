//! The dossier ledger's use cases outside the counter (which is [`crate::counter`]): the Biểu 06
//! statistics of a subtree for a period, as the acting user may read them, and the import of a
//! one-stop software's export (administrators only: an export holds many units' dossiers).

use std::path::Path;

use cchc_dossiers::Table;
use cchc_periods::Period;
use cchc_storage::{Role, User};

use crate::app::App;
use crate::dossiers::Import;
use crate::error::{Error, Result};

/// The Biểu 06 table of `unit`'s subtree for `period` (the data window of the province's rule),
/// from the stored facts through the tables kept across requests ([`crate::dashboard::subtree_table`]);
/// `actor` must be able to read `unit`.
pub async fn statistics(app: &App, actor: &User, unit: &str, period: Period) -> Result<Table> {
    let tree = app.tree().await?;
    if tree.get(unit).is_none() {
        return Err(Error::NotFound(format!("đơn vị {unit}")));
    }
    if !crate::access::can_read(actor, &tree, unit) {
        return Err(Error::Forbidden("Bạn không có quyền xem hồ sơ của đơn vị này.".into()));
    }
    crate::dashboard::subtree_table(app, &tree, unit, app.rule.window(period)).await
}

/// Masks `d`'s applicant unless `actor` sees its personal data
/// ([`crate::access::sees_personal_data`]); says whether it is shown in full.
pub fn shown_to(actor: &User, d: &mut cchc_dossiers::Dossier) -> bool {
    if crate::access::sees_personal_data(actor, d) {
        return true;
    }
    if let Some(a) = &mut d.applicant {
        *a = cchc_dossiers::mask::applicant(a);
    }
    false
}

/// What the audit log calls a view of a dossier's applicant in full.
pub const PERSONAL_VIEW: &str = "xem dữ liệu cá nhân";

/// One dossier by its receipt code with the version the next event must name; `actor` must be
/// able to read its receiving or its handling unit ([`crate::access::can_read_dossier`]). Its
/// applicant is masked unless `actor` sees personal data ([`shown_to`]); a view in full is
/// written to the audit log ([`PERSONAL_VIEW`], the receipt code as the item) before it is given.
pub async fn dossier(app: &App, actor: &User, id: &str) -> Result<(cchc_dossiers::Dossier, i64)> {
    let (mut d, version) = app.store.dossier_with_version(id).await?.ok_or_else(|| Error::NotFound(format!("hồ sơ {id}")))?;
    let tree = app.tree().await?;
    // Another unit's dossier is answered as a missing one: a refusal would say it exists.
    if !crate::access::can_read_dossier(actor, &tree, &d) {
        return Err(Error::NotFound(format!("hồ sơ {id}")));
    }
    if shown_to(actor, &mut d) && d.applicant.is_some() {
        let entry = cchc_storage::AuditEntry {
            unit_code: Some(d.handling_unit().to_string()),
            item: Some(d.id.clone()),
            ..cchc_storage::AuditEntry::now(&actor.username, PERSONAL_VIEW)
        };
        app.store.append_audit(&entry).await?;
    }
    Ok((d, version))
}

/// Imports a dossier export (CSV or JSON lines, crates/dossiers/README.md): every row checked,
/// all stored in one transaction or nothing ([`Import::Refused`] names every bad row).
pub async fn import_export(app: &App, actor: &User, path: &Path) -> Result<Import> {
    if actor.role != Role::Admin {
        return Err(Error::Forbidden("Chỉ quản trị được nhập tệp hồ sơ từ phần mềm một cửa.".into()));
    }
    Ok(crate::dossiers::import_file(app.store.as_ref(), path).await?)
}

/// The largest national-format file read (it is read whole: the format is one JSON body).
pub const MAX_NATIONAL_BYTES: u64 = 256 << 20;

/// What an import in the national format came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NationalImport {
    pub import: Import,
    /// Registrations not yet received (status 1), not imported.
    pub skipped: usize,
    /// Step updates naming a dossier or a moment the body does not hold (nothing to set).
    pub unmatched_steps: usize,
}

/// Imports dossiers in the national portal's synchronisation format
/// ([`cchc_dossiers::dvcqg`], docs/dvcqg.md), all or nothing like [`import_export`]: a dossier
/// whose handling unit is not a unit of cchc is refused by name.
pub async fn import_national(app: &App, actor: &User, path: &Path) -> Result<NationalImport> {
    import_national_with_steps(app, actor, path, None).await
}

/// [`import_national`] with the one-stop system's step updates (CapNhatTienDoHoSoMC, as
/// `cchc dossiers export --format dvcqg-tien-do` writes them) read from `steps`: each names the
/// officer of a dossier's step at its moment, who becomes that event's actor. The step file is
/// checked whole first (a bad update is named by its place and field, nothing is stored); an
/// update of a dossier or moment the body does not hold is counted in `unmatched_steps`.
pub async fn import_national_with_steps(app: &App, actor: &User, path: &Path, steps: Option<&Path>) -> Result<NationalImport> {
    if actor.role != Role::Admin {
        return Err(Error::Forbidden("Chỉ quản trị được nhập tệp hồ sơ từ phần mềm một cửa.".into()));
    }
    let refused = |errors: Vec<String>| Ok(NationalImport { import: Import::Refused(errors), skipped: 0, unmatched_steps: 0 });
    let size = std::fs::metadata(path).map_err(|_| Error::NotFound(format!("tệp {}", path.display())))?.len();
    if size > MAX_NATIONAL_BYTES {
        let limit = cchc_format::int((MAX_NATIONAL_BYTES >> 20) as i64);
        return refused(vec![format!(
            "Tệp lớn {} MB, vượt giới hạn {limit} MB của một tệp đồng bộ; hãy tách theo tháng.",
            cchc_format::int((size >> 20) as i64)
        )]);
    }
    let bytes = std::fs::read(path).map_err(|_| Error::NotFound(format!("tệp {}", path.display())))?;
    let mut read = match cchc_dossiers::dvcqg::read(&bytes) {
        Ok(read) => read,
        Err(errors) => return refused(errors.iter().map(ToString::to_string).collect()),
    };
    let mut unmatched_steps = 0;
    if let Some(steps) = steps {
        let size = std::fs::metadata(steps).map_err(|_| Error::NotFound(format!("tệp {}", steps.display())))?.len();
        if size > MAX_NATIONAL_BYTES {
            let limit = cchc_format::int((MAX_NATIONAL_BYTES >> 20) as i64);
            return refused(vec![format!("Tệp cập nhật tiến độ vượt giới hạn {limit} MB; hãy tách theo tháng.")]);
        }
        let bytes = std::fs::read(steps).map_err(|_| Error::NotFound(format!("tệp {}", steps.display())))?;
        let updates = match cchc_dossiers::dvcqg::read_steps_body(&bytes) {
            Ok(updates) => updates,
            Err(errors) => return refused(errors.iter().map(|e| format!("Tệp cập nhật tiến độ: {e}")).collect()),
        };
        unmatched_steps = updates.len() - cchc_dossiers::dvcqg::read_steps(&mut read.dossiers, &updates);
    }
    let tree = app.tree().await?;
    let unknown: Vec<String> = read
        .dossiers
        .iter()
        .filter(|d| tree.get(&d.unit).is_none())
        .map(|d| format!("Hồ sơ {}: đơn vị xử lý \"{}\" không có trong danh sách đơn vị", d.id, d.unit))
        .collect();
    if !unknown.is_empty() {
        return refused(unknown);
    }
    let procs = crate::dossiers::procedures(app.store.as_ref()).await?;
    let import = crate::dossiers::store_dossiers(app.store.as_ref(), &read.dossiers, &procs, &app.calendar()).await?;
    Ok(NationalImport { import, skipped: read.skipped, unmatched_steps })
}

/// The largest form 07 workbook read (the XLSX reader's own limits then apply to what it holds).
pub const MAX_LEDGER_FORM_BYTES: u64 = 50 << 20;

/// Imports form 07, Sổ theo dõi hồ sơ, as a one-stop system exports it to Excel (or as cchc
/// writes it, [`crate::counter_forms::ledger`]): columns found by their headings
/// ([`cchc_dossiers::mau07`], docs/dvcqg.md, "Form 07"), all or nothing like [`import_export`]
/// and for administrators only; every bad row is named by its row and column, a procedure or a
/// unit cchc does not know is refused by row, and an applicant masked by the export it came from
/// is refused by dossier.
pub async fn import_ledger_form(app: &App, actor: &User, path: &Path) -> Result<Import> {
    if actor.role != Role::Admin {
        return Err(Error::Forbidden("Chỉ quản trị được nhập tệp hồ sơ từ phần mềm một cửa.".into()));
    }
    let size = std::fs::metadata(path).map_err(|_| Error::NotFound(format!("tệp {}", path.display())))?.len();
    if size > MAX_LEDGER_FORM_BYTES {
        let limit = cchc_format::int((MAX_LEDGER_FORM_BYTES >> 20) as i64);
        return Ok(Import::Refused(vec![format!(
            "Tệp lớn {} MB, vượt giới hạn {limit} MB của một sổ theo dõi hồ sơ; hãy xuất theo từng tháng.",
            cchc_format::int((size >> 20) as i64)
        )]));
    }
    let bytes = std::fs::read(path).map_err(|_| Error::NotFound(format!("tệp {}", path.display())))?;
    let tree = app.tree().await?;
    let receiving = tree.units().filter(|u| matches!(u.kind.territorial_level(), Some(cchc_units::Level::Huyen | cchc_units::Level::Xa)));
    let units = cchc_dossiers::mau07::Units::new(tree.units().map(|u| (u.code.as_str(), u.name.as_str())))
        .receiving(receiving.map(|u| u.code.as_str()));
    let procs = crate::dossiers::procedures(app.store.as_ref()).await?;
    let cal = app.calendar();
    // Reading a workbook is seconds of CPU for a large one: off the async workers.
    let read = {
        let (procs, cal) = (procs.clone(), cal.clone());
        tokio::task::spawn_blocking(move || cchc_documents::counter_forms::read_ledger(&bytes, &procs, &units, &cal))
            .await
            .map_err(|e| Error::internal(format!("đọc sổ theo dõi hồ sơ: {e}")))?
    };
    let dossiers = match read {
        Ok(d) => d,
        Err(errors) => return Ok(Import::Refused(errors.iter().map(ToString::to_string).collect())),
    };
    Ok(crate::dossiers::store_dossiers(app.store.as_ref(), &dossiers, &procs, &cal).await?)
}

/// Every dossier received by `unit`'s subtree (oldest first within each unit); `actor` must be
/// able to read `unit`. Applicants are masked as on the dossier page ([`shown_to`]); one audit
/// row says how many were given in full.
pub async fn subtree_dossiers(app: &App, actor: &User, unit: &str) -> Result<Vec<cchc_dossiers::Dossier>> {
    let mut dossiers = subtree_as_stored(app, actor, unit).await?;
    let mut full = 0;
    for d in &mut dossiers {
        full += usize::from(shown_to(actor, d) && d.applicant.is_some());
    }
    if full > 0 {
        let entry = cchc_storage::AuditEntry {
            unit_code: Some(unit.to_string()),
            item: Some(format!("xuất {} hồ sơ có dữ liệu cá nhân", cchc_format::int(full as i64))),
            ..cchc_storage::AuditEntry::now(&actor.username, PERSONAL_VIEW)
        };
        app.store.append_audit(&entry).await?;
    }
    Ok(dossiers)
}

/// The step updates (CapNhatTienDoHoSoMC) of the dossiers of `unit`'s subtree: who recorded each
/// event, as the national portal takes them ([`cchc_dossiers::dvcqg::write_steps`]); `actor`
/// must be able to read `unit`. Nothing of the applicant is in them.
pub async fn export_national_steps(app: &App, actor: &User, unit: &str) -> Result<serde_json::Value> {
    let dossiers = subtree_as_stored(app, actor, unit).await?;
    Ok(cchc_dossiers::dvcqg::write_steps_body(dossiers.iter().flat_map(cchc_dossiers::dvcqg::write_steps).collect()))
}

/// The dossiers of `unit`'s subtree as stored (applicants in full: never given out as they are).
async fn subtree_as_stored(app: &App, actor: &User, unit: &str) -> Result<Vec<cchc_dossiers::Dossier>> {
    let tree = app.tree().await?;
    if tree.get(unit).is_none() {
        return Err(Error::NotFound(format!("đơn vị {unit}")));
    }
    if !crate::access::can_read(actor, &tree, unit) {
        return Err(Error::Forbidden("Bạn không có quyền xem hồ sơ của đơn vị này.".into()));
    }
    let units: Vec<String> = tree.subtree(unit).into_iter().map(|u| u.code.clone()).collect();
    // Every dossier: the store compares moments as text, so the last moment of year 9999.
    let end = chrono::NaiveDate::from_ymd_opt(9999, 12, 31).and_then(|d| d.and_hms_opt(23, 59, 59)).expect("valid moment");
    Ok(app.store.dossiers(&units, end).await?)
}

/// The dossiers of [`subtree_dossiers`] in the national portal's synchronisation format, with
/// their due dates and status codes as cchc computes them.
pub async fn export_national(app: &App, actor: &User, unit: &str) -> Result<serde_json::Value> {
    let dossiers = subtree_dossiers(app, actor, unit).await?;
    let procs = crate::dossiers::procedures(app.store.as_ref()).await?;
    let cal = app.calendar();
    let catalogue = app.catalogue();
    let written = dossiers
        .iter()
        .map(|d| {
            let mut about = cchc_dossiers::dvcqg::Described::default();
            if let Some(p) = procs.get(&d.procedure) {
                about.procedure_name = p.name.clone();
                about.field_code = p.field.clone();
                about.field_name = catalogue.dimension_value_name("field", &p.field).to_string();
                if let Ok(state) = cchc_dossiers::replay(d, p, &cal, None) {
                    about.due = Some(state.due);
                    about.status = Some(state.status);
                }
            }
            cchc_dossiers::dvcqg::write_dossier(d, &about)
        })
        .collect();
    Ok(cchc_dossiers::dvcqg::write_body(written))
}

/// A person a dossier page names: the account and its full name (the user name when the
/// account is no longer stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub username: String,
    pub name: String,
}

/// The people of a dossier as its page shows them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct People {
    /// The handler now (cán bộ xử lý).
    pub handler: Option<Person>,
    /// The full name of each account its events and assignments name.
    pub names: std::collections::BTreeMap<String, String>,
    /// Whom `actor` may assign it to: the active officers of its handling unit, when `actor`
    /// may change it; empty otherwise.
    pub assignable: Vec<Person>,
}

impl People {
    /// The person behind a user name.
    pub fn person(&self, username: &str) -> Person {
        Person { username: username.into(), name: self.names.get(username).cloned().unwrap_or_else(|| username.into()) }
    }
}

/// The people of dossier `d` (as [`dossier`] gave it to `actor`): who recorded each event, who
/// assigned whom, the handler, and whom `actor` may assign it to.
pub async fn people(app: &App, actor: &User, d: &cchc_dossiers::Dossier) -> Result<People> {
    let mut accounts: Vec<&str> = d.events.iter().filter_map(|e| e.by.as_deref()).collect();
    accounts.extend(d.assignments.iter().flat_map(|a| [a.by.as_str(), a.handler.as_str()]));
    accounts.extend(d.handler.as_deref());
    let names = crate::users::full_names(app.store.as_ref(), &accounts).await?;
    let assignable = if crate::access::can_edit_dossier(actor, d) {
        let unit = d.handling_unit();
        let mut users: Vec<Person> = app
            .store
            .users()
            .await?
            .into_iter()
            .filter(|u| crate::access::can_handle(u, unit))
            .map(|u| Person { username: u.username, name: u.full_name })
            .collect();
        users.sort_by(|a, b| a.name.cmp(&b.name));
        users
    } else {
        Vec::new()
    };
    let mut people = People { handler: None, names, assignable };
    people.handler = d.handler.as_deref().map(|h| people.person(h));
    Ok(people)
}

/// The applicant's name as `actor` may see it on a list: in full when they see the dossier's
/// personal data ([`crate::access::sees_personal_data`]), else masked; empty without one. A name
/// on a list is not a view of the full record: it is not audited.
pub fn applicant_name(actor: &User, d: &cchc_dossiers::Dossier) -> String {
    match &d.applicant {
        None => String::new(),
        Some(a) if crate::access::sees_personal_data(actor, d) => a.name.clone(),
        Some(a) => cchc_dossiers::mask::applicant(a).name,
    }
}
