//! Decision 766 scores of a unit and period (`/dossiers/scores`): the six groups part by part,
//! what is computed from the ledger and the procedure list, what the office entered and the
//! national portal's total beside it with the difference; the dossiers that cost points. The
//! office enters the parts no record of cchc holds (and the portal's total) on the same page.

use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use cchc_dossiers::scores::{Basis, Entered, Group, Part};
use rust_decimal::Decimal;

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::flash::Flash;
use crate::state::AppState;
use crate::view::{Nav, PeriodQuery, parse_period, period_options};

/// One part's line: (name in files, name, maximum, points, where they come from, the value
/// entered, whether the office may enter it here).
type PartLine = (&'static str, &'static str, u32, String, String, String, bool);

#[derive(Template)]
#[template(path = "dossier_scores.html")]
struct ScoresPage {
    nav: Nav,
    unit: String,
    unit_name: String,
    period: String,
    period_title: String,
    periods: Vec<(String, String, bool)>,
    units: Vec<(String, String, bool)>,
    /// (group, maximum, points, its parts).
    groups: Vec<(&'static str, u32, String, Vec<PartLine>)>,
    known: String,
    known_max: u32,
    total: Option<String>,
    national: String,
    difference: Option<String>,
    /// (link, receipt code) of the dossiers that cost points.
    late: Vec<(String, String)>,
    dissatisfied: Vec<(String, String)>,
    can_enter: bool,
}

fn links(ids: &[String]) -> Vec<(String, String)> {
    ids.iter().map(|id| (format!("/dossiers/{}", crate::view::segment(id)), id.clone())).collect()
}

fn signed(d: Decimal) -> String {
    if d > Decimal::ZERO { format!("+{}", cchc_format::decimal(d)) } else { cchc_format::decimal(d) }
}

pub async fn page(State(state): State<Arc<AppState>>, current: CurrentUser, Query(q): Query<PeriodQuery>) -> AppResult<Html<String>> {
    let period = q.period()?;
    let unit = q.unit_or(&current.user).to_string();
    let scored = cchc_app::scores::decision_766(&state, &current.user, &unit, period, &Entered::default()).await?;
    let tree = state.tree().await?;
    let window = state.rule.window(period);
    let s = &scored.scores;
    let can_enter = cchc_app::scores::can_keep(&current.user, &tree, &unit);
    let groups = Group::ALL
        .into_iter()
        .map(|g| {
            let parts = g
                .parts()
                .filter_map(|part| s.part(part))
                .map(|p| {
                    let entered = scored.kept.entered.parts.get(p.part.slug()).map(|v| cchc_format::decimal(*v)).unwrap_or_default();
                    let computed = matches!(p.basis, Basis::Share { .. } | Basis::NotApplicable);
                    (
                        p.part.slug(),
                        p.part.name_vi(),
                        p.part.max(),
                        cchc_dossiers::scores::points_vi(p.points),
                        p.basis.describe_vi(),
                        entered,
                        !computed,
                    )
                })
                .collect();
            (g.name_vi(), g.max(), cchc_dossiers::scores::points_vi(s.group(g)), parts)
        })
        .collect();
    let (known, known_max) = s.total();
    let page = ScoresPage {
        nav: Nav::new(&current, period),
        unit_name: tree.get(&unit).map_or(unit.clone(), |u| u.name.clone()),
        period: period.to_string(),
        period_title: period.title_vi(),
        periods: period_options(period),
        units: crate::dossiers::scope_units(&tree, &current, &unit, window.to),
        groups,
        known: cchc_format::decimal(known),
        known_max,
        total: s.complete_total().map(cchc_format::decimal),
        national: scored.kept.national.map(cchc_format::decimal).unwrap_or_default(),
        difference: scored.difference().map(signed),
        late: links(&scored.late),
        dissatisfied: links(&scored.dissatisfied),
        can_enter,
        unit,
    };
    Ok(Html(page.render()?))
}

/// Saves the points entered: `part:<name>` fields (empty: not entered), `national`.
pub async fn save(
    State(state): State<Arc<AppState>>,
    current: CurrentUser,
    session: tower_sessions::Session,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let unit = field("unit");
    let period = parse_period(&field("period"))?;
    let number = |label: &str, text: &str| {
        cchc_format::parse_number(text).ok_or_else(|| AppError::BadRequest(format!("{label}: \"{text}\" không phải là số điểm")))
    };
    // Every part typed here (empty: not entered); the parts computed from the records have no field.
    let mut entries = Vec::new();
    for (name, value) in &fields {
        let Some(part) = name.strip_prefix("part:").and_then(Part::from_slug) else { continue };
        let points = match value.trim() {
            "" => None,
            text => Some(number(part.name_vi(), text)?),
        };
        entries.push((part.slug().to_string(), points));
    }
    let national = field("national");
    let national = if national.is_empty() { None } else { Some(number("Điểm trên Cổng Dịch vụ công quốc gia", &national)?) };
    cchc_app::scores::enter(&state, &current.user, &unit, period, &entries, Some(national)).await?;
    crate::flash::set(&session, Flash::done(format!("Đã lưu điểm nhập theo Quyết định 766 của {unit}, {}.", period.title_vi()))).await?;
    Ok(Redirect::to(&format!("/dossiers/scores?unit={}&period={period}", crate::view::segment(&unit))).into_response())
}
