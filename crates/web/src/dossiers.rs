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
use crate::view::{Nav, PeriodQuery, period_options};

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

/// The list's filters as the address carries them (`/dossiers?…`, and `/dossiers.xlsx?…` for the
/// same rows in Excel).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ListParams {
    #[serde(default)]
    period: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    field: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    list: String,
    #[serde(default)]
    page: Option<i64>,
}

fn some(s: &str) -> Option<&str> {
    Some(s.trim()).filter(|s| !s.is_empty())
}

fn day(field: &str, s: &str) -> Result<Option<chrono::NaiveDate>, cchc_app::Error> {
    match some(s) {
        None => Ok(None),
        Some(t) => cchc_format::parse_date(t).map(Some).ok_or_else(|| {
            let p = cchc_app::Problem::at(field, format!("\"{t}\" không phải ngày dạng dd/mm/yyyy."));
            cchc_app::Error::invalid_all(format!("Chưa lọc được: {p}"), vec![p])
        }),
    }
}

impl ListParams {
    fn period(&self) -> AppResult<Period> {
        PeriodQuery { period: some(&self.period).map(String::from), unit: None }.period()
    }

    fn request(&self, current: &CurrentUser) -> AppResult<cchc_app::worklist::ListRequest> {
        let channel =
            some(&self.channel).and_then(|c| cchc_app::worklist::CHANNELS.into_iter().find(|x| cchc_storage::channel_slug(*x) == c));
        Ok(cchc_app::worklist::ListRequest {
            unit: some(&self.unit).unwrap_or(&current.user.unit_code).to_string(),
            period: self.period()?,
            text: self.q.clone(),
            status: some(&self.status).and_then(cchc_dossiers::lifecycle::Status::from_slug),
            channel,
            field: some(&self.field).map(String::from),
            from: day("trường \"Tiếp nhận từ ngày\"", &self.from)?,
            to: day("trường \"đến ngày\"", &self.to)?,
            list: some(&self.list).and_then(cchc_app::worklist::WorkList::from_slug),
            page: self.page.unwrap_or(1).max(1),
        })
    }

    /// The address's query with these filters, another work list and page when given.
    fn query(&self, list: Option<&str>, page: Option<i64>) -> String {
        let mut pairs = vec![
            ("period", self.period.clone()),
            ("unit", self.unit.clone()),
            ("q", self.q.clone()),
            ("status", self.status.clone()),
            ("channel", self.channel.clone()),
            ("field", self.field.clone()),
            ("from", self.from.clone()),
            ("to", self.to.clone()),
            ("list", list.map_or(self.list.clone(), String::from)),
        ];
        pairs.retain(|(_, v)| !v.trim().is_empty());
        if let Some(p) = page {
            pairs.push(("page", p.to_string()));
        }
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

/// A row of the list page.
struct ListLine {
    id: String,
    link: String,
    unit: String,
    /// Where a transferred dossier went (the unit handling it now).
    handled_by: Option<String>,
    procedure: String,
    field: String,
    channel: &'static str,
    received: String,
    status: &'static str,
    due: String,
    /// The CSS class of its colour (overdue red, due soon amber), empty otherwise.
    colour: &'static str,
    /// The applicant's name, masked unless the user sees personal data.
    applicant: String,
}

/// A work list's tab: name, count, address, colour, chosen.
struct Tab {
    name: &'static str,
    count: String,
    link: String,
    colour: &'static str,
    current: bool,
}

#[derive(Template)]
#[template(path = "dossier_list.html")]
struct ListPage {
    nav: Nav,
    f: ListParams,
    message: Option<String>,
    periods: Vec<(String, String, bool)>,
    units: Vec<(String, String, bool)>,
    statuses: Vec<(&'static str, &'static str)>,
    channels: Vec<(&'static str, &'static str)>,
    fields: Vec<(String, String)>,
    tabs: Vec<Tab>,
    all_link: String,
    due_soon_hours: String,
    /// Administrators may change it.
    can_set_hours: bool,
    /// "Trang 2/37 · 8.803 hồ sơ".
    summary: String,
    total: i64,
    rows: Vec<ListLine>,
    page_links: Vec<(String, Option<String>)>,
    prev: Option<String>,
    next: Option<String>,
    export_xlsx: String,
    /// The unit whose counter the user may receive dossiers for, with its procedures.
    receive_unit: Option<String>,
    procedures: Vec<(String, String)>,
    now: String,
}

/// The page numbers to link: the first, the last, and two either side of the current one
/// ("…" between gaps, as `(label, None)`).
fn page_numbers(page: i64, pages: i64, link: impl Fn(i64) -> String) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut last = 0;
    for p in 1..=pages {
        if p == 1 || p == pages || (p - page).abs() <= 2 {
            if p > last + 1 {
                out.push(("…".to_string(), None));
            }
            out.push((cchc_format::int(p), (p != page).then(|| link(p))));
            last = p;
        }
    }
    out
}

/// `/dossiers`: the list of the subtree's dossiers with the search, the filters, the work
/// lists and paging ([`cchc_app::worklist::list`]).
pub async fn list(State(state): State<Arc<AppState>>, current: CurrentUser, Query(f): Query<ListParams>) -> AppResult<Html<String>> {
    let period = f.period()?;
    let request = f.request(&current);
    let (view, message) = match request {
        Ok(r) => match cchc_app::worklist::list(&state, &current.user, &r).await {
            Ok(v) => (Some((v, r)), None),
            Err(e @ cchc_app::Error::Invalid { .. }) => (None, Some(e.to_string())),
            Err(e) => return Err(e.into()),
        },
        Err(AppError::App(e @ cchc_app::Error::Invalid { .. })) => (None, Some(e.to_string())),
        Err(e) => return Err(e),
    };
    let tree = state.tree().await?;
    let window = state.rule.window(period);
    let unit = some(&f.unit).unwrap_or(&current.user.unit_code).to_string();
    let procedures = cchc_app::dossiers::procedures(state.store.as_ref()).await?;
    let receive_unit = (current.user.role == cchc_storage::Role::UnitOfficer).then(|| current.user.unit_code.clone());
    let level = receive_unit.as_deref().and_then(|u| tree.level_of(u));
    let mut offered: Vec<(String, String)> =
        procedures.values().filter(|p| Some(p.level) == level).map(|p| (p.code.clone(), format!("{} – {}", p.code, p.name))).collect();
    offered.sort();
    let link = |list: Option<&str>, page: Option<i64>| format!("/dossiers?{}", f.query(list, page));
    let (rows, tabs, summary, total, page_links, prev, next, fields, hours) = match &view {
        Some((v, r)) => {
            let rows = v
                .rows
                .iter()
                .map(|row| ListLine {
                    id: row.id.clone(),
                    link: format!("/dossiers/{}", crate::view::segment(&row.id)),
                    unit: row.unit_name.clone(),
                    handled_by: row.handled_by.clone(),
                    procedure: row.procedure_name.clone(),
                    field: row.field.clone(),
                    channel: row.channel,
                    received: moment(row.received),
                    status: row.status,
                    due: row.due.map_or(String::new(), moment),
                    colour: row.urgency.map_or("", |u| u.colour()),
                    applicant: row.applicant.clone(),
                })
                .collect();
            let tabs = v
                .counts
                .iter()
                .map(|(l, n)| Tab {
                    name: l.name_vi(),
                    count: cchc_app::worklist::count_vi(*n),
                    link: format!("/dossiers?{}", ListParams { list: l.slug().into(), ..f.clone() }.query(None, None)),
                    colour: l.colour(),
                    current: r.list == Some(*l),
                })
                .collect();
            let summary = match v.total > cchc_storage::COUNT_CAP {
                true => format!("Trang {} · {} hồ sơ", cchc_format::int(v.page), cchc_app::worklist::count_vi(v.total)),
                false => format!("Trang {}/{} · {} hồ sơ", cchc_format::int(v.page), cchc_format::int(v.pages), cchc_format::int(v.total)),
            };
            let pages = page_numbers(v.page, v.pages, |p| link(None, Some(p)));
            let prev = (v.page > 1).then(|| link(None, Some(v.page - 1)));
            let next = (v.page < v.pages).then(|| link(None, Some(v.page + 1)));
            (rows, tabs, summary, v.total, pages, prev, next, v.fields.clone(), v.due_soon_hours)
        }
        None => (Vec::new(), Vec::new(), String::new(), 0, Vec::new(), None, None, Vec::new(), cchc_app::worklist::DUE_SOON_DEFAULT),
    };
    let page = ListPage {
        receive_unit,
        procedures: offered,
        now: cchc_storage::now().format("%d/%m/%Y %H:%M").to_string(),
        nav: Nav::new(&current, period),
        units: scope_units(&tree, &current, &unit, window.to),
        periods: period_options(period),
        statuses: cchc_dossiers::lifecycle::Status::ALL.iter().map(|s| (s.slug(), s.name_vi())).collect(),
        channels: cchc_app::worklist::CHANNELS
            .iter()
            .map(|c| (cchc_storage::channel_slug(*c), cchc_app::worklist::channel_vi(*c)))
            .collect(),
        fields,
        tabs,
        all_link: format!("/dossiers?{}", ListParams { list: String::new(), ..f.clone() }.query(None, None)),
        due_soon_hours: cchc_format::int(hours),
        can_set_hours: current.user.role == cchc_storage::Role::Admin,
        summary,
        total,
        rows,
        page_links,
        prev,
        next,
        export_xlsx: format!("/dossiers.xlsx?{}", f.query(None, None)),
        message,
        f,
    };
    Ok(Html(page.render()?))
}

/// The administrators' form of the list: the working hours of "sắp đến hạn".
#[derive(serde::Deserialize)]
pub struct DueSoonForm {
    #[serde(default)]
    hours: String,
}

/// `POST /dossiers/due-soon-hours`: sets the working hours of "sắp đến hạn"
/// ([`cchc_app::worklist::set_due_soon_hours`]), back to the list with a confirmation.
pub async fn set_due_soon(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    session: tower_sessions::Session,
    axum::Form(form): axum::Form<DueSoonForm>,
) -> AppResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let hours =
        form.hours.trim().parse::<i64>().map_err(|_| {
            cchc_app::Error::invalid(format!("Số giờ làm việc phải là một số nguyên, không phải \"{}\".", form.hours.trim()))
        })?;
    cchc_app::worklist::set_due_soon_hours(&state, &current.user, hours).await?;
    let done = format!("Đã đặt danh sách sắp đến hạn: hẹn trả trong {} giờ làm việc tới.", cchc_format::int(hours));
    crate::flash::set(&session, crate::flash::Flash::done(done)).await?;
    Ok(axum::response::Redirect::to("/dossiers").into_response())
}

/// `/dossiers.xlsx`: every dossier the list's filters match (all pages, up to
/// [`cchc_app::worklist::EXPORT_MAX`]) as an Excel workbook.
pub async fn list_xlsx(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Query(f): Query<ListParams>,
) -> AppResult<axum::response::Response> {
    use axum::http::header;
    use axum::response::IntoResponse;
    use cchc_documents::xlsx::table::{Cell, Column, Table, table};
    let r = f.request(&current)?;
    let rows: Vec<Vec<Cell>> = cchc_app::worklist::export(&state, &current.user, &r)
        .await?
        .into_iter()
        .map(|row| {
            let unit = row.unit_shown();
            [
                row.id,
                unit,
                row.procedure,
                row.procedure_name,
                row.field,
                row.channel.to_string(),
                moment(row.received),
                row.status.to_string(),
                row.due.map_or(String::new(), moment),
                row.urgency.map_or(String::new(), |u| u.name_vi().to_string()),
            ]
            .map(Cell::Text)
            .to_vec()
        })
        .collect();
    let columns = [
        ("Mã hồ sơ", 26.0),
        ("Đơn vị tiếp nhận", 24.0),
        ("Mã thủ tục", 16.0),
        ("Thủ tục", 40.0),
        ("Lĩnh vực", 18.0),
        ("Kênh", 14.0),
        ("Tiếp nhận", 17.0),
        ("Trạng thái", 18.0),
        ("Hẹn trả", 17.0),
        ("Cảnh báo", 14.0),
    ]
    .map(|(heading, width)| Column { heading, width });
    let field = r.field.as_ref().map(|slug| state.catalogue().dimension_value_name("field", slug).to_string());
    let subtitle = list_filters_line(&f, &r, field.as_deref());
    let t = Table { sheet: "Hồ sơ", title: "DANH SÁCH HỒ SƠ", subtitle: &subtitle, columns: &columns, rows: &rows };
    let bytes = table(&t).map_err(AppError::Internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"danh-sach-ho-so.xlsx\""),
        ],
        bytes,
    )
        .into_response())
}

/// What the filters were, for the export's second line (names, never slugs).
fn list_filters_line(f: &ListParams, r: &cchc_app::worklist::ListRequest, field: Option<&str>) -> String {
    let mut said = vec![format!("Đơn vị: {}", r.unit)];
    if r.from.is_none() && r.to.is_none() && r.list.is_none() {
        said.push(format!("Kỳ: {}", r.period.title_vi()));
    }
    if let Some(t) = some(&f.q) {
        said.push(format!("Tìm: {t}"));
    }
    if let Some(l) = r.list {
        said.push(format!("Danh sách: {}", l.name_vi()));
    }
    if let Some(s) = r.status {
        said.push(format!("Trạng thái: {}", s.name_vi()));
    }
    if let Some(c) = r.channel {
        said.push(format!("Kênh: {}", cchc_app::worklist::channel_vi(c)));
    }
    if let Some(field) = field {
        said.push(format!("Lĩnh vực: {field}"));
    }
    if let Some(d) = r.from {
        said.push(format!("Từ ngày: {}", cchc_format::date(d)));
    }
    if let Some(d) = r.to {
        said.push(format!("Đến ngày: {}", cchc_format::date(d)));
    }
    said.join("; ")
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
    pub note: String,
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
        // Only the events the dossier's state allows now (what record_event accepts).
        kinds: cchc_dossiers::lifecycle::offered_events(&st, cchc_storage::now()).into_iter().map(|t| (t.csv(), t.name_vi())).collect(),
        labels: crate::dossier_events::field_labels(),
        channels: CHANNELS.to_vec(),
        entry,
        unit: tree.get(&d.unit).map_or(d.unit.clone(), |u| u.name.clone()),
        procedure: format!("{} – {}", p.code, p.name),
        field: state.catalogue().dimension_value_name("field", &p.field).to_string(),
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
