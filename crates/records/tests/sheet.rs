//! The plan's Excel table: a round trip, and rows with problems named by row and column.

use cchc_records::sheet::{Cell, Grid, grid, read, rows, unit_in};
use cchc_records::{Plan, PlanKind, Task};
use chrono::NaiveDate;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn units() -> Vec<(String, String)> {
    vec![("H".into(), "UBND huyện Cẩm Xuyên".into()), ("X1".into(), "UBND xã Cẩm Quang".into()), ("X2".into(), "UBND xã Cẩm Hà".into())]
}

fn example() -> (Plan, Vec<Task>) {
    let plan = Plan {
        id: 0,
        unit: "H".into(),
        kind: PlanKind::Cchc,
        number: "158/KH-UBND".into(),
        date: d(2022, 1, 17),
        issuer: "UBND huyện".into(),
        signer: "Nguyễn Văn A".into(),
        summary: "ban hành Kế hoạch CCHC năm 2022".into(),
        valid_from: None,
        valid_to: Some(d(2022, 12, 31)),
    };
    let task = |content: &str, resp: &str, coop: &[&str], deadline, done| Task {
        id: 0,
        plan: 0,
        content: content.into(),
        responsible: resp.into(),
        cooperating: coop.iter().map(|s| s.to_string()).collect(),
        deadline,
        output: "Báo cáo".into(),
        started_on: None,
        done_on: done,
        notes: vec![],
        evidence: None,
        evidence_file: None,
    };
    let tasks = vec![
        task("Rà soát quy trình nội bộ", "H", &["X1"], d(2022, 3, 31), Some(d(2022, 3, 30))),
        task("Số hóa kết quả giải quyết TTHC", "X1", &["H", "X2"], d(2022, 6, 30), None),
    ];
    (plan, tasks)
}

fn resolve(t: &str) -> Option<String> {
    unit_in(t, &units())
}

#[test]
fn a_plan_round_trips_through_its_table() {
    let (plan, tasks) = example();
    let label = |c: &str| format!("{c} - {}", units().into_iter().find(|(k, _)| k == c).unwrap().1);
    let (fields, rows) = rows(&plan, &tasks, &label);
    let back = read(&grid(&fields, &rows), "H", &resolve, d(2022, 7, 1)).unwrap();
    assert_eq!(back.plan, plan);
    assert_eq!(back.tasks, tasks);
}

#[test]
fn bad_rows_are_named_by_row_and_column_and_nothing_is_returned() {
    let (plan, tasks) = example();
    let (fields, rows) = rows(&plan, &tasks, &|c: &str| c.to_string());
    let mut g: Grid = grid(&fields, &rows);
    // Row 12 is the first task (heading on row 11): an impossible date and an unknown unit.
    g.insert((11, 4), Cell::Text("31/02/2022".into()));
    g.insert((12, 2), Cell::Text("Xã Không Có".into()));
    g.insert((12, 7), Cell::Text("ngày mai".into()));
    let problems = read(&g, "H", &resolve, d(2022, 7, 1)).unwrap_err();
    let texts: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        texts,
        vec![
            "Hàng 12, cột E (Thời hạn hoàn thành): ngày 31/02/2022 không có trong lịch (viết ngày dạng dd/mm/yyyy, ví dụ 17/01/2022)"
                .to_string(),
            "Hàng 13, cột C (Đơn vị chủ trì): không có đơn vị \"Xã Không Có\" (ghi mã đơn vị hoặc tên đơn vị đúng như danh sách đơn vị)"
                .to_string(),
            "Hàng 13, cột H (Ngày hoàn thành): \"ngày mai\" không phải là ngày (viết ngày dạng dd/mm/yyyy, ví dụ 17/01/2022)".to_string(),
        ]
    );
}

#[test]
fn excel_dates_and_day_numbers_are_dates() {
    let (plan, tasks) = example();
    let (fields, rows) = rows(&plan, &tasks, &|c: &str| c.to_string());
    let mut g = grid(&fields, &rows);
    g.insert((11, 4), Cell::Date(d(2022, 4, 1)));
    g.insert((12, 4), Cell::Number(44_742.0)); // 30/06/2022
    let back = read(&g, "H", &resolve, d(2022, 7, 1)).unwrap();
    assert_eq!(back.tasks[0].deadline, d(2022, 4, 1));
    assert_eq!(back.tasks[1].deadline, d(2022, 6, 30));
}

#[test]
fn a_sheet_without_the_table_or_the_plan_fields_says_so() {
    let mut g = Grid::new();
    g.insert((0, 0), Cell::Text("Danh sách".into()));
    let p = read(&g, "H", &resolve, d(2022, 7, 1)).unwrap_err();
    assert!(p[0].to_string().contains("STT"), "{p:?}");
    let (plan, tasks) = example();
    let (mut fields, rows) = rows(&plan, &tasks, &|c: &str| c.to_string());
    fields[1].1 = "158-KH".into();
    fields[0].1 = "Kế hoạch lạ".into();
    let p: Vec<String> = read(&grid(&fields, &rows), "H", &resolve, d(2022, 7, 1)).unwrap_err().iter().map(ToString::to_string).collect();
    assert!(p[0].starts_with("Hàng 2, cột B (Loại kế hoạch): không có loại kế hoạch \"Kế hoạch lạ\""), "{p:?}");
    assert!(p[1].starts_with("Hàng 3, cột B (Số, ký hiệu):"), "{p:?}");
}
