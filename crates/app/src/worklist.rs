//! The dossier list of the one-stop counter (sổ theo dõi hồ sơ) as officers work with it: a
//! search without diacritics or case on the receipt code, the procedure's code, name and field,
//! and the applicant's name and ID number; filters by status, channel, field and receipt dates;
//! real paging with the total; and the work lists — "sắp đến hạn" (the appointment within the
//! installation's number of working hours, [`DUE_SOON_HOURS`]), "quá hạn", "chờ bổ sung", "chờ
//! trả kết quả" — counted on the working-day calendar in force. [`list`] is the page,
//! [`export`] every row for the Excel download.

use cchc_dossiers::lifecycle::Status;
use cchc_dossiers::{Channel, Dossier};
use cchc_periods::Period;
use cchc_storage::{DossierQuery, User};
use chrono::{NaiveDate, NaiveDateTime};

use crate::app::App;
use crate::error::{Error, Result};

/// Dossiers per page of the list.
pub const PAGE_SIZE: i64 = 50;

/// The most rows an Excel export holds.
pub const EXPORT_MAX: i64 = 100_000;

/// The setting ([`cchc_storage::AdminStore::setting`]) holding how many working hours before its
/// appointment a dossier is "sắp đến hạn"; [`DUE_SOON_DEFAULT`] when unset or not a number.
pub const DUE_SOON_HOURS: &str = cchc_storage::setting::DUE_SOON_HOURS;
pub const DUE_SOON_DEFAULT: i64 = 8;

/// Sets the working hours of "sắp đến hạn" (administrators only; 1 to 240), audited.
pub async fn set_due_soon_hours(app: &App, actor: &User, hours: i64) -> Result<()> {
    if actor.role != cchc_storage::Role::Admin {
        return Err(Error::Forbidden("Chỉ quản trị được đặt số giờ của danh sách sắp đến hạn.".into()));
    }
    if !(1..=240).contains(&hours) {
        return Err(Error::invalid(format!("Số giờ làm việc của danh sách sắp đến hạn phải từ 1 đến 240, không phải {hours}.")));
    }
    app.store.put_setting(DUE_SOON_HOURS, &hours.to_string(), &actor.username).await?;
    Ok(())
}

/// A work list of the counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WorkList {
    /// Quá hạn: open, the clock running, the appointment passed.
    Overdue,
    /// Sắp đến hạn: open, the appointment within the next working hours.
    DueSoon,
    /// Chờ bổ sung: the citizen was asked for a supplement (the clock stopped).
    AwaitingSupplement,
    /// Chờ trả kết quả: resolved, the result not yet handed over.
    ToReturn,
}

impl WorkList {
    pub const ALL: [WorkList; 4] = [WorkList::Overdue, WorkList::DueSoon, WorkList::AwaitingSupplement, WorkList::ToReturn];

    pub fn slug(self) -> &'static str {
        match self {
            WorkList::Overdue => "qua-han",
            WorkList::DueSoon => "sap-den-han",
            WorkList::AwaitingSupplement => "cho-bo-sung",
            WorkList::ToReturn => "cho-tra-ket-qua",
        }
    }

    pub fn from_slug(s: &str) -> Option<WorkList> {
        WorkList::ALL.into_iter().find(|l| l.slug() == s)
    }

    pub fn name_vi(self) -> &'static str {
        match self {
            WorkList::Overdue => "Quá hạn",
            WorkList::DueSoon => "Sắp đến hạn",
            WorkList::AwaitingSupplement => "Chờ bổ sung",
            WorkList::ToReturn => "Chờ trả kết quả",
        }
    }

    /// The colour officers expect, as a CSS class: red, amber, blue, green.
    pub fn colour(self) -> &'static str {
        match self {
            WorkList::Overdue => "urgent-red",
            WorkList::DueSoon => "urgent-amber",
            WorkList::AwaitingSupplement => "urgent-blue",
            WorkList::ToReturn => "urgent-green",
        }
    }
}

/// A channel's name in the list and its filter.
pub fn channel_vi(c: Channel) -> &'static str {
    match c {
        Channel::Direct => "Trực tiếp",
        Channel::Online => "Trực tuyến",
        Channel::Postal => "Bưu chính công ích",
    }
}

/// The channels, for a filter.
pub const CHANNELS: [Channel; 3] = [Channel::Direct, Channel::Online, Channel::Postal];

/// What the officer asked for.
#[derive(Debug, Clone)]
pub struct ListRequest {
    /// The unit whose subtree's dossiers are listed.
    pub unit: String,
    /// The period whose data window bounds the receipt moments, unless `from`/`to` say or a
    /// work list is chosen (a work list holds every dossier on it, whenever received).
    pub period: Period,
    pub text: String,
    pub status: Option<Status>,
    pub channel: Option<Channel>,
    /// A field's code (slug) of the catalogue's `field` dimension.
    pub field: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub list: Option<WorkList>,
    /// From 1.
    pub page: i64,
}

/// One dossier as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRow {
    pub id: String,
    /// The receiving unit, its code and name.
    pub unit: String,
    pub unit_name: String,
    /// The name of the unit handling it now, when it was transferred (chuyển liên thông) to
    /// another unit ([`cchc_dossiers::Dossier::handling_unit`]); `None` while the receiving unit
    /// handles it.
    pub handled_by: Option<String>,
    pub procedure: String,
    pub procedure_name: String,
    /// The field's Vietnamese name ("Hộ tịch").
    pub field: String,
    pub channel: &'static str,
    pub received: NaiveDateTime,
    pub status: &'static str,
    /// The appointment as it stands (none while the clock is stopped or once ended).
    pub due: Option<NaiveDateTime>,
    /// Overdue or due soon, for the row's colour.
    pub urgency: Option<WorkList>,
    /// The applicant's name as the actor may see it (`crate::ledger::applicant_name`).
    pub applicant: String,
}

impl ListRow {
    /// The unit as the list names it: the receiving unit, and where a transferred dossier went
    /// ("Xã Sơn Hà → Xã Lạc Giang").
    pub fn unit_shown(&self) -> String {
        match &self.handled_by {
            Some(h) => format!("{} → {h}", self.unit_name),
            None => self.unit_name.clone(),
        }
    }
}

/// A page of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListView {
    pub rows: Vec<ListRow>,
    /// How many dossiers match in all, counted up to [`cchc_storage::COUNT_CAP`] (above it: more
    /// than that, [`count_vi`]).
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    /// Each work list with how many dossiers of the unit's subtree are on it (with the search and
    /// the channel and field filters applied).
    pub counts: Vec<(WorkList, i64)>,
    /// The working hours of "sắp đến hạn".
    pub due_soon_hours: i64,
    /// The fields that procedures have: code and Vietnamese name.
    pub fields: Vec<(String, String)>,
}

/// The number of working hours of "sắp đến hạn" in force.
pub async fn due_soon_hours(app: &App) -> Result<i64> {
    let set = app.store.setting(DUE_SOON_HOURS).await?;
    Ok(set.and_then(|v| v.trim().parse::<i64>().ok()).filter(|h| *h > 0).unwrap_or(DUE_SOON_DEFAULT))
}

/// The last day a bound may name: the store compares moments as text, which a year beyond
/// 9999 would not keep in order.
fn far() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 12, 31).expect("valid")
}

/// The first moment of a day and the last.
fn day_start(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(0, 0, 0).expect("valid time")
}
fn day_end(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(23, 59, 59).expect("valid time")
}

/// The query of a request for `limit` rows, and the list's parts it needs.
struct Prepared {
    query: DossierQuery,
    /// The query without a work list nor a status, for the work lists' counts.
    base: DossierQuery,
    now: NaiveDateTime,
    soon: NaiveDateTime,
    hours: i64,
    procedures: std::collections::HashMap<String, cchc_dossiers::Procedure>,
    tree: std::sync::Arc<cchc_units::UnitTree>,
    actor: User,
}

/// Restricts `q` to a work list.
fn on_list(q: &mut DossierQuery, list: WorkList, now: NaiveDateTime, soon: NaiveDateTime) {
    match list {
        WorkList::Overdue => {
            q.states = vec![Status::InProgress.slug().into()];
            q.due_before = Some(now);
            q.by_due = true;
        }
        WorkList::DueSoon => {
            q.states = vec![Status::InProgress.slug().into()];
            q.due_from = Some(now);
            q.due_before = Some(soon);
            q.by_due = true;
        }
        WorkList::AwaitingSupplement => q.states = vec![Status::AwaitingSupplement.slug().into()],
        WorkList::ToReturn => q.states = vec![Status::Resolved.slug().into()],
    }
}

async fn prepare(app: &App, actor: &User, r: &ListRequest, limit: i64) -> Result<Prepared> {
    let tree = app.tree().await?;
    if tree.get(&r.unit).is_none() {
        return Err(Error::NotFound(format!("đơn vị {}", r.unit)));
    }
    if !crate::access::can_read(actor, &tree, &r.unit) {
        return Err(Error::Forbidden("Bạn không có quyền xem hồ sơ của đơn vị này.".into()));
    }
    if let (Some(f), Some(t)) = (r.from, r.to)
        && f > t
    {
        let p = crate::Problem::at("trường \"Từ ngày\"", format!("{} sau {}.", cchc_format::date(f), cchc_format::date(t)));
        return Err(Error::invalid_all(format!("Chưa lọc được: {p}"), vec![p]));
    }
    let window = app.rule.window(r.period);
    let units: Vec<String> = crate::dossiers::receiving_units(&tree, &r.unit, window.to).into_iter().map(|(c, _)| c).collect();
    let procedures = crate::dossiers::procedures(app.store.as_ref()).await?;
    let catalogue = app.catalogue();
    let field_name = |slug: &str| catalogue.dimension_value_name("field", slug).to_string();
    let needle = cchc_dossiers::search::needle(&r.text);
    let mut text_procedures: Vec<String> = procedures
        .values()
        .filter(|p| cchc_dossiers::search::matches(&needle, [p.name.as_str(), p.field.as_str(), field_name(&p.field).as_str()]))
        .map(|p| p.code.clone())
        .collect();
    text_procedures.sort();
    let field_procedures = r.field.as_ref().map(|f| {
        let mut codes: Vec<String> = procedures.values().filter(|p| &p.field == f).map(|p| p.code.clone()).collect();
        codes.sort();
        codes
    });
    let now = cchc_storage::now();
    let hours = due_soon_hours(app).await?;
    let cal = app.calendar();
    let soon = cal.add_working_hours(cal.effective_start(now), hours);
    // Explicit dates bound the receipt; else the period's window, except on a work list.
    let (from, to) = match (r.from, r.to, r.list) {
        (None, None, Some(_)) => (day_start(NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid")), day_end(far())),
        (None, None, None) => (day_start(window.from), day_end(window.to)),
        (f, t, _) => {
            (f.map_or(day_start(NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid")), day_start), t.map_or(day_end(far()), day_end))
        }
    };
    let mut base = DossierQuery::new(units, from, to, limit);
    base.text = r.text.clone();
    // The applicant's name and ID number are searched only by officers of the unit whose
    // dossiers these are (who see them in full, `access::sees_personal_data`); a search by
    // another role would tell whose dossier it is.
    base.personal = matches!(actor.role, cchc_storage::Role::UnitOfficer | cchc_storage::Role::Compiler)
        && base.units.iter().all(|u| u == &actor.unit_code);
    base.text_procedures = text_procedures;
    base.procedures = field_procedures;
    base.channel = r.channel.map(|c| cchc_storage::channel_slug(c).to_string());
    let mut query = base.clone();
    query.offset = (r.page.max(1) - 1) * limit;
    if let Some(s) = r.status {
        query.states = vec![s.slug().to_string()];
    }
    if let Some(list) = r.list {
        on_list(&mut query, list, now, soon);
        if let Some(s) = r.status {
            // A status and a work list: both must hold.
            query.states.retain(|x| x == s.slug());
            if query.states.is_empty() {
                query.procedures = Some(Vec::new());
            }
        }
    }
    // The work lists' counts: every dossier of the units on them, whenever received.
    base.from = day_start(NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid"));
    base.to = day_end(far());
    base.limit = 0;
    Ok(Prepared { query, base, now, soon, hours, procedures, tree, actor: actor.clone() })
}

fn row(p: &Prepared, d: &Dossier, cal: &cchc_calendar::WorkCalendar, field_name: &dyn Fn(&str) -> String) -> ListRow {
    let proc = p.procedures.get(&d.procedure);
    let state = proc.and_then(|pr| cchc_dossiers::replay(d, pr, cal, None).ok());
    let status = state.as_ref().map_or(Status::of(d), |s| s.status);
    let due = state.as_ref().filter(|s| s.status == Status::InProgress).map(|s| s.due);
    let urgency = due.and_then(|due| {
        if due < p.now {
            Some(WorkList::Overdue)
        } else if due < p.soon {
            Some(WorkList::DueSoon)
        } else {
            None
        }
    });
    let channel = match d.events.first().map(|e| &e.kind) {
        Some(cchc_dossiers::EventKind::Received { channel }) => channel_vi(*channel),
        _ => "–",
    };
    ListRow {
        id: d.id.clone(),
        unit: d.unit.clone(),
        unit_name: p.tree.get(&d.unit).map_or(d.unit.clone(), |u| u.name.clone()),
        handled_by: (d.handling_unit() != d.unit).then(|| {
            let handling = d.handling_unit();
            p.tree.get(handling).map_or(handling.to_string(), |u| u.name.clone())
        }),
        procedure: d.procedure.clone(),
        procedure_name: proc.map_or(d.procedure.clone(), |pr| pr.name.clone()),
        field: proc.map_or(String::new(), |pr| field_name(&pr.field)),
        channel,
        received: d.events.first().map_or(NaiveDateTime::MIN, |e| e.at),
        status: status.name_vi(),
        due,
        urgency,
        applicant: crate::ledger::applicant_name(&p.actor, d),
    }
}

/// A page of the dossiers of `r.unit`'s subtree as asked; `actor` must be able to read the unit.
///
/// A unit's dossiers are those it received and those transferred to it (chuyển liên thông):
/// the unit a dossier went to has it on its list and work lists, to handle, applicant in full;
/// the receiving unit keeps it on its own (it received it and returns the result at its counter),
/// applicant masked and not searchable by the applicant; no other unit sees it, and a list of
/// both units shows it once (`cchc_storage::Store::search_dossiers`).
pub async fn list(app: &App, actor: &User, r: &ListRequest) -> Result<ListView> {
    let p = prepare(app, actor, r, PAGE_SIZE).await?;
    let tabs: Vec<DossierQuery> = WorkList::ALL
        .iter()
        .map(|l| {
            let mut q = p.base.clone();
            on_list(&mut q, *l, p.now, p.soon);
            q
        })
        .collect();
    let ((total, found), tab_counts) = app.store.search_and_count(&p.query, &tabs).await?;
    let counts: Vec<(WorkList, i64)> = WorkList::ALL.iter().copied().zip(tab_counts).collect();
    let catalogue = app.catalogue();
    let field_name = |slug: &str| catalogue.dimension_value_name("field", slug).to_string();
    let cal = app.calendar();
    let rows = found.iter().map(|d| row(&p, d, &cal, &field_name)).collect();
    let mut fields: Vec<(String, String)> = p.procedures.values().map(|pr| (pr.field.clone(), field_name(&pr.field))).collect();
    fields.sort_by(|a, b| a.1.cmp(&b.1));
    fields.dedup();
    let page = r.page.max(1);
    let pages = match total > cchc_storage::COUNT_CAP {
        // Not counted beyond the cap: one page more while this one is full.
        true => page + (found.len() as i64 == PAGE_SIZE) as i64,
        false => ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
    };
    Ok(ListView { rows, total, page, pages, counts, due_soon_hours: p.hours, fields })
}

/// How many dossiers a list or a work list has, as the pages say it: "hơn 10.000" beyond what
/// the store counts ([`cchc_storage::COUNT_CAP`]).
pub fn count_vi(n: i64) -> String {
    if n > cchc_storage::COUNT_CAP { format!("hơn {}", cchc_format::int(cchc_storage::COUNT_CAP)) } else { cchc_format::int(n) }
}

/// Every dossier the request matches (all pages, at most [`EXPORT_MAX`]), for the Excel export.
pub async fn export(app: &App, actor: &User, r: &ListRequest) -> Result<Vec<ListRow>> {
    let p = prepare(app, actor, &ListRequest { page: 1, ..r.clone() }, EXPORT_MAX).await?;
    let (_, found) = app.store.search_dossiers(&p.query).await?;
    let catalogue = app.catalogue();
    let field_name = |slug: &str| catalogue.dimension_value_name("field", slug).to_string();
    let cal = app.calendar();
    Ok(found.iter().map(|d| row(&p, d, &cal, &field_name)).collect())
}
