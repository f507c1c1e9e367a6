//! Excel exports of the ledger's pages: Biểu 06 of a unit's subtree for a period
//! (`/dossiers/stats.xlsx`), one row per level and field with the total, as the page shows it.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use cchc_documents::xlsx::table::{Cell, Column, Table, table};
use cchc_dossiers::{BIEU06_COLUMNS, Counts};

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::view::PeriodQuery;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn figures(label: [String; 2], c: &Counts) -> Vec<Cell> {
    let mut row: Vec<Cell> = label.into_iter().map(Cell::Text).collect();
    row.extend(BIEU06_COLUMNS.iter().map(|(k, _)| Cell::Count(c.figure(k).unwrap_or(0) as i64)));
    row
}

/// `/dossiers/stats.xlsx?unit=…&period=…`: the Biểu 06 table as a workbook.
pub async fn stats_xlsx(State(state): State<Arc<AppState>>, current: CurrentUser, Query(q): Query<PeriodQuery>) -> AppResult<Response> {
    let period = q.period()?;
    let unit = q.unit_or(&current.user).to_string();
    let stats = cchc_app::ledger::statistics(&state, &current.user, &unit, period).await?;
    let tree = state.tree().await?;
    let catalogue = state.catalogue();
    let window = state.rule.window(period);
    let mut rows: Vec<Vec<Cell>> = stats
        .rows
        .iter()
        .map(|((level, field), c)| figures([level.name_vi().to_string(), catalogue.dimension_value_name("field", field).to_string()], c))
        .collect();
    rows.push(figures(["Tổng cộng".into(), String::new()], &stats.total()));
    let mut columns = vec![Column { heading: "Cấp", width: 9.0 }, Column { heading: "Lĩnh vực", width: 24.0 }];
    columns.extend(BIEU06_COLUMNS.iter().map(|(_, h)| Column { heading: h, width: 11.0 }));
    let unit_name = tree.get(&unit).map_or(unit.clone(), |u| u.name.clone());
    let subtitle =
        format!("{unit_name} — {} (từ {} đến {})", period.title_vi(), cchc_format::date(window.from), cchc_format::date(window.to));
    let t = Table {
        sheet: "Biểu 06",
        title: "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH (BIỂU 06/VPCP/KSTT)",
        subtitle: &subtitle,
        columns: &columns,
        rows: &rows,
    };
    let bytes = table(&t).map_err(AppError::Internal)?;
    let safe: String = format!("{unit}-{period}").chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    let name = format!("attachment; filename=\"bieu-06-{safe}.xlsx\"");
    Ok(([(header::CONTENT_TYPE, XLSX.to_string()), (header::CONTENT_DISPOSITION, name)], bytes).into_response())
}
