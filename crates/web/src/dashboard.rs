//! The leaders' dashboard for a period and a subtree: headline rates, the trend over the year's
//! quarters and a ranking of the units below, each chart with the same data as a table.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use cchc_dossiers::Counts;
use cchc_dossiers::rates::Rate;
use cchc_periods::Period;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::auth::CurrentUser;
use crate::dossiers::{ratios, readable_tree, scope_units};
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
    let tree = readable_tree(&state, &current, &unit).await?;
    // One read of the subtree's facts for every table of the page.
    let facts = cchc_app::dossiers::subtree_facts(state.store.as_ref(), &tree, &unit).await?;
    let window = state.rule.window(period);
    let table = facts.table(window, |_| true)?;
    let mut trend = Vec::new();
    for quarter in 1..=4 {
        let p = Period::quarter(period.year, quarter);
        trend.push(Rates::of(p.title_vi(), &facts.table(state.rule.window(p), |_| true)?.total()));
    }
    let mut ranking = Vec::new();
    for child in tree.children_in(&unit, window.from, window.to) {
        if child.kind.territorial_level().is_none() {
            continue;
        }
        let below: std::collections::HashSet<&str> = tree.subtree(&child.code).into_iter().map(|u| u.code.as_str()).collect();
        ranking.push(Rates::of(child.name.clone(), &facts.table(window, |code| below.contains(code))?.total()));
    }
    // Best on-time rate first; units without resolved dossiers last.
    ranking.sort_by(|a, b| b.on_time.cmp(&a.on_time).then(a.label.cmp(&b.label)));
    let chart_data = crate::view::script_json(&serde_json::json!({ "trend": trend, "ranking": ranking }));
    let page = DashboardPage {
        nav: Nav::new(&current, period),
        unit_name: tree.get(&unit).map_or(unit.clone(), |u| u.name.clone()),
        period: period.to_string(),
        period_title: period.title_vi(),
        periods: period_options(period),
        units: scope_units(&tree, &current, &unit, window.to),
        headline: ratios(&table.total()),
        trend,
        ranking,
        chart_data,
    };
    Ok(Html(page.render()?))
}
