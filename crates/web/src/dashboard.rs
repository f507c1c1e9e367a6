//! The leaders' dashboard for a period and a subtree: headline rates, the trend over the year's
//! quarters and a ranking of the units below, each chart with the same data as a table.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use cchc_dossiers::Counts;
use cchc_dossiers::rates::Rate;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::auth::CurrentUser;
use crate::dossiers::{ratios, scope_units};
use crate::error::AppResult;
use crate::state::AppState;
use crate::view::{Nav, PeriodQuery, period_options};

/// The rates of one unit or period, as numbers for the charts and text for the tables.
#[derive(Serialize)]
pub struct Rates {
    pub label: String,
    pub on_time: Option<Decimal>,
    pub online: Option<Decimal>,
    pub digitised: Option<Decimal>,
    pub satisfied: Option<Decimal>,
    pub received: u64,
}

impl Rates {
    fn of(label: String, c: &Counts) -> Rates {
        Rates {
            label,
            on_time: Rate::OnTime.percent(c),
            online: Rate::Online.percent(c),
            digitised: Rate::Digitised.percent(c),
            satisfied: Rate::Satisfied.percent(c),
            received: c.received_total(),
        }
    }

    /// The cells of the table: the same figures as the chart, in Vietnamese format.
    pub fn cells(&self) -> Vec<String> {
        let p = |d: Option<Decimal>| d.map_or("–".into(), cchc_format::percent);
        vec![cchc_format::int(self.received as i64), p(self.on_time), p(self.online), p(self.digitised), p(self.satisfied)]
    }
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    nav: Nav,
    unit_name: String,
    period: String,
    period_title: String,
    periods: Vec<(String, String, bool)>,
    units: Vec<(String, String, bool)>,
    headline: Vec<(&'static str, String)>,
    trend: Vec<Rates>,
    ranking: Vec<Rates>,
    chart_data: String,
}

pub async fn page(State(state): State<Arc<AppState>>, current: CurrentUser, Query(q): Query<PeriodQuery>) -> AppResult<Html<String>> {
    let period = q.period()?;
    let unit = q.unit_or(&current.user).to_string();
    // The use case checks who may read it and keeps its tables across requests.
    let dashboard = cchc_app::dashboard::dashboard(&state, &current.user, &unit, period).await?;
    let tree = state.tree().await?;
    let trend: Vec<Rates> = dashboard.trend.iter().map(|(p, c)| Rates::of(p.title_vi(), c)).collect();
    let ranking: Vec<Rates> = dashboard.ranking.iter().map(|r| Rates::of(r.name.clone(), &r.counts)).collect();
    let chart_data = crate::view::script_json(&serde_json::json!({ "trend": trend, "ranking": ranking }));
    let page = DashboardPage {
        nav: Nav::new(&current, period),
        unit_name: tree.get(&unit).map_or(unit.clone(), |u| u.name.clone()),
        period: period.to_string(),
        period_title: period.title_vi(),
        periods: period_options(period),
        units: scope_units(&tree, &current, &unit, dashboard.window.to),
        headline: ratios(&dashboard.table.total()),
        trend,
        ranking,
        chart_data,
    };
    Ok(Html(page.render()?))
}
