//! A plan and its task table as offices keep them in Excel, read from a sheet's cells and
//! written back in the same layout (`examples/plans/ke-hoach-cchc.xlsx`):
//!
//! ```text
//! A1  KẾ HOẠCH VÀ DANH SÁCH NHIỆM VỤ
//! A2… label in column A, value in column B: Loại kế hoạch, Số, ký hiệu, Ngày ban hành,
//!     Cơ quan ban hành, Người ký, Trích yếu, Hiệu lực từ ngày, Hiệu lực đến ngày
//! then the table: a heading row beginning "STT" (columns A–I as HEADINGS), one task a row.
//! ```
//!
//! Units are written by code or by name; dates as dates or as dd/mm/yyyy text. Every problem
//! names its row and column (as Excel shows them) and what is wrong, in Vietnamese; nothing is
//! returned unless all rows are right.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Days, NaiveDate};

use crate::kinds::PlanKind;
use crate::model::{Note, Plan, Task};

/// A cell that holds something.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Date(NaiveDate),
}

/// A sheet's cells that hold something, by 0-based (row, column).
pub type Grid = BTreeMap<(u32, u32), Cell>;

pub const TITLE: &str = "KẾ HOẠCH VÀ DANH SÁCH NHIỆM VỤ";
pub const SHEET: &str = "Kế hoạch";

/// The plan's fields, in the order the export writes them (labels in column A).
pub const FIELDS: [&str; 8] =
    ["Loại kế hoạch", "Số, ký hiệu", "Ngày ban hành", "Cơ quan ban hành", "Người ký", "Trích yếu", "Hiệu lực từ ngày", "Hiệu lực đến ngày"];

/// The task table's headings (columns A–I).
pub const HEADINGS: [&str; 9] = [
    "STT",
    "Nội dung nhiệm vụ",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Thời hạn hoàn thành",
    "Sản phẩm dự kiến",
    "Ngày bắt đầu",
    "Ngày hoàn thành",
    "Ghi chú tiến độ",
];

/// A problem of the sheet: where (1-based row and column letter, when it is a cell) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetProblem {
    pub row: Option<u32>,
    pub column: String,
    pub heading: String,
    pub message: String,
}

impl fmt::Display for SheetProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.row {
            Some(r) => write!(f, "Hàng {r}, cột {} ({}): {}", self.column, self.heading, self.message),
            None => write!(f, "{}: {}", self.heading, self.message),
        }
    }
}

/// A plan read from a sheet, with its tasks (ids 0: not stored yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedPlan {
    pub plan: Plan,
    pub tasks: Vec<Task>,
    /// The sheet's row of each task (1-based, as Excel shows it), to name it in later checks.
    pub rows: Vec<u32>,
}

/// "A" for column 0.
pub fn column_letter(col: u32) -> String {
    let mut n = u64::from(col) + 1;
    let mut letters = Vec::new();
    while n > 0 {
        n -= 1;
        letters.push(b'A' + (n % 26) as u8);
        n /= 26;
    }
    letters.iter().rev().map(|&b| b as char).collect()
}

fn norm(s: &str) -> String {
    s.trim().trim_end_matches(':').trim().to_lowercase()
}

fn text(c: Option<&Cell>) -> String {
    match c {
        None => String::new(),
        Some(Cell::Text(s)) => s.trim().to_string(),
        Some(Cell::Number(n)) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
        Some(Cell::Number(n)) => n.to_string(),
        Some(Cell::Date(d)) => cchc_format::date(*d),
    }
}

/// A date cell: a date, an Excel day number, or dd/mm/yyyy text.
fn date(c: &Cell) -> Result<NaiveDate, String> {
    let how = "viết ngày dạng dd/mm/yyyy, ví dụ 17/01/2022";
    match c {
        Cell::Date(d) => Ok(*d),
        Cell::Number(n) if n.fract() == 0.0 && (1.0..2_958_466.0).contains(n) => {
            Ok(NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid") + Days::new(*n as u64))
        }
        Cell::Number(n) => Err(format!("{n} không phải là ngày ({how})")),
        Cell::Text(s) => {
            let s = s.trim();
            let parts: Vec<&str> = s.split('/').collect();
            let numeric = parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit()));
            if numeric && parts[2].len() == 4 {
                let (d, m, y) = (parts[0].parse::<u32>(), parts[1].parse::<u32>(), parts[2].parse::<i32>());
                if let (Ok(d), Ok(m), Ok(y)) = (d, m, y) {
                    return NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| format!("ngày {s} không có trong lịch ({how})"));
                }
            }
            Err(format!("\"{s}\" không phải là ngày ({how})"))
        }
    }
}

/// Reads a plan of `unit` from a sheet's cells. `resolve_unit` turns what a cell says (a code
/// or a name) into a unit code; `today` dates the progress notes that say no date.
pub fn read(
    grid: &Grid,
    unit: &str,
    resolve_unit: &dyn Fn(&str) -> Option<String>,
    today: NaiveDate,
) -> Result<ImportedPlan, Vec<SheetProblem>> {
    let mut problems = Vec::new();
    let problem = |row: u32, col: u32, heading: &str, message: String| SheetProblem {
        row: Some(row + 1),
        column: column_letter(col),
        heading: heading.to_string(),
        message,
    };
    let Some(head) = grid.iter().find(|((_, c), v)| *c == 0 && matches!(v, Cell::Text(t) if norm(t) == "stt")).map(|((r, _), _)| *r) else {
        return Err(vec![SheetProblem {
            row: None,
            column: "A".into(),
            heading: "Bảng nhiệm vụ".into(),
            message: "không thấy hàng tiêu đề của bảng nhiệm vụ (ô cột A ghi \"STT\"); hãy dùng tệp mẫu xuất từ hệ thống".into(),
        }]);
    };
    for (i, h) in HEADINGS.iter().enumerate() {
        let found = text(grid.get(&(head, i as u32)));
        if norm(&found) != norm(h) {
            problems.push(problem(
                head,
                i as u32,
                h,
                format!("tiêu đề cột phải là \"{h}\", tệp ghi \"{found}\"; hãy giữ nguyên các cột của tệp mẫu"),
            ));
        }
    }
    // The plan's fields: label in column A above the table, value in column B.
    let mut fields: BTreeMap<&str, (u32, Option<&Cell>)> = BTreeMap::new();
    for r in 0..head {
        let label = text(grid.get(&(r, 0)));
        if let Some(f) = FIELDS.iter().find(|f| norm(f) == norm(&label)) {
            fields.insert(f, (r, grid.get(&(r, 1))));
        }
    }
    let field_text = |name: &str| fields.get(name).map(|(_, c)| text(*c)).unwrap_or_default();
    let required = |name: &'static str, problems: &mut Vec<SheetProblem>| -> Option<(u32, &Cell)> {
        match fields.get(name) {
            None => {
                problems.push(SheetProblem {
                    row: None,
                    column: "A".into(),
                    heading: name.into(),
                    message: format!("thiếu dòng \"{name}\" (cột A, phía trên bảng nhiệm vụ); hãy dùng tệp mẫu xuất từ hệ thống"),
                });
                None
            }
            Some((r, None)) => {
                problems.push(problem(*r, 1, name, "chưa nhập".into()));
                None
            }
            Some((r, Some(c))) => Some((*r, c)),
        }
    };
    let kind = required("Loại kế hoạch", &mut problems).and_then(|(r, c)| {
        let t = text(Some(c));
        let k = PlanKind::from_text(&t);
        if k.is_none() {
            let names: Vec<&str> = PlanKind::ALL.iter().map(|k| k.name_vi()).collect();
            problems.push(problem(r, 1, "Loại kế hoạch", format!("không có loại kế hoạch \"{t}\"; các loại: {}", names.join(", "))));
        }
        k
    });
    let number = required("Số, ký hiệu", &mut problems).and_then(|(r, c)| {
        let t = text(Some(c));
        match crate::model::check_number(&t) {
            Ok(()) => Some(t),
            Err(m) => {
                problems.push(problem(r, 1, "Số, ký hiệu", m));
                None
            }
        }
    });
    let date_field = |name: &'static str, need: bool, problems: &mut Vec<SheetProblem>| -> Option<NaiveDate> {
        let cell = if need { required(name, problems) } else { fields.get(name).and_then(|(r, c)| c.map(|c| (*r, c))) };
        cell.and_then(|(r, c)| match date(c) {
            Ok(d) => Some(d),
            Err(m) => {
                problems.push(problem(r, 1, name, m));
                None
            }
        })
    };
    let plan_date = date_field("Ngày ban hành", true, &mut problems);
    let valid_from = date_field("Hiệu lực từ ngày", false, &mut problems);
    let valid_to = date_field("Hiệu lực đến ngày", false, &mut problems);
    let summary = field_text("Trích yếu");
    if summary.is_empty() {
        problems.push(match fields.get("Trích yếu") {
            Some((r, _)) => problem(*r, 1, "Trích yếu", "chưa nhập trích yếu (nội dung kế hoạch)".into()),
            None => SheetProblem {
                row: None,
                column: "A".into(),
                heading: "Trích yếu".into(),
                message: "thiếu dòng \"Trích yếu\" (cột A, phía trên bảng nhiệm vụ)".into(),
            },
        });
    }
    // The tasks: every row below the heading that holds something.
    let last = grid.keys().map(|(r, _)| *r).max().unwrap_or(head);
    let mut tasks = Vec::new();
    let mut task_rows = Vec::new();
    for r in head + 1..=last {
        let cells: Vec<Option<&Cell>> = (0..HEADINGS.len() as u32).map(|c| grid.get(&(r, c))).collect();
        if cells.iter().skip(1).all(|c| c.is_none() || text(*c).is_empty()) {
            continue;
        }
        let before = problems.len();
        let content = text(cells[1]);
        if content.is_empty() {
            problems.push(problem(r, 1, HEADINGS[1], "chưa nhập nội dung nhiệm vụ".into()));
        }
        let one_unit = |t: &str, col: u32, problems: &mut Vec<SheetProblem>| -> Option<String> {
            let found = resolve_unit(t);
            if found.is_none() {
                problems.push(problem(
                    r,
                    col,
                    HEADINGS[col as usize],
                    format!("không có đơn vị \"{t}\" (ghi mã đơn vị hoặc tên đơn vị đúng như danh sách đơn vị)"),
                ));
            }
            found
        };
        let responsible_text = text(cells[2]);
        let responsible = if responsible_text.is_empty() {
            problems.push(problem(r, 2, HEADINGS[2], "chưa nhập đơn vị chủ trì".into()));
            None
        } else {
            one_unit(&responsible_text, 2, &mut problems)
        };
        let mut cooperating = Vec::new();
        for part in text(cells[3]).split([',', ';', '\n']).map(str::trim).filter(|p| !p.is_empty()) {
            if let Some(code) = one_unit(part, 3, &mut problems)
                && !cooperating.contains(&code)
            {
                cooperating.push(code);
            }
        }
        let date_at = |col: usize, need: bool, problems: &mut Vec<SheetProblem>| -> Option<NaiveDate> {
            match cells[col] {
                None => {
                    if need {
                        problems.push(problem(r, col as u32, HEADINGS[col], "chưa nhập thời hạn hoàn thành".into()));
                    }
                    None
                }
                Some(Cell::Text(t)) if t.trim().is_empty() => None,
                Some(c) => date(c).map_err(|m| problems.push(problem(r, col as u32, HEADINGS[col], m))).ok(),
            }
        };
        let deadline = date_at(4, true, &mut problems);
        let started_on = date_at(6, false, &mut problems);
        let done_on = date_at(7, false, &mut problems);
        let notes = text(cells[8])
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| match l.split_once(':').and_then(|(d, rest)| Some((cchc_format::parse_date(d)?, rest.trim()))) {
                Some((on, rest)) => Note { on, by: String::new(), text: rest.to_string() },
                None => Note { on: today, by: String::new(), text: l.to_string() },
            })
            .collect();
        if let (Some(deadline), Some(responsible), true) = (deadline, responsible, problems.len() == before) {
            let task = Task {
                id: 0,
                plan: 0,
                content,
                responsible,
                cooperating,
                deadline,
                output: text(cells[5]),
                started_on,
                done_on,
                notes,
                evidence: None,
                evidence_file: None,
            };
            for (field, m) in task.problems() {
                let col = HEADINGS.iter().position(|h| *h == field).unwrap_or(1) as u32;
                problems.push(problem(r, col, field, m));
            }
            tasks.push(task);
            task_rows.push(r + 1);
        }
    }
    if tasks.is_empty() && problems.is_empty() {
        problems.push(problem(head + 1, 1, HEADINGS[1], "bảng nhiệm vụ không có nhiệm vụ nào".into()));
    }
    match (kind, number, plan_date, problems.is_empty()) {
        (Some(kind), Some(number), Some(date), true) => {
            let plan = Plan {
                id: 0,
                unit: unit.to_string(),
                kind,
                number,
                date,
                issuer: field_text("Cơ quan ban hành"),
                signer: field_text("Người ký"),
                summary,
                valid_from,
                valid_to,
            };
            if let Some(a) = valid_from
                && let Some(b) = valid_to
                && b < a
            {
                let r = fields.get("Hiệu lực đến ngày").map_or(0, |(r, _)| *r);
                return Err(vec![problem(
                    r,
                    1,
                    "Hiệu lực đến ngày",
                    format!("ngày {} trước ngày bắt đầu hiệu lực {}", cchc_format::date(b), cchc_format::date(a)),
                )]);
            }
            Ok(ImportedPlan { plan, tasks, rows: task_rows })
        }
        _ => Err(problems),
    }
}

/// What the export writes: the plan's fields (label, value) and one row of texts per task,
/// units named by `unit_label` (code and name, which [`read`] takes back).
pub fn rows(plan: &Plan, tasks: &[Task], unit_label: &dyn Fn(&str) -> String) -> (Vec<(&'static str, String)>, Vec<Vec<String>>) {
    let opt = |d: Option<NaiveDate>| d.map(cchc_format::date).unwrap_or_default();
    let fields = vec![
        (FIELDS[0], plan.kind.name_vi().to_string()),
        (FIELDS[1], plan.number.clone()),
        (FIELDS[2], cchc_format::date(plan.date)),
        (FIELDS[3], plan.issuer.clone()),
        (FIELDS[4], plan.signer.clone()),
        (FIELDS[5], plan.summary.clone()),
        (FIELDS[6], opt(plan.valid_from)),
        (FIELDS[7], opt(plan.valid_to)),
    ];
    let rows = tasks
        .iter()
        .enumerate()
        .map(|(i, t)| {
            vec![
                (i + 1).to_string(),
                t.content.clone(),
                unit_label(&t.responsible),
                t.cooperating.iter().map(|c| unit_label(c)).collect::<Vec<_>>().join("; "),
                cchc_format::date(t.deadline),
                t.output.clone(),
                opt(t.started_on),
                opt(t.done_on),
                t.notes.iter().map(|n| format!("{}: {}", cchc_format::date(n.on), n.text)).collect::<Vec<_>>().join("\n"),
            ]
        })
        .collect();
    (fields, rows)
}

/// The grid of what [`rows`] gives, as the export lays it out (for tests and round trips).
pub fn grid(fields: &[(&str, String)], rows: &[Vec<String>]) -> Grid {
    let mut g = Grid::new();
    g.insert((0, 0), Cell::Text(TITLE.into()));
    for (i, (label, value)) in fields.iter().enumerate() {
        g.insert((i as u32 + 1, 0), Cell::Text((*label).into()));
        if !value.is_empty() {
            g.insert((i as u32 + 1, 1), Cell::Text(value.clone()));
        }
    }
    let head = fields.len() as u32 + 2;
    for (c, h) in HEADINGS.iter().enumerate() {
        g.insert((head, c as u32), Cell::Text((*h).into()));
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
            g.insert((head + 1 + r as u32, c as u32), Cell::Text(v.clone()));
        }
    }
    g
}

/// The unit a cell names: "30337", "30337 - Xã Lê Hồng" (as the export writes) or the name.
pub fn unit_in(text: &str, units: &[(String, String)]) -> Option<String> {
    let t = text.trim();
    let code = t.split(" - ").next().unwrap_or(t).trim();
    units
        .iter()
        .find(|(c, _)| c == code)
        .or_else(|| units.iter().find(|(_, n)| n.trim().to_lowercase() == t.to_lowercase()))
        .map(|(c, _)| c.clone())
}
