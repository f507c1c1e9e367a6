//! The forms of Circular 03/2025/TT-VPCP printed at the counter (issue 15 item 2): forms 01–06
//! of one dossier as DOCX (and PDF through LibreOffice), form 07 (Sổ theo dõi hồ sơ) of a unit
//! and a period as XLSX. The layout is `cchc_documents::counter_forms`'; this loads the dossier
//! as its reader may see it (the applicant masked unless the reader sees personal data, Decree
//! 13/2023/NĐ-CP), names the people and units, and audits every print.

use std::collections::BTreeMap;

use cchc_documents::counter_forms::{self, Context, Form, Party};
use cchc_dossiers::{Dossier, EventKind, Procedure};
use cchc_periods::Period;
use cchc_storage::{AuditEntry, User};
use cchc_units::UnitTree;

use crate::{App, Error, access};

/// A form as printed: what it says and its DOCX.
#[derive(Debug, Clone)]
pub struct Printed {
    pub sheet: counter_forms::Sheet,
    pub docx: Vec<u8>,
    /// "mau-01-LH-241022-0001".
    pub file_stem: String,
}

/// The public status lookup of a receipt code under `base_url` (`https://…/tra-cuu?ma=…`).
pub fn lookup_url(base_url: &str, code: &str) -> String {
    format!("{}/tra-cuu?ma={}", base_url.trim_end_matches('/'), encoded(code))
}

/// The public satisfaction survey of a receipt (or visit) code under `base_url`, signed with
/// its link token (`https://…/survey/{code}?t={token}`, [`crate::survey::link`]), printed as a
/// QR code on the receipt (form 01) and on the survey slip.
pub fn survey_url(base_url: &str, code: &str, token: &str) -> String {
    format!("{}/survey/{}?t={}", base_url.trim_end_matches('/'), encoded(code), encoded(token))
}

/// A receipt code as a URL's path segment or query value.
fn encoded(code: &str) -> String {
    code.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// What the forms say about the receiving unit.
fn unit_context(tree: &UnitTree, code: &str) -> Context {
    let Some(unit) = tree.get(code) else {
        return Context { issuer: code.to_string(), unit_name: code.to_string(), place: code.to_string(), ..Context::default() };
    };
    let r = cchc_report::UnitRef { code: unit.code.clone(), name: unit.name.clone(), kind: unit.kind, parent: None };
    let issuer = unit.issuer.clone().filter(|i| !i.trim().is_empty()).unwrap_or_else(|| counter_forms::default_issuer(&r));
    Context {
        issuer,
        unit_name: counter_forms::unit_in_text(&unit.name, unit.kind.territorial_level().is_some()),
        place: counter_forms::place_of(&unit.name),
        ..Context::default()
    }
}

/// The applicant of `d` as the form prints it (as the use case that loaded `d` showed it: in
/// full to who sees personal data, masked for anyone else).
fn party(d: &Dossier) -> Option<Party> {
    d.applicant.clone().map(|a| Party { name: a.name, id_number: a.id_number, address: a.address, phone: a.phone, email: a.email })
}

/// The context of a dossier's forms: unit names, the applicant, the officers' full names.
async fn context(app: &App, tree: &UnitTree, d: &Dossier, base_url: &str) -> Result<Context, Error> {
    let mut ctx = unit_context(tree, &d.unit);
    ctx.unit_names = d
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Transferred { to_unit } => Some((to_unit.clone(), tree.get(to_unit).map_or(to_unit.clone(), |u| u.name.clone()))),
            _ => None,
        })
        .collect();
    let usernames: Vec<&str> = d.events.iter().filter_map(|e| e.by.as_deref()).collect();
    let names = crate::users::full_names(app.store.as_ref(), &usernames).await?;
    ctx.actors = d.events.iter().map(|e| e.by.as_ref().map(|u| names.get(u).cloned().unwrap_or_else(|| u.clone()))).collect();
    ctx.applicant = party(d);
    ctx.lookup_url = lookup_url(base_url, &d.id);
    ctx.survey_url = crate::survey::link(app.store.as_ref(), base_url, &d.id).await?;
    Ok(ctx)
}

async fn procedure(app: &App, d: &Dossier) -> Result<Procedure, Error> {
    let procedures = crate::dossiers::procedures(app.store.as_ref()).await?;
    procedures.get(&d.procedure).cloned().ok_or_else(|| Error::NotFound(format!("thủ tục {}", d.procedure)))
}

/// Form `form` of dossier `id` as `actor` prints it: only the officers of the unit that received
/// the dossier or handles it now print its forms; the applicant is as [`crate::ledger::dossier`]
/// shows it to `actor` (in full to the handling unit's officers and the handler, that view
/// audited; masked for anyone else), and the print is audited too. A form about an event the
/// dossier has not had is refused in Vietnamese.
/// `base_url` is where the public status lookup is served (the QR code's address).
pub async fn form(app: &App, actor: &User, id: &str, form: Form, base_url: &str) -> Result<Printed, Error> {
    let (d, _) = crate::ledger::dossier(app, actor, id).await?;
    if !access::can_edit_dossier(actor, &d) {
        return Err(Error::Forbidden(
            "Chỉ cán bộ của đơn vị tiếp nhận hoặc đơn vị đang giải quyết hồ sơ được in phiếu của hồ sơ này.".into(),
        ));
    }
    let tree = app.tree().await?;
    let p = procedure(app, &d).await?;
    let ctx = context(app, &tree, &d, base_url).await?;
    let sheet = counter_forms::sheet(form, &d, &p, &app.calendar(), ctx).map_err(|e| Error::invalid(e.to_string()))?;
    let docx = counter_forms::render(&sheet).map_err(Error::internal)?;
    let entry = AuditEntry {
        unit_code: Some(d.unit.clone()),
        item: Some(format!("Mẫu số {} – hồ sơ {}", form.number(), d.id)),
        ..AuditEntry::now(&actor.username, "in phiếu một cửa")
    };
    app.store.append_audit(&entry).await?;
    Ok(Printed { sheet, docx, file_stem: format!("mau-{}-{}", form.number(), d.id) })
}

/// A form's DOCX as a PDF (LibreOffice, seconds: call it off the async workers).
pub fn pdf(docx: &[u8]) -> Result<Vec<u8>, Error> {
    crate::report_docs::convert_to_pdf(docx).map_err(|e| Error::Unavailable(format!("{e:#}")))
}

/// Form 07, Sổ theo dõi hồ sơ: the dossiers received by `unit`'s subtree in `period`'s data
/// window, one row each, oldest first; `actor` must be able to read `unit`. The applicant is as
/// [`crate::ledger::subtree_dossiers`] gives it: in full only on the rows `actor` sees personal
/// data of (audited there), masked elsewhere.
pub async fn ledger(app: &App, actor: &User, unit: &str, period: Period) -> Result<Vec<u8>, Error> {
    let dossiers = crate::ledger::subtree_dossiers(app, actor, unit).await?;
    let tree = app.tree().await?;
    let window = app.rule.window(period);
    let procedures = crate::dossiers::procedures(app.store.as_ref()).await?;
    let cal = app.calendar();
    let mut in_window: Vec<&Dossier> =
        dossiers.iter().filter(|d| d.events.first().is_some_and(|e| window.from <= e.at.date() && e.at.date() <= window.to)).collect();
    in_window.sort_by_key(|d| (d.events[0].at, d.id.clone()));
    let names: BTreeMap<String, String> = tree.subtree(unit).into_iter().map(|u| (u.code.clone(), u.name.clone())).collect();
    let mut rows = Vec::with_capacity(in_window.len());
    for d in in_window {
        let Some(p) = procedures.get(&d.procedure) else { continue };
        let mut ctx = unit_context(&tree, &d.unit);
        ctx.unit_name = tree.get(&d.unit).map_or(d.unit.clone(), |u| u.name.clone());
        ctx.unit_names = names.clone();
        for e in &d.events {
            if let EventKind::Transferred { to_unit } = &e.kind {
                ctx.unit_names.entry(to_unit.clone()).or_insert_with(|| tree.get(to_unit).map_or(to_unit.clone(), |u| u.name.clone()));
            }
        }
        ctx.applicant = party(d);
        rows.push(counter_forms::ledger_row(d, p, &cal, &ctx).map_err(|e| Error::invalid(e.to_string()))?);
    }
    let unit_name = tree.get(unit).map_or(unit.to_string(), |u| u.name.clone());
    let period_text =
        format!("{} (hồ sơ tiếp nhận từ {} đến {})", period.title_vi(), cchc_format::date(window.from), cchc_format::date(window.to));
    counter_forms::ledger(&unit_name, &period_text, &rows).map_err(Error::internal)
}
