//! Administrators' pages besides accounts: units (with their history, and an import that checks
//! the whole hierarchy before writing anything), the indicator catalogue in force with its rules,
//! and the working-day calendar of a year.

use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::Html;
use cchc_storage::Role;
use cchc_units::{LineageEdge, Unit, UnitTree};
use serde::Deserialize;

use crate::auth::{CurrentUser, audit};
use crate::error::AppResult;
use crate::state::AppState;
use crate::view::{Nav, PeriodQuery, ensure};

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
}

fn units_page(current: &CurrentUser, tree: &UnitTree, message: Option<(bool, String)>) -> UnitsPage {
    let date = |d: Option<chrono::NaiveDate>| d.map(cchc_format::date).unwrap_or_default();
    UnitsPage {
        nav: Nav::new(current, crate::view::current_period()),
        message,
        units: tree
            .units()
            .map(|u| (u.code.clone(), u.name.clone(), u.kind.name_vi().to_string(), u.parent.clone().unwrap_or_default(), date(u.valid_from), date(u.valid_to)))
            .collect(),
        lineage: tree.lineage().edges.iter().map(|e| (e.from.clone(), e.to.clone(), e.kind.name_vi().to_string(), cchc_format::date(e.date))).collect(),
    }
}

pub async fn units(State(state): State<Arc<AppState>>, current: CurrentUser) -> AppResult<Html<String>> {
    admin_only(&current)?;
    let tree = state.store.unit_tree().await?;
    Ok(Html(units_page(&current, &tree, None).render()?))
}

#[derive(Deserialize)]
pub struct UnitsImport {
    json: String,
}

#[derive(Deserialize)]
struct UnitsFile {
    units: Vec<Unit>,
    #[serde(default)]
    lineage: Vec<LineageEdge>,
}

/// Imports units in the units-file format (docs/units-format.md), merged with the stored ones;
/// the merged hierarchy is checked first and nothing is written when it does not hold.
pub async fn import_units(State(state): State<Arc<AppState>>, current: CurrentUser, Form(form): Form<UnitsImport>) -> AppResult<Html<String>> {
    admin_only(&current)?;
    let tree = state.store.unit_tree().await?;
    let message = match serde_json::from_str::<UnitsFile>(&form.json) {
        Err(e) => (true, format!("Tệp đơn vị không đúng định dạng (dòng {}, cột {}): {e}", e.line(), e.column())),
        Ok(file) => {
            let mut units: Vec<Unit> = tree.units().filter(|u| !file.units.iter().any(|n| n.code == u.code)).cloned().collect();
            units.extend(file.units.iter().cloned());
            let mut edges = tree.lineage().edges.clone();
            edges.extend(file.lineage.iter().cloned());
            match UnitTree::new(units, cchc_units::Lineage { edges }) {
                Err(e) => (true, format!("Không nhập: {e}")),
                Ok(_) => {
                    state.store.upsert_units(&file.units, &file.lineage).await?;
                    audit(&state, &current.user.username, "nhập đơn vị", None, None, Some(&format!("{} đơn vị, {} quan hệ lịch sử", file.units.len(), file.lineage.len()))).await?;
                    (false, format!("Đã nhập {} đơn vị và {} quan hệ lịch sử.", file.units.len(), file.lineage.len()))
                }
            }
        }
    };
    let tree = state.store.unit_tree().await?;
    Ok(Html(units_page(&current, &tree, Some(message)).render()?))
}

#[derive(Template)]
#[template(path = "admin_catalogue.html")]
struct CataloguePage {
    nav: Nav,
    reference: String,
    indicators: Vec<(String, String, String, String, String)>,
    rules: Vec<(String, String, String, String)>,
}

/// The catalogue in force: its indicators (code, name, unit, splits, ledger source) and rules.
pub async fn catalogue(State(state): State<Arc<AppState>>, current: CurrentUser) -> AppResult<Html<String>> {
    admin_only(&current)?;
    let cat = &state.catalogue;
    let page = CataloguePage {
        nav: Nav::new(&current, crate::view::current_period()),
        reference: cat.meta.reference(),
        indicators: cat
            .indicators
            .iter()
            .map(|i| (i.code.clone(), i.name.clone(), i.unit_label(), i.splits.join(", "), i.source.clone().unwrap_or_default()))
            .collect(),
        rules: cat
            .rules
            .iter()
            .map(|r| (r.id.clone(), r.name.clone(), format!("{} {} {}", r.left, r.operator.symbol(), r.right), r.severity.name_vi().to_string()))
            .collect(),
    };
    Ok(Html(page.render()?))
}

#[derive(Template)]
#[template(path = "admin_calendar.html")]
struct CalendarPage {
    nav: Nav,
    year: i32,
    days: Vec<(String, String, String)>,
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<i32>,
}

/// The days off of a year: statutory holidays with their lunar dates, compensations and the
/// government's yearly schedule.
pub async fn calendar(current: CurrentUser, Query(q): Query<YearQuery>, Query(p): Query<PeriodQuery>) -> AppResult<Html<String>> {
    admin_only(&current)?;
    let year = q.year.unwrap_or(cchc_app::demo::YEAR).clamp(1900, 2199);
    let cal = cchc_calendar::WorkCalendar::vietnam();
    let days = cal
        .days_off(year)
        .into_iter()
        .map(|d| (cchc_format::date(d.date), cchc_calendar::solar_to_lunar(d.date).to_string(), d.name.to_string()))
        .collect();
    Ok(Html(CalendarPage { nav: Nav::new(&current, p.period()?), year, days }.render()?))
}
