//! Dossier pages: the Biểu 06 table of a subtree for a period, a list with search, and a
//! dossier's detail with its timeline of events and its due date.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use cchc_app::access;
use cchc_dossiers::rates::Rate;
use cchc_dossiers::{Counts, EventKind, Table};
use cchc_periods::Period;
use chrono::NaiveDateTime;

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::view::{Nav, PeriodQuery, ensure, period_options};

pub use cchc_dossiers::BIEU06_COLUMNS as COLUMNS;

fn cells(c: &Counts) -> Vec<String> {
    COLUMNS.iter().map(|(k, _)| cchc_format::int(c.figure(k).unwrap_or(0) as i64)).collect()
}

#[derive(Template)]
#[template(path = "dossier_stats.html")]
struct StatsPage {
    nav: Nav,
    unit: String,
    unit_name: String,
    period: String,
    period_title: String,
    window: String,
    periods: Vec<(String, String, bool)>,
    units: Vec<(String, String, bool)>,
    headers: Vec<&'static str>,
    rows: Vec<(String, String, Vec<String>)>,
    total: Vec<String>,
    ratios: Vec<(&'static str, String)>,
}

/// The headline ratios of a table, each recomputed from its counts.
pub fn ratios(t: &Counts) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> =
        Rate::ALL.iter().map(|r| (r.name_vi(), r.percent(t).map_or("–".into(), cchc_format::percent))).collect();
    out.push(("Phiếu xin lỗi, gia hạn", cchc_format::int(t.apology_letters as i64)));
    out.push(("Trả kết quả qua BCCI", cchc_format::int(t.returned_by_postal as i64)));
    out
}

/// The unit tree, once the user is known to be allowed to read `unit`'s dossiers.
pub async fn readable_tree(state: &AppState, current: &CurrentUser, unit: &str) -> AppResult<Arc<cchc_units::UnitTree>> {
    let tree = state.tree().await?;
    tree.get(unit).ok_or_else(|| AppError::NotFound(format!("đơn vị {unit}")))?;
    ensure(access::can_read(&current.user, &tree, unit), "Bạn không có quyền xem hồ sơ của đơn vị này.")?;
    Ok(tree)
}

/// Loads the Biểu 06 table of `unit`'s subtree, checking the user may read it.
pub async fn table_for(
    state: &AppState,
    current: &CurrentUser,
    unit: &str,
    period: Period,
) -> AppResult<(Table, Arc<cchc_units::UnitTree>)> {
    // The use case checks who may read it; the tree is only for naming the rows.
    let table = cchc_app::ledger::statistics(state, &current.user, unit, period).await?;
    Ok((table, state.tree().await?))
}

pub async fn stats(State(state): State<Arc<AppState>>, current: CurrentUser, Query(q): Query<PeriodQuery>) -> AppResult<Html<String>> {
    let period = q.period()?;
    let unit = q.unit_or(&current.user).to_string();
    let (table, tree) = table_for(&state, &current, &unit, period).await?;
    let window = state.rule.window(period);
    let total = table.total();
    let catalogue = state.catalogue();
    let page = StatsPage {
        nav: Nav::new(&current, period),
        unit_name: tree.get(&unit).map_or(unit.clone(), |u| u.name.clone()),
        period: period.to_string(),
        period_title: period.title_vi(),
        window: format!("từ {} đến {}", cchc_format::date(window.from), cchc_format::date(window.to)),
        periods: period_options(period),
        units: scope_units(&tree, &current, &unit, window.to),
        headers: COLUMNS.iter().map(|(_, h)| *h).collect(),
        // The field's name from the catalogue's `field` dimension ("Hộ tịch", not "ho-tich").
        rows: table
            .rows
            .iter()
            .map(|((level, field), c)| (level.name_vi().to_string(), catalogue.dimension_value_name("field", field).to_string(), cells(c)))
            .collect(),
        total: cells(&total),
        ratios: ratios(&total),
        unit,
    };
    Ok(Html(page.render()?))
}

/// The units the user may pick: their own and every readable unit below, valid on `day`.
pub fn scope_units(
    tree: &cchc_units::UnitTree,
    current: &CurrentUser,
    selected: &str,
    day: chrono::NaiveDate,
) -> Vec<(String, String, bool)> {
    tree.subtree(&current.user.unit_code)
        .into_iter()
        .filter(|u| u.is_valid_on(day) && u.kind.territorial_level().is_some())
        .filter(|u| access::can_read(&current.user, tree, &u.code))
        .map(|u| (u.code.clone(), u.name.clone(), u.code == selected))
        .collect()
}

#[derive(Template)]
#[template(path = "dossier_list.html")]
struct ListPage {
    nav: Nav,
    q: String,
    periods: Vec<(String, String, bool)>,
    units: Vec<(String, String, bool)>,
    total: usize,
    rows: Vec<(String, String, String, String, String, String)>,
    /// The unit whose counter the user may receive dossiers for, with its procedures.
    receive_unit: Option<String>,
    procedures: Vec<(String, String)>,
    now: String,
}

const LIST_LIMIT: usize = 200;

/// Dossiers received in the period's window by the subtree, filtered by a search on the code or
/// the procedure, newest first.
pub async fn list(State(state): State<Arc<AppState>>, current: CurrentUser, Query(q): Query<PeriodQuery>) -> AppResult<Html<String>> {
    let period = q.period()?;
    let unit = q.unit_or(&current.user).to_string();
    let tree = state.tree().await?;
    ensure(access::can_read(&current.user, &tree, &unit), "Bạn không có quyền xem hồ sơ của đơn vị này.")?;
    let window = state.rule.window(period);
    let codes: Vec<String> = cchc_app::dossiers::receiving_units(&tree, &unit, window.to).into_iter().map(|(c, _)| c).collect();
    let query = cchc_storage::DossierQuery {
        units: codes,
        from: window.from.and_hms_opt(0, 0, 0).expect("valid time"),
        to: window.to.and_hms_opt(23, 59, 59).expect("valid time"),
        text: q.q.clone().unwrap_or_default(),
        limit: LIST_LIMIT as i64,
    };
    let (total, found) = cchc_app::ledger::search(&state, &current.user, &query).await?;
    let procedures = cchc_app::dossiers::procedures(state.store.as_ref()).await?;
    let cal = state.calendar();
    let rows = found
        .iter()
        .map(|d| {
            let p = procedures.get(&d.procedure);
            let status = p
                .and_then(|p| cchc_dossiers::lifecycle::replay(d, p, &cal, None).ok())
                .map_or("–".into(), |s| s.status.name_vi().to_string());
            (
                d.id.clone(),
                d.unit.clone(),
                p.map_or(d.procedure.clone(), |p| p.name.clone()),
                moment(d.events[0].at),
                status,
                format!("/dossiers/{}", crate::view::segment(&d.id)),
            )
        })
        .collect();
    let receive_unit = (current.user.role == cchc_storage::Role::UnitOfficer).then(|| current.user.unit_code.clone());
    let level = receive_unit.as_deref().and_then(|u| tree.level_of(u));
    let mut offered: Vec<(String, String)> =
        procedures.values().filter(|p| Some(p.level) == level).map(|p| (p.code.clone(), format!("{} – {}", p.code, p.name))).collect();
    offered.sort();
    let page = ListPage {
        receive_unit,
        procedures: offered,
        now: cchc_storage::now().format("%d/%m/%Y %H:%M").to_string(),
        nav: Nav::new(&current, period),
        units: scope_units(&tree, &current, &unit, window.to),
        q: q.q.clone().unwrap_or_default(),
        periods: period_options(period),
        total: total as usize,
        rows,
    };
    Ok(Html(page.render()?))
}

fn moment(t: NaiveDateTime) -> String {
    format!("{} {}", cchc_format::date(t.date()), t.format("%H:%M"))
}

/// What an officer typed in the event form, put back when the event was refused.
#[derive(Debug, Clone, Default)]
pub struct Typed {
    pub kind: String,
    pub at: String,
    pub channel: String,
    pub new_due: String,
    pub apology: bool,
    pub to_unit: String,
}

#[derive(Template)]
#[template(path = "dossier_detail.html")]
struct DetailPage {
    nav: Nav,
    id: String,
    /// The version shown, which the event form names.
    version: i64,
    unit: String,
    procedure: String,
    field: String,
    status: String,
    due: String,
    outcome: String,
    digitised: bool,
    rating: String,
    /// Each event: moment, what, who recorded it.
    events: Vec<(String, String, Option<cchc_app::ledger::Person>)>,
    people: crate::dossier_people::PeopleView,
    message: Option<String>,
    can_edit: bool,
    kinds: Vec<(&'static str, &'static str)>,
    labels: crate::dossier_events::FieldLabels,
    channels: Vec<(&'static str, &'static str)>,
    /// The event form's content: what was typed, or a sensible default moment for the next event.
    entry: Typed,
}

/// The channels of the event form.
const CHANNELS: [(&str, &str); 3] = [("truc-tiep", "Trực tiếp"), ("truc-tuyen", "Trực tuyến"), ("bcci", "Bưu chính công ích")];

pub async fn detail(State(state): State<Arc<AppState>>, current: CurrentUser, Path(id): Path<String>) -> AppResult<Html<String>> {
    detail_page(&state, &current, &id, None, None).await
}

/// A dossier's page as it is stored now, with a message (why an event was refused) and the
/// officer's entry kept in the form when there are.
pub async fn detail_page(
    state: &AppState,
    current: &CurrentUser,
    id: &str,
    message: Option<String>,
    typed: Option<Typed>,
) -> AppResult<Html<String>> {
    let (d, version) = cchc_app::ledger::dossier(state, &current.user, id).await?;
    let people = crate::dossier_people::PeopleView::of(state, current, &d).await?;
    let tree = state.tree().await?;
    let procedures = cchc_app::dossiers::procedures(state.store.as_ref()).await?;
    let p = procedures.get(&d.procedure).ok_or_else(|| AppError::NotFound(format!("thủ tục {}", d.procedure)))?;
    let st = cchc_dossiers::lifecycle::replay(&d, p, &state.calendar(), None).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let entry = typed.unwrap_or_else(|| Typed {
        at: st.outcome.map_or(st.received_at, |(_, at)| at).format("%d/%m/%Y %H:%M").to_string(),
        channel: "truc-tiep".into(),
        ..Typed::default()
    });
    let page = DetailPage {
        nav: Nav::new(current, crate::view::current_period()),
        version,
        message,
        can_edit: access::can_edit_dossier(&current.user, &d),
        kinds: crate::dossier_events::kinds(),
        labels: crate::dossier_events::field_labels(),
        channels: CHANNELS.to_vec(),
        entry,
        unit: tree.get(&d.unit).map_or(d.unit.clone(), |u| u.name.clone()),
        procedure: format!("{} – {}", p.code, p.name),
        field: p.field.clone(),
        status: format!("{} (mã {})", st.status.name_vi(), st.status.code()),
        due: moment(st.due),
        outcome: st.outcome.map_or("chưa kết thúc".into(), |(o, at)| format!("{} lúc {}", o.name_vi(), moment(at))),
        digitised: d.digitised,
        rating: d.rating.map_or("chưa đánh giá".into(), |r| format!("{r}/5")),
        events: d.events.iter().map(|e| (moment(e.at), event_vi(&e.kind), people.actor(e))).collect(),
        people,
        id: d.id.clone(),
    };
    Ok(Html(page.render()?))
}

/// A timeline line for an event: the vocabulary's name of its kind, then its fields.
fn event_vi(kind: &EventKind) -> String {
    use cchc_dossiers::Channel;
    let channel = |c: &Channel| match c {
        Channel::Direct => "trực tiếp",
        Channel::Online => "trực tuyến",
        Channel::Postal => "qua dịch vụ bưu chính công ích",
    };
    let details = match kind {
        EventKind::Received { channel: c } | EventKind::ResultReturned { channel: c } => format!(" ({})", channel(c)),
        EventKind::Transferred { to_unit } => format!(" đến {to_unit}"),
        EventKind::SupplementRequested => " (dừng tính thời gian)".into(),
        EventKind::SupplementProvided => " (tính tiếp thời gian)".into(),
        EventKind::FeePaid { online } => if *online { " (thanh toán trực tuyến)" } else { "" }.into(),
        EventKind::Extended { new_due, apology } => {
            format!(", hẹn lại {}{}", moment(*new_due), if *apology { ", có phiếu xin lỗi" } else { "" })
        }
        EventKind::NotAccepted
        | EventKind::FeeRequested
        | EventKind::Resolved
        | EventKind::Refused
        | EventKind::Withdrawn
        | EventKind::Stopped => String::new(),
    };
    format!("{}{details}", kind.tag().name_vi())
}
