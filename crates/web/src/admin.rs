//! Administrators' pages besides accounts: units (with their history, and an import that checks
//! the whole hierarchy before writing anything), the indicator catalogue (the versions, the one
//! in force with its rules, a new version checked as typed and stored only when usable as a
//! whole), and the working-day calendar of a year with the government's announcement recorded
//! day by day.

use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse};
use cchc_app::calendar::SavedYear;
use cchc_app::catalogues::Checked;
use cchc_calendar::{DayOff, ScheduleChange, WorkCalendar};
use cchc_storage::Role;
use cchc_units::{UnitKind, UnitTree};
use chrono::Datelike;
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::view::{Nav, ensure};

fn admin_only(current: &CurrentUser) -> AppResult<()> {
    ensure(current.user.role == Role::Admin, "Chỉ quản trị dùng được trang này.")
}

#[derive(Template)]
#[template(path = "admin_units.html")]
struct UnitsPage {
    nav: Nav,
    message: Option<(bool, String)>,
    units: Vec<(String, String, String, String, String, String)>,
    lineage: Vec<(String, String, String, String)>,
    /// The units a form may change: (code and [`cchc_app::units_admin::version`] as one option
    /// value `CODE|VERSION`, label).
    choices: Vec<(String, String)>,
    /// The unit kinds: (slug, Vietnamese name).
    kinds: Vec<(String, String)>,
}

fn units_page(current: &CurrentUser, tree: &UnitTree, message: Option<(bool, String)>) -> UnitsPage {
    let date = |d: Option<chrono::NaiveDate>| d.map(cchc_format::date).unwrap_or_default();
    UnitsPage {
        nav: Nav::new(current, crate::view::current_period()),
        message,
        units: tree
            .units()
            .map(|u| {
                (
                    u.code.clone(),
                    u.name.clone(),
                    u.kind.name_vi().to_string(),
                    u.parent.clone().unwrap_or_default(),
                    date(u.valid_from),
                    date(u.valid_to),
                )
            })
            .collect(),
        lineage: tree
            .lineage()
            .edges
            .iter()
            .map(|e| (e.from.clone(), e.to.clone(), e.kind.name_vi().to_string(), cchc_format::date(e.date)))
            .collect(),
        choices: tree
            .units()
            .filter(|u| u.valid_to.is_none())
            .map(|u| (format!("{}|{}", u.code, cchc_app::units_admin::version(u)), format!("{} – {}", u.code, u.name)))
            .collect(),
        kinds: UnitKind::ALL.iter().map(|k| (k.slug().to_string(), k.name_vi().to_string())).collect(),
    }
}

pub async fn units(State(state): State<Arc<AppState>>, current: CurrentUser) -> AppResult<Html<String>> {
    admin_only(&current)?;
    let tree = state.tree().await?;
    Ok(Html(units_page(&current, &tree, None).render()?))
}

#[derive(Deserialize)]
pub struct UnitsImport {
    json: String,
}

/// Imports units in the units-file format ([`cchc_app::units::import`]): the merged hierarchy is
/// checked first and nothing is written when it does not hold.
pub async fn import_units(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Form(form): Form<UnitsImport>,
) -> AppResult<Html<String>> {
    admin_only(&current)?;
    let message = match cchc_app::units::import(&state, &current.user, &form.json).await {
        Ok(done) => {
            state.metrics.imported("units", (done.units + done.lineage) as u64);
            (false, done.message_vi())
        }
        Err(e @ cchc_app::Error::Invalid { .. }) => (true, e.to_string()),
        Err(e) => return Err(e.into()),
    };
    let tree = state.tree().await?;
    Ok(Html(units_page(&current, &tree, Some(message)).render()?))
}

/// A unit chosen in a form: `CODE|VERSION` (the version the page showed).
fn chosen(value: &str) -> (String, String) {
    let (code, version) = value.split_once('|').unwrap_or((value, ""));
    (code.trim().to_string(), version.trim().to_string())
}

/// A date typed as dd/mm/yyyy, or a refusal naming the field.
fn typed_date(field: &str, text: &str) -> Result<chrono::NaiveDate, cchc_app::Error> {
    cchc_format::parse_date(text).ok_or_else(|| {
        let problem = cchc_app::Problem::at(field, format!("\"{}\" không phải ngày dạng dd/mm/yyyy.", text.trim()));
        cchc_app::Error::invalid_all(format!("Chưa lưu: {problem}"), vec![problem])
    })
}

/// The units page after a form: the outcome as its message. A refusal (invalid input, a
/// conflict) is shown on the page; not being an administrator or a fault is an error page.
async fn after_form(state: &AppState, current: &CurrentUser, done: Result<String, cchc_app::Error>) -> AppResult<Html<String>> {
    let message = match done {
        Ok(m) => (false, m),
        Err(e @ (cchc_app::Error::Invalid { .. } | cchc_app::Error::Conflict(_))) => (true, e.to_string()),
        Err(e) => return Err(e.into()),
    };
    let tree = state.tree().await?;
    Ok(Html(units_page(current, &tree, Some(message)).render()?))
}

#[derive(Deserialize)]
pub struct AddUnitForm {
    code: String,
    name: String,
    kind: String,
    #[serde(default)]
    parent: String,
    valid_from: String,
    #[serde(default)]
    issuer: String,
}

/// Adds a unit ([`cchc_app::units_admin::add_unit`]).
pub async fn add_unit(State(state): State<Arc<AppState>>, current: CurrentUser, Form(f): Form<AddUnitForm>) -> AppResult<Html<String>> {
    use cchc_app::units_admin as ua;
    let done = async {
        let kind = UnitKind::from_slug(&f.kind).ok_or_else(|| {
            let p = cchc_app::Problem::at("trường \"Loại đơn vị\"", "chọn một loại đơn vị trong danh sách.");
            cchc_app::Error::invalid_all(format!("Chưa lưu: {p}"), vec![p])
        })?;
        let new = ua::NewUnit {
            code: f.code.clone(),
            name: f.name.clone(),
            kind,
            parent: Some(f.parent.clone()),
            valid_from: typed_date(ua::FIELD_FROM, &f.valid_from)?,
            issuer: Some(f.issuer.clone()),
        };
        let u = ua::add_unit(&state, &current.user, &new).await?;
        Ok(format!("Đã thêm đơn vị {} ({}).", u.name, u.code))
    }
    .await;
    after_form(&state, &current, done).await
}

#[derive(Deserialize)]
pub struct RenameUnitForm {
    unit: String,
    new_code: String,
    new_name: String,
    date: String,
    #[serde(default)]
    basis: String,
}

/// Renames a unit ([`cchc_app::units_admin::rename_unit`]).
pub async fn rename_unit(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Form(f): Form<RenameUnitForm>,
) -> AppResult<Html<String>> {
    use cchc_app::units_admin as ua;
    let done = async {
        let (code, expected) = chosen(&f.unit);
        let r = ua::Rename {
            code: code.clone(),
            expected,
            new_code: f.new_code.clone(),
            new_name: f.new_name.clone(),
            date: typed_date(ua::FIELD_DATE, &f.date)?,
            basis: Some(f.basis.clone()),
        };
        let u = ua::rename_unit(&state, &current.user, &r).await?;
        Ok(format!("Đã đổi tên đơn vị {code} thành {} ({}) từ ngày {}.", u.name, u.code, cchc_format::date(r.date)))
    }
    .await;
    after_form(&state, &current, done).await
}

/// Merges units ([`cchc_app::units_admin::merge_units`]); the merged units come as repeated
/// `merged` fields, so the form is read as pairs.
pub async fn merge_units(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Html<String>> {
    use cchc_app::units_admin as ua;
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let done = async {
        let (into, into_expected) = chosen(&field("into"));
        let merged = fields.iter().filter(|(k, _)| k == "merged").map(|(_, v)| chosen(v)).collect();
        let basis = field("basis");
        let m = ua::Merge { merged, into, into_expected, date: typed_date(ua::FIELD_DATE, &field("date"))?, basis: Some(basis) };
        let u = ua::merge_units(&state, &current.user, &m).await?;
        let codes: Vec<&str> = m.merged.iter().map(|(c, _)| c.as_str()).collect();
        Ok(format!("Đã sáp nhập {} vào {} ({}) từ ngày {}.", codes.join(", "), u.name, u.code, cchc_format::date(m.date)))
    }
    .await;
    after_form(&state, &current, done).await
}

#[derive(Deserialize)]
pub struct CloseUnitForm {
    unit: String,
    until: String,
}

/// Closes a unit ([`cchc_app::units_admin::close_unit`]).
pub async fn close_unit(State(state): State<Arc<AppState>>, current: CurrentUser, Form(f): Form<CloseUnitForm>) -> AppResult<Html<String>> {
    use cchc_app::units_admin as ua;
    let done = async {
        let (code, expected) = chosen(&f.unit);
        let c = ua::Close { code, expected, until: typed_date(ua::FIELD_UNTIL, &f.until)? };
        let u = ua::close_unit(&state, &current.user, &c).await?;
        Ok(format!("Đã đóng đơn vị {} ({}): hiệu lực đến hết ngày {}.", u.name, u.code, cchc_format::date(c.until)))
    }
    .await;
    after_form(&state, &current, done).await
}

#[derive(Template)]
#[template(path = "admin_catalogue.html")]
struct CataloguePage {
    nav: Nav,
    message: Option<(bool, String)>,
    reference: String,
    versions: Vec<cchc_app::catalogues::Version>,
    /// The text in the editor: what was posted, else a variant of the catalogue in force.
    text: String,
    check: CatalogueCheck,
    indicators: Vec<(String, String, String, String, String)>,
    rules: Vec<(String, String, String, String)>,
}

/// The result of checking a catalogue text, shown beside the editor (and swapped in as typed).
#[derive(Template, Default)]
#[template(path = "catalogue_check.html")]
pub struct CatalogueCheck {
    /// Nothing checked yet.
    empty: bool,
    valid: Option<String>,
    lines: Vec<String>,
    problems: Vec<String>,
}

impl CatalogueCheck {
    fn from(checked: &Checked) -> CatalogueCheck {
        match checked {
            Checked::Valid { catalogue, changes, .. } => CatalogueCheck {
                empty: false,
                valid: Some(catalogue.summary_vi()),
                lines: if changes.is_empty() { vec!["Không khác bộ chỉ tiêu đang dùng.".into()] } else { changes.lines_vi() },
                problems: Vec::new(),
            },
            Checked::Invalid(problems) => CatalogueCheck { empty: false, valid: None, lines: Vec::new(), problems: problems.clone() },
        }
    }
}

/// A count as the pages print it (8.803), whether the template hands over the value or a reference.
fn count(n: impl std::borrow::Borrow<usize>) -> String {
    cchc_format::int(*n.borrow() as i64)
}

/// A variant of the catalogue in force to start from: the header a province's file needs.
fn starting_text(in_force: &str) -> String {
    let year = cchc_storage::now().date().year();
    format!(
        "# Bộ chỉ tiêu của tỉnh: kế thừa bộ đang dùng, chỉ ghi phần thêm, sửa, bỏ (docs/catalogue-format.md).\n# remove = [\"3.5.7\"]\n\n[catalogue]\nid = \"tinh\"\nversion = \"{year}.1\"\nname = \"Bộ chỉ tiêu thống kê CCHC của tỉnh\"\nextends = \"{in_force}\"\n"
    )
}

async fn catalogue_page(
    state: &AppState,
    current: &CurrentUser,
    message: Option<(bool, String)>,
    text: Option<String>,
    check: CatalogueCheck,
) -> AppResult<CataloguePage> {
    let cat = state.catalogue();
    let reference = cat.meta.reference();
    Ok(CataloguePage {
        nav: Nav::new(current, crate::view::current_period()),
        message,
        versions: cchc_app::catalogues::versions(state.store.as_ref()).await?,
        text: text.unwrap_or_else(|| starting_text(&reference)),
        check,
        reference,
        indicators: cat
            .indicators
            .iter()
            .map(|i| (i.code.clone(), i.name.clone(), i.unit_label(), i.splits.join(", "), i.source.clone().unwrap_or_default()))
            .collect(),
        rules: cat
            .rules
            .iter()
            .map(|r| {
                (r.id.clone(), r.name.clone(), format!("{} {} {}", r.left, r.operator.symbol(), r.right), r.severity.name_vi().to_string())
            })
            .collect(),
    })
}

/// The catalogue in force (its indicators and rules), the stored versions, and the editor of
/// a new version.
pub async fn catalogue(State(state): State<Arc<AppState>>, current: CurrentUser) -> AppResult<Html<String>> {
    admin_only(&current)?;
    let check = CatalogueCheck { empty: true, ..Default::default() };
    Ok(Html(catalogue_page(&state, &current, None, None, check).await?.render()?))
}

#[derive(Deserialize)]
pub struct CatalogueText {
    toml: String,
}

/// Live check of the editor's text: nothing is stored.
pub async fn check_catalogue(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Form(form): Form<CatalogueText>,
) -> AppResult<Html<String>> {
    admin_only(&current)?;
    let checked = cchc_app::admin::check_catalogue(&state, &current.user, &form.toml).await?;
    Ok(Html(CatalogueCheck::from(&checked).render()?))
}

/// Stores the editor's text as a new version when it is usable as a whole; nothing otherwise.
pub async fn add_catalogue(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Form(form): Form<CatalogueText>,
) -> AppResult<Html<String>> {
    admin_only(&current)?;
    let checked = cchc_app::admin::add_catalogue(&state, &current.user, &form.toml).await?;
    let message = match &checked {
        Checked::Valid { file, .. } => {
            (false, format!("Đã lưu bộ chỉ tiêu {}. Bấm \"Áp dụng\" để báo cáo mới dùng bộ này.", file.catalogue.reference()))
        }
        Checked::Invalid(p) => (true, format!("Chưa lưu: bộ chỉ tiêu có {} lỗi (xem bên dưới).", cchc_format::int(p.len() as i64))),
    };
    let text = matches!(checked, Checked::Invalid(_)).then_some(form.toml);
    Ok(Html(catalogue_page(&state, &current, Some(message), text, CatalogueCheck::from(&checked)).await?.render()?))
}

#[derive(Deserialize)]
pub struct InForce {
    reference: String,
}

/// Puts a stored version in force for new reports; reports already made keep theirs.
pub async fn put_in_force(State(state): State<Arc<AppState>>, current: CurrentUser, Form(form): Form<InForce>) -> AppResult<Html<String>> {
    admin_only(&current)?;
    let message = match cchc_app::admin::put_catalogue_in_force(&state, &current.user, &form.reference).await {
        Ok(_) => {
            (false, format!("Đã áp dụng bộ chỉ tiêu {} cho các báo cáo lập mới; báo cáo đã lập giữ bộ chỉ tiêu của mình.", form.reference))
        }
        Err(e @ cchc_app::Error::Invalid { .. }) => (true, e.to_string()),
        Err(e) => return Err(e.into()),
    };
    let check = CatalogueCheck { empty: true, ..Default::default() };
    Ok(Html(catalogue_page(&state, &current, Some(message), None, check).await?.render()?))
}

/// A stored version as its TOML file, to start a new version from.
pub async fn catalogue_file(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    axum::extract::Path(reference): axum::extract::Path<String>,
) -> AppResult<axum::response::Response> {
    admin_only(&current)?;
    let reference = reference.trim_end_matches(".toml");
    let files = cchc_app::catalogues::sources(state.store.as_ref()).await?;
    let file = files
        .iter()
        .find(|f| f.catalogue.reference() == reference)
        .ok_or_else(|| AppError::NotFound(format!("bộ chỉ tiêu {reference}")))?;
    let headers = [
        (axum::http::header::CONTENT_TYPE, "application/toml; charset=utf-8".to_string()),
        (axum::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}.toml\"", reference.replace('@', "-"))),
    ];
    Ok((headers, cchc_catalogue::to_toml(file)).into_response())
}

#[derive(Template)]
#[template(path = "admin_calendar.html")]
struct CalendarPage {
    nav: Nav,
    year: i32,
    message: Option<(bool, String)>,
    problems: Vec<String>,
    days: Vec<DayRow>,
    /// Weekend days worked (làm bù): ISO date, date, weekday, reason.
    working_days: Vec<(String, String, String, String)>,
    /// Computed days off that are worked this year: ISO date, date, the holiday's name.
    worked: Vec<(String, String, String)>,
}

struct DayRow {
    iso: String,
    date: String,
    weekday: &'static str,
    lunar: String,
    name: String,
    /// From the year's announcement (can be taken back), not computed by law.
    announced: bool,
}

fn calendar_page(
    current: &CurrentUser,
    calendar: &WorkCalendar,
    year: i32,
    message: Option<(bool, String)>,
    problems: Vec<String>,
) -> CalendarPage {
    let announced = calendar.schedule().year_or_empty(year);
    let computed = cchc_calendar::holidays::statutory(year, &calendar.weekend);
    let day_row = |d: &DayOff| DayRow {
        iso: d.date.to_string(),
        date: cchc_format::date(d.date),
        weekday: cchc_format::weekday(d.date),
        lunar: cchc_calendar::solar_to_lunar(d.date).to_string(),
        name: d.name.clone(),
        announced: announced.days_off.iter().any(|a| a.date == d.date),
    };
    CalendarPage {
        nav: Nav::new(current, crate::view::current_period()),
        year,
        message,
        problems,
        days: calendar.days_off(year).iter().map(day_row).collect(),
        working_days: announced
            .working_days
            .iter()
            .map(|d| (d.date.to_string(), cchc_format::date(d.date), cchc_format::weekday(d.date).to_string(), d.name.clone()))
            .collect(),
        worked: announced
            .not_off
            .iter()
            .map(|d| {
                (d.to_string(), cchc_format::date(*d), computed.iter().find(|c| c.date == *d).map_or(String::new(), |c| c.name.clone()))
            })
            .collect(),
    }
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<i32>,
}

fn year_or_current(year: Option<i32>) -> i32 {
    year.unwrap_or_else(|| cchc_storage::now().date().year()).clamp(2000, 2060)
}

/// The days off of a year (statutory holidays with their lunar dates, compensations, the
/// government's yearly announcement) and the forms to record that announcement.
pub async fn calendar(State(state): State<Arc<AppState>>, current: CurrentUser, Query(q): Query<YearQuery>) -> AppResult<Html<String>> {
    admin_only(&current)?;
    Ok(Html(calendar_page(&current, &state.calendar(), year_or_current(q.year), None, Vec::new()).render()?))
}

#[derive(Deserialize)]
pub struct CalendarChange {
    year: i32,
    /// `add-off`, `work`, `add-working` or `remove`.
    op: String,
    date: String,
    #[serde(default)]
    name: String,
}

impl CalendarChange {
    fn change(&self) -> Result<ScheduleChange, String> {
        let date = cchc_format::parse_date(&self.date).ok_or_else(|| format!("Ngày \"{}\" không hợp lệ (viết dd/mm/yyyy)", self.date))?;
        let day = DayOff { date, name: self.name.trim().to_string() };
        match self.op.as_str() {
            "add-off" => Ok(ScheduleChange::AddDayOff(day)),
            "work" => Ok(ScheduleChange::Work(date)),
            "add-working" => Ok(ScheduleChange::AddWorkingDay(day)),
            "remove" => Ok(ScheduleChange::Remove(date)),
            other => Err(format!("Thao tác \"{other}\" không có")),
        }
    }
}

/// Records one change of a year's announcement: checked with the whole year first, nothing
/// stored when it does not hold; once stored, the calendar in force is replaced and the due
/// dates of the stored dossiers follow it.
pub async fn change_calendar(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    Form(form): Form<CalendarChange>,
) -> AppResult<Html<String>> {
    admin_only(&current)?;
    let year = year_or_current(Some(form.year));
    let (message, problems) = match form.change() {
        Err(problem) => ((true, "Chưa lưu.".to_string()), vec![problem]),
        Ok(change) => match cchc_app::admin::change_calendar_year(&state, &current.user, year, change).await? {
            SavedYear::Saved { rederived } => {
                let n = cchc_format::int(rederived as i64);
                ((false, format!("Đã lưu lịch nghỉ năm {year}; đã tính lại hạn giải quyết của {n} hồ sơ theo lịch mới.")), Vec::new())
            }
            SavedYear::Refused(problems) => ((true, "Chưa lưu: lịch nghỉ không hợp lệ.".to_string()), problems),
        },
    };
    Ok(Html(calendar_page(&current, &state.calendar(), year, Some(message), problems).render()?))
}

// The same use cases under /api (registered in `api::routes`): JSON bodies, dates as dd/mm/yyyy
// or yyyy-mm-dd, the unit's `version` as `GET /api/units` gives it; refusals as the API's
// `{"error": "invalid" | "conflict" | "forbidden", "message": "…", "problems": […]}`.

type ApiResult<T> = Result<T, crate::error::ApiError>;

fn api_unit(u: &cchc_units::Unit) -> serde_json::Value {
    serde_json::json!({
        "code": u.code, "name": u.name, "kind": u.kind, "parent": u.parent, "valid_from": u.valid_from,
        "valid_to": u.valid_to, "issuer": u.issuer, "version": cchc_app::units_admin::version(u),
    })
}

#[derive(Deserialize)]
pub struct ApiAddUnit {
    code: String,
    name: String,
    kind: String,
    #[serde(default)]
    parent: Option<String>,
    valid_from: String,
    #[serde(default)]
    issuer: Option<String>,
}

/// `POST /api/units`: adds a unit.
pub async fn api_add_unit(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    crate::api::ApiJson(b): crate::api::ApiJson<ApiAddUnit>,
) -> ApiResult<axum::Json<serde_json::Value>> {
    use cchc_app::units_admin as ua;
    let kind = UnitKind::from_slug(&b.kind).ok_or_else(|| {
        let p = cchc_app::Problem::at("trường \"kind\"", format!("loại đơn vị \"{}\" không có trong danh sách.", b.kind));
        cchc_app::Error::invalid_all(format!("Chưa lưu: {p}"), vec![p])
    })?;
    let new = ua::NewUnit {
        code: b.code,
        name: b.name,
        kind,
        parent: b.parent,
        valid_from: typed_date(ua::FIELD_FROM, &b.valid_from)?,
        issuer: b.issuer,
    };
    let u = ua::add_unit(&state, &current.user, &new).await?;
    Ok(axum::Json(api_unit(&u)))
}

#[derive(Deserialize)]
pub struct ApiRename {
    version: String,
    new_code: String,
    new_name: String,
    date: String,
    #[serde(default)]
    basis: Option<String>,
}

/// `POST /api/units/{code}/rename`.
pub async fn api_rename_unit(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    axum::extract::Path(code): axum::extract::Path<String>,
    crate::api::ApiJson(b): crate::api::ApiJson<ApiRename>,
) -> ApiResult<axum::Json<serde_json::Value>> {
    use cchc_app::units_admin as ua;
    let r = ua::Rename {
        code,
        expected: b.version,
        new_code: b.new_code,
        new_name: b.new_name,
        date: typed_date(ua::FIELD_DATE, &b.date)?,
        basis: b.basis,
    };
    let u = ua::rename_unit(&state, &current.user, &r).await?;
    Ok(axum::Json(api_unit(&u)))
}

#[derive(Deserialize)]
pub struct ApiMerged {
    code: String,
    version: String,
}

#[derive(Deserialize)]
pub struct ApiMerge {
    merged: Vec<ApiMerged>,
    into: String,
    into_version: String,
    date: String,
    #[serde(default)]
    basis: Option<String>,
}

/// `POST /api/units/merge`.
pub async fn api_merge_units(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    crate::api::ApiJson(b): crate::api::ApiJson<ApiMerge>,
) -> ApiResult<axum::Json<serde_json::Value>> {
    use cchc_app::units_admin as ua;
    let m = ua::Merge {
        merged: b.merged.into_iter().map(|m| (m.code, m.version)).collect(),
        into: b.into,
        into_expected: b.into_version,
        date: typed_date(ua::FIELD_DATE, &b.date)?,
        basis: b.basis,
    };
    let u = ua::merge_units(&state, &current.user, &m).await?;
    Ok(axum::Json(api_unit(&u)))
}

#[derive(Deserialize)]
pub struct ApiClose {
    version: String,
    until: String,
}

/// `POST /api/units/{code}/close`.
pub async fn api_close_unit(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    axum::extract::Path(code): axum::extract::Path<String>,
    crate::api::ApiJson(b): crate::api::ApiJson<ApiClose>,
) -> ApiResult<axum::Json<serde_json::Value>> {
    use cchc_app::units_admin as ua;
    let c = ua::Close { code, expected: b.version, until: typed_date(ua::FIELD_UNTIL, &b.until)? };
    let u = ua::close_unit(&state, &current.user, &c).await?;
    Ok(axum::Json(api_unit(&u)))
}
