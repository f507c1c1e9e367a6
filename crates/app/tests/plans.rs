//! Plans and tasks (issue 14 item 1) through the use cases: access per role, progress by the
//! assigned unit, the report's task figures pre-filled from the records, section I's lists, and
//! the Excel table imported all or nothing with every bad row named by row and column.

use std::sync::Arc;

use cchc_app::{App, Error};
use cchc_periods::Period;
use cchc_records::{Direction, DocKind, Document, Plan, PlanKind, Task};
use cchc_report::{Key, Value};
use cchc_storage::{Role, Store, User};
use cchc_units::{Unit, UnitKind};
use chrono::NaiveDate;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn user(name: &str, role: Role, unit: &str) -> User {
    User { username: name.into(), full_name: name.into(), role, unit_code: unit.into(), password_hash: String::new(), active: true }
}

async fn app() -> (App, Arc<dyn Store>) {
    let store = cchc_storage::open("sqlite::memory:").await.unwrap();
    let u = |code: &str, name: &str, kind, parent: Option<&str>| Unit {
        code: code.into(),
        name: name.into(),
        kind,
        parent: parent.map(Into::into),
        valid_from: None,
        valid_to: None,
        issuer: None,
    };
    store
        .upsert_units(
            &[
                u("P", "Tỉnh Hà Tĩnh", UnitKind::Tinh, None),
                u("H", "UBND huyện Cẩm Xuyên", UnitKind::Huyen, Some("P")),
                u("X1", "UBND xã Cẩm Quang", UnitKind::Xa, Some("H")),
                u("X2", "UBND xã Cẩm Hà", UnitKind::Xa, Some("H")),
            ],
            &[],
        )
        .await
        .unwrap();
    let app = App::with(store.clone(), cchc_catalogue::default_catalogue(), cchc_calendar::WorkCalendar::vietnam());
    (app, store)
}

fn plan(unit: &str) -> Plan {
    Plan {
        id: 0,
        unit: unit.into(),
        kind: PlanKind::Cchc,
        number: "158/KH-UBND".into(),
        date: d(2024, 1, 17),
        issuer: "UBND huyện".into(),
        signer: "Nguyễn Văn A".into(),
        summary: "ban hành Kế hoạch CCHC năm 2024".into(),
        valid_from: None,
        valid_to: None,
    }
}

fn task(content: &str, responsible: &str, deadline: NaiveDate) -> Task {
    Task {
        id: 0,
        plan: 0,
        content: content.into(),
        responsible: responsible.into(),
        cooperating: vec![],
        deadline,
        output: "Báo cáo".into(),
        started_on: None,
        done_on: None,
        notes: vec![],
        evidence: None,
        evidence_file: None,
    }
}

#[tokio::test]
async fn three_tasks_two_done_in_time_give_the_report_two_of_three_and_section_one_lists_the_late_one() {
    let (app, store) = app().await;
    let officer = user("canbo", Role::UnitOfficer, "H");
    let tasks = vec![
        task("Rà soát quy trình nội bộ giải quyết TTHC", "H", d(2024, 3, 29)),
        task("Tuyên truyền CCHC trên Cổng TTĐT", "H", d(2024, 4, 26)),
        task("Số hóa kết quả giải quyết TTHC", "X1", d(2024, 5, 31)),
    ];
    let stored = cchc_app::plans::create(&app, &officer, plan("H"), tasks).await.unwrap();
    // Two finished in time: one by the district, one …
    for (i, done) in [(0, d(2024, 3, 20)), (1, d(2024, 4, 26))] {
        let t = &stored.tasks[i];
        let finished = Task { done_on: Some(done), ..t.value.clone() };
        assert_eq!(cchc_app::plans::update_task(&app, &officer, finished, t.version).await.unwrap(), 2);
    }
    // A stale version is a conflict in Vietnamese, nothing written.
    let stale = Task { content: "Sửa đè".into(), ..stored.tasks[0].value.clone() };
    let e = cchc_app::plans::update_task(&app, &officer, stale, 1).await.unwrap_err();
    assert!(matches!(&e, Error::Conflict(m) if m.starts_with("Nhiệm vụ đã được người khác sửa")), "{e:?}");

    // The commune sees the task assigned to it and may record progress, not change what it asks.
    let commune = user("xa1", Role::UnitOfficer, "X1");
    let list = cchc_app::plans::list(&app, &commune, "X1").await.unwrap();
    assert!(list.own.is_empty());
    assert_eq!(list.assigned.len(), 1);
    assert_eq!(list.assigned[0].tasks.len(), 1);
    let mine = list.assigned[0].tasks[0].clone();
    let started = Task { started_on: Some(d(2024, 5, 2)), ..mine.value.clone() };
    let v = cchc_app::plans::update_task(&app, &commune, started.clone(), mine.version).await.unwrap();
    let moved = Task { deadline: d(2024, 12, 31), ..started };
    assert!(matches!(cchc_app::plans::update_task(&app, &commune, moved, v).await, Err(Error::Forbidden(_))));
    // Another commune does not read the district's plans; a leader reads and never writes.
    let other = user("xa2", Role::UnitOfficer, "X2");
    assert!(matches!(cchc_app::plans::list(&app, &other, "H").await, Err(Error::Forbidden(_))));
    let leader = user("lanhdao", Role::Leader, "P");
    assert_eq!(cchc_app::plans::list(&app, &leader, "H").await.unwrap().own.len(), 1);
    assert!(matches!(
        cchc_app::plans::create(&app, &leader, Plan { number: "1/KH-UBND".into(), ..plan("H") }, vec![]).await,
        Err(Error::Forbidden(_))
    ));
    // A task assigned outside the plan's unit's subtree is refused, naming the field.
    let e = cchc_app::plans::add_task(&app, &officer, Task { plan: stored.plan.id, ..task("Lạc", "P", d(2024, 6, 1)) }).await.unwrap_err();
    assert!(e.to_string().contains("không trực thuộc") || format!("{e:?}").contains("không trực thuộc"), "{e:?}");

    // The report of the first half of 2024 (window to 14/06/2024): 3 tasks, 2 finished.
    let admin = cchc_app::access::system_user("cli");
    let opened = cchc_app::reports::open(&app, &admin, "H", Period::half(2024, 1)).await.unwrap();
    let value = |code: &str| opened.report.entries.iter().find(|e| e.key == Key::total(code)).map(|e| (e.value.clone(), e.source.clone()));
    let source = Some(cchc_records::figures::SOURCE.to_string());
    assert_eq!(value("1.2.1"), Some((Some(Value::Int(3)), source.clone())));
    assert_eq!(value("1.2.2"), Some((Some(Value::Int(2)), source.clone())));
    assert_eq!(cchc_format::ratio_percent(2, 3).map(cchc_format::percent).as_deref(), Some("66,67%"));
    // The commune's report counts the task assigned to it, overdue on 14/06.
    let commune_report = cchc_app::reports::open(&app, &admin, "X1", Period::half(2024, 1)).await.unwrap();
    let of = |code: &str| commune_report.report.entries.iter().find(|e| e.key == Key::total(code)).and_then(|e| e.value.clone());
    assert_eq!((of("1.5.1"), of("1.5.2"), of("1.5.4")), (Some(Value::Int(1)), Some(Value::Int(0)), Some(Value::Int(1))));
    // Its draft of "III. Đánh giá chung" names the overdue task assigned from above.
    store.save_report(&commune_report.report, commune_report.version, "xa1").await.unwrap();
    let doc = cchc_app::report_docs::load_document(store.as_ref(), "X1", Period::half(2024, 1)).await.unwrap();
    let draft = cchc_documents::draft::assessment(&doc).join("\n");
    assert!(draft.contains("Còn 01 nhiệm vụ cấp trên giao đã quá hạn nhưng chưa hoàn thành."), "{draft}");

    // Section I of the document lists the plan and the late task with its responsible unit.
    let window = app.rule.window(Period::half(2024, 1));
    let tree = app.tree().await.unwrap();
    let md = cchc_app::plans::section_one(store.as_ref(), &tree, "H", window).await.unwrap();
    assert!(md.contains("Kế hoạch số 158/KH-UBND ngày 17/01/2024 của UBND huyện về ban hành Kế hoạch CCHC năm 2024"), "{md}");
    assert!(md.contains("đã hoàn thành 2/3 nhiệm vụ") && md.contains("66,67%"), "{md}");
    assert!(
        md.contains("Số hóa kết quả giải quyết TTHC (đơn vị chủ trì: UBND xã Cẩm Quang; thời hạn 31/05/2024; quá hạn chưa hoàn thành)"),
        "{md}"
    );
    // Overdue and due-soon lists.
    let overdue = cchc_app::plans::tasks(&app, &officer, "H", d(2024, 6, 14), cchc_app::plans::TaskFilter::Overdue).await.unwrap();
    assert_eq!(overdue.iter().map(|r| r.task.content.as_str()).collect::<Vec<_>>(), vec!["Số hóa kết quả giải quyết TTHC"]);
    let soon = cchc_app::plans::tasks(&app, &officer, "H", d(2024, 5, 27), cchc_app::plans::TaskFilter::DueWithin(5)).await.unwrap();
    assert_eq!(soon.len(), 1);
}

#[tokio::test]
async fn documents_are_cited_in_section_one_and_counted() {
    let (app, store) = app().await;
    let officer = user("canbo", Role::UnitOfficer, "H");
    let doc = |n: &str, date, kind| Document {
        id: 0,
        unit: "H".into(),
        kind,
        direction: Direction::Issued,
        number: n.into(),
        date,
        issuer: "UBND huyện".into(),
        summary: "về việc khắc phục tồn tại, hạn chế trong công tác CCHC".into(),
    };
    cchc_app::register::create(&app, &officer, doc("106/UBND-NV", d(2024, 1, 12), DocKind::CongVan)).await.unwrap();
    cchc_app::register::create(&app, &officer, doc("99/BC-UBND", d(2024, 1, 20), DocKind::BaoCao)).await.unwrap();
    let e = cchc_app::register::create(&app, &officer, doc("106 UBND", d(2024, 1, 12), DocKind::CongVan)).await.unwrap_err();
    assert!(matches!(&e, Error::Invalid { problems, .. } if problems[0].place.as_deref() == Some("Số, ký hiệu")), "{e:?}");
    let other = user("xa2", Role::UnitOfficer, "X2");
    assert!(matches!(
        cchc_app::register::create(&app, &other, doc("1/UBND-VP", d(2024, 1, 12), DocKind::CongVan)).await,
        Err(Error::Forbidden(_))
    ));
    let tree = app.tree().await.unwrap();
    let md = cchc_app::plans::section_one(store.as_ref(), &tree, "H", app.rule.window(Period::half(2024, 1))).await.unwrap();
    assert!(md.contains("Ban hành 1 văn bản chỉ đạo"), "{md}");
    assert!(md.contains("[^hs1]: Công văn số 106/UBND-NV ngày 12/01/2024 của UBND huyện về việc khắc phục"), "{md}");
    let admin = cchc_app::access::system_user("cli");
    let opened = cchc_app::reports::open(&app, &admin, "H", Period::half(2024, 1)).await.unwrap();
    let n = opened.report.entries.iter().find(|e| e.key == Key::total("1.1")).and_then(|e| e.value.clone());
    assert_eq!(n, Some(Value::Int(1)));
}

/// The workbook of a plan with the given task rows, in the layout offices use.
fn workbook(rows: &[Vec<&str>]) -> Vec<u8> {
    let fields: Vec<(&str, String)> = vec![
        ("Loại kế hoạch", "CCHC".into()),
        ("Số, ký hiệu", "158/KH-UBND".into()),
        ("Ngày ban hành", "17/01/2024".into()),
        ("Cơ quan ban hành", "UBND huyện".into()),
        ("Người ký", "Nguyễn Văn A".into()),
        ("Trích yếu", "ban hành Kế hoạch CCHC năm 2024".into()),
        ("Hiệu lực từ ngày", String::new()),
        ("Hiệu lực đến ngày", String::new()),
    ];
    let rows: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    cchc_documents::xlsx::form::form(&cchc_documents::xlsx::form::Form {
        sheet: "Kế hoạch",
        title: cchc_records::sheet::TITLE,
        fields: &fields,
        headings: &cchc_records::sheet::HEADINGS,
        widths: &[],
        rows: &rows,
    })
    .unwrap()
}

#[tokio::test]
async fn an_imported_task_table_with_a_bad_row_names_row_and_column_and_stores_nothing() {
    let (app, store) = app().await;
    let officer = user("canbo", Role::UnitOfficer, "H");
    let bad = workbook(&[
        vec!["1", "Rà soát quy trình nội bộ", "H", "X1", "29/03/2024", "Báo cáo", "", "", ""],
        vec!["2", "Số hóa kết quả", "Xã Không Có", "", "31/02/2024", "", "", "", ""],
    ]);
    let e = cchc_app::plans::import(&app, &officer, "H", &bad).await.unwrap_err();
    let Error::Invalid { summary, problems } = &e else { panic!("{e:?}") };
    assert!(summary.contains("chưa nhập gì"), "{summary}");
    let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        vec![
            "hàng 13, cột C (Đơn vị chủ trì): không có đơn vị \"Xã Không Có\" (ghi mã đơn vị hoặc tên đơn vị đúng như danh sách đơn vị)"
                .to_string(),
            "hàng 13, cột E (Thời hạn hoàn thành): ngày 31/02/2024 không có trong lịch (viết ngày dạng dd/mm/yyyy, ví dụ 17/01/2022)"
                .to_string(),
        ]
    );
    assert!(store.plans(&["H".to_string()]).await.unwrap().is_empty());

    // The good table goes in whole; its export reads back to the same plan (units by code or name).
    let good = workbook(&[
        vec!["1", "Rà soát quy trình nội bộ", "H", "UBND xã Cẩm Quang", "29/03/2024", "Báo cáo", "", "20/03/2024", "15/03/2024: đã họp"],
        vec!["2", "Số hóa kết quả", "X1", "", "31/05/2024", "", "", "", ""],
    ]);
    let stored = cchc_app::plans::import(&app, &officer, "H", &good).await.unwrap();
    assert_eq!(stored.tasks.len(), 2);
    assert_eq!(stored.tasks[0].value.cooperating, vec!["X1".to_string()]);
    assert_eq!(stored.tasks[0].value.done_on, Some(d(2024, 3, 20)));
    let audit = store.audit(&cchc_storage::AuditFilter { unit_code: Some("H".into()), ..Default::default() }).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "nhập kế hoạch từ Excel" && a.by == "canbo"), "{audit:?}");
    let (_, bytes) = cchc_app::plans::export(&app, &officer, stored.plan.id).await.unwrap();
    let compiler = user("tonghop", Role::Compiler, "P");
    let again = cchc_app::plans::import(&app, &compiler, "P", &bytes).await.unwrap();
    assert_eq!(Plan { id: 0, unit: "H".into(), ..again.plan.clone() }, Plan { id: 0, ..stored.plan.clone() });
    let strip = |ts: &[cchc_storage::Versioned<Task>]| ts.iter().map(|t| Task { id: 0, plan: 0, ..t.value.clone() }).collect::<Vec<_>>();
    assert_eq!(strip(&again.tasks), strip(&stored.tasks));
    // The same plan twice in one unit is refused.
    assert!(cchc_app::plans::import(&app, &officer, "H", &good).await.is_err());
}

/// The example workbook (`examples/plans/ke-hoach-cchc.xlsx`, written by this test when
/// `CCHC_WRITE_EXAMPLES=1`) imports for the examples' district.
#[tokio::test]
async fn the_example_workbook_imports() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/plans/ke-hoach-cchc.xlsx");
    if std::env::var("CCHC_WRITE_EXAMPLES").is_ok() {
        let fields: Vec<(&str, String)> = vec![
            ("Loại kế hoạch", "CCHC".into()),
            ("Số, ký hiệu", "158/KH-UBND".into()),
            ("Ngày ban hành", "17/01/2022".into()),
            ("Cơ quan ban hành", "UBND huyện".into()),
            ("Người ký", "Nguyễn Văn A".into()),
            ("Trích yếu", "ban hành Kế hoạch CCHC năm 2022".into()),
            ("Hiệu lực từ ngày", "01/01/2022".into()),
            ("Hiệu lực đến ngày", "31/12/2022".into()),
        ];
        let t = "42-CAMXUYEN";
        let rows: Vec<Vec<String>> = [
            [
                "1",
                "Khắc phục tồn tại, hạn chế và các tiêu chí bị trừ điểm trong công tác CCHC năm 2021",
                t,
                "",
                "31/03/2022",
                "Kế hoạch, báo cáo kết quả khắc phục",
                "12/01/2022",
                "04/03/2022",
                "04/03/2022: ban hành Kế hoạch số 468/KH-UBND",
            ],
            [
                "2",
                "Tuyên truyền CCHC trên sóng phát thanh và Cổng thông tin điện tử huyện",
                t,
                "",
                "30/06/2022",
                "Tin, bài tuyên truyền",
                "03/01/2022",
                "",
                "",
            ],
            [
                "3",
                "Khảo sát sự hài lòng của người dân, tổ chức tại Trung tâm hành chính công",
                t,
                "",
                "30/06/2022",
                "Báo cáo kết quả khảo sát",
                "21/02/2022",
                "10/06/2022",
                "",
            ],
            [
                "4",
                "Rà soát, đánh giá thành phần hồ sơ, quy trình nội bộ giải quyết TTHC",
                t,
                "",
                "30/09/2022",
                "Danh mục đề xuất đơn giản hóa",
                "",
                "",
                "",
            ],
            [
                "5",
                "Xây dựng, áp dụng và duy trì hệ thống quản lý chất lượng ISO 9001:2015",
                t,
                "",
                "15/12/2022",
                "Quyết định công bố",
                "",
                "",
                "",
            ],
        ]
        .iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
        let bytes = cchc_documents::xlsx::form::form(&cchc_documents::xlsx::form::Form {
            sheet: cchc_records::sheet::SHEET,
            title: cchc_records::sheet::TITLE,
            fields: &fields,
            headings: &cchc_records::sheet::HEADINGS,
            widths: &[6.0, 48.0, 26.0, 26.0, 14.0, 24.0, 14.0, 14.0, 36.0],
            rows: &rows,
        })
        .unwrap();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
    }
    let store = cchc_storage::open("sqlite::memory:").await.unwrap();
    let units = cchc_units::file::UnitsFile::parse(include_str!("../../../examples/units.json")).unwrap();
    store.upsert_units(&units.units, &units.lineage).await.unwrap();
    let app = App::with(store.clone(), cchc_catalogue::default_catalogue(), cchc_calendar::WorkCalendar::vietnam());
    let bytes = std::fs::read(&path).expect("examples/plans/ke-hoach-cchc.xlsx");
    let stored = cchc_app::plans::import(&app, &cchc_app::access::system_user("cli"), "42-CAMXUYEN", &bytes).await.unwrap();
    assert_eq!(stored.plan.citation(), "Kế hoạch số 158/KH-UBND ngày 17/01/2022 của UBND huyện về ban hành Kế hoạch CCHC năm 2022");
    assert_eq!(stored.tasks.len(), 5);
}

/// The demo's commune: section I of its 6-month report's DOCX cites each plan and directive
/// document of the window by number and date (the documents in a footnote), with the plan's
/// tasks finished and the unfinished ones with their responsible units.
#[tokio::test]
async fn section_one_of_a_demo_units_docx_cites_each_document_by_number_and_date() {
    let store = cchc_storage::open("sqlite::memory:").await.unwrap();
    let catalogue = cchc_catalogue::default_catalogue();
    cchc_app::demo::seed(store.as_ref(), &catalogue, 50).await.unwrap();
    let doc = cchc_app::report_docs::load_document(store.as_ref(), "99101N", Period::half(2026, 1)).await.unwrap();
    let section = doc.report.narrative.get("I").cloned().unwrap_or_default();
    let cited = [
        "Kế hoạch số 05/KH-UBND ngày 12/01/2026",
        "Kế hoạch số 09/KH-UBND ngày 20/01/2026",
        "Công văn số 15/UBND-VP ngày 14/01/2026",
        "Quyết định số 22/QĐ-UBND ngày 05/02/2026",
        "Công văn số 88/UBND-VP ngày 10/04/2026",
    ];
    for c in cited {
        assert!(section.contains(c), "{c}: {section}");
    }
    // Its own reports and the documents it received are not directive documents it issued.
    assert!(!section.contains("41/BC-UBND") && !section.contains("355/HD-SNV"), "{section}");
    assert!(section.contains("đã hoàn thành 4/6 nhiệm vụ") && section.contains("66,67%"), "{section}");
    assert!(
        section.contains("Số hóa kết quả giải quyết TTHC lĩnh vực hộ tịch (đơn vị chủ trì: Xã Sơn Hà; thời hạn 30/06/2026"),
        "{section}"
    );
    // The same in the DOCX: the text and the footnotes.
    let bytes = cchc_documents::docx::render(&doc).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    for part in ["word/document.xml", "word/footnotes.xml"] {
        use std::io::Read;
        zip.by_name(part).unwrap().read_to_string(&mut xml).unwrap();
    }
    for c in cited {
        assert!(xml.contains(c), "{c} not in the DOCX");
    }
    // The report's task figures come from the records: 6 tasks, 4 finished by 14/06/2026.
    let value = |code: &str| doc.report.entries.iter().find(|e| e.key == Key::total(code)).and_then(|e| e.value.clone());
    assert_eq!((value("1.2.1"), value("1.2.2")), (Some(Value::Int(6)), Some(Value::Int(4))));
}

/// The province compiles its 6-month report: the directive documents the communes' reports
/// state (from their registers) are added to its own, although both come from a `source` and
/// the province's ledger figures are its whole subtree's — the records are each unit's own.
#[tokio::test]
async fn a_compiled_report_adds_the_units_records_figures_to_its_own() {
    let store = cchc_storage::open("sqlite::memory:").await.unwrap();
    let catalogue = cchc_catalogue::default_catalogue();
    cchc_app::demo::seed(store.as_ref(), &catalogue, 50).await.unwrap();
    let app = App::with(store.clone(), catalogue, cchc_calendar::WorkCalendar::vietnam());
    let compiler = store.user("tonghop").await.unwrap().unwrap();
    let own = cchc_app::plans::figures_for(store.as_ref(), &app.calendar(), &app.rule, "99", Period::half(2026, 1)).await.unwrap();
    assert_eq!(own.directive_documents, Some(4));
    let commune = store.report("99201N", Period::half(2026, 1)).await.unwrap().unwrap();
    assert_eq!(commune.report.value(&Key::total("1.1")), Some(&Value::Int(2)), "the commune's register: 07/KH-UBND, 19/UBND-VP");
    // The province's own draft, with the ledger's figures (its subtree's) and its records'.
    let opened = cchc_app::reports::open(&app, &compiler, "99", Period::half(2026, 1)).await.unwrap();
    assert!(opened.report.entries.iter().any(|e| e.source.as_deref() == Some(cchc_dossiers::prefill::SOURCE)));
    store.save_report(&opened.report, opened.version, "tonghop").await.unwrap();
    let (compiled, _) = cchc_app::compile::compiled(&app, &compiler, "99", Period::half(2026, 1)).await.unwrap();
    assert!(compiled.from_below.contains(&Key::total("1.1")), "{:?}", compiled.from_below);
    assert_eq!(compiled.report.value(&Key::total("1.1")), Some(&Value::Int(6)));
}

#[tokio::test]
async fn the_assigned_unit_uploads_evidence_that_its_plan_reads_and_no_other_unit_sees() {
    let (app, _) = app().await;
    let district = user("nv.huyen", Role::Compiler, "H");
    let stored = cchc_app::plans::create(&app, &district, plan("H"), vec![task("Rà soát TTHC", "X1", d(2024, 3, 31))]).await.unwrap();
    let t = stored.tasks[0].clone();
    let commune = user("cb.x1", Role::UnitOfficer, "X1");
    let pdf = b"%PDF-1.7\nbien ban".to_vec();
    let kept = cchc_app::plans::attach_evidence(&app, &commune, t.value.id, t.version, "Biên bản.pdf", pdf.clone()).await.unwrap();
    assert_eq!(kept.version, t.version + 1);
    assert_eq!(kept.value.evidence_file.as_ref().map(|f| (f.name.as_str(), f.size)), Some(("Biên bản.pdf", pdf.len() as u64)));
    // The district reads it back; recording progress afterwards keeps it.
    let file = cchc_app::plans::evidence_file(&app, &district, t.value.id).await.unwrap();
    assert_eq!((file.name.as_str(), file.content_type.as_str(), file.data), ("Biên bản.pdf", "application/pdf", pdf));
    let progress = cchc_app::plans::Progress { done_on: Some(d(2024, 3, 20)), ..Default::default() };
    let after = cchc_app::plans::record_progress(&app, &commune, t.value.id, kept.version, progress).await.unwrap();
    assert_eq!(after.value.evidence_file, kept.value.evidence_file);
    // Another commune neither uploads nor learns the file exists.
    let other = user("cb.x2", Role::UnitOfficer, "X2");
    let refused = cchc_app::plans::attach_evidence(&app, &other, t.value.id, after.version, "x.pdf", b"%PDF-".to_vec()).await;
    assert!(matches!(refused, Err(Error::Forbidden(_))), "{refused:?}");
    assert!(matches!(cchc_app::plans::evidence_file(&app, &other, t.value.id).await, Err(Error::NotFound(_))));
    // A file that is not what its name says, or a stale version: refused, nothing changed.
    let bad = cchc_app::plans::attach_evidence(&app, &commune, t.value.id, after.version, "anh.png", b"%PDF-".to_vec()).await;
    match bad {
        Err(Error::Invalid { problems, .. }) => {
            assert_eq!(problems[0].to_string(), "Tệp minh chứng: nội dung tệp \"anh.png\" không phải tệp .png (tệp hỏng hoặc đặt sai đuôi)")
        }
        other => panic!("{other:?}"),
    }
    let stale = cchc_app::plans::attach_evidence(&app, &commune, t.value.id, kept.version, "moi.pdf", b"%PDF-".to_vec()).await;
    assert!(matches!(stale, Err(Error::Conflict(_))), "{stale:?}");
    assert_eq!(cchc_app::plans::evidence_file(&app, &district, t.value.id).await.unwrap().name, "Biên bản.pdf");
}

#[tokio::test]
async fn section_one_follows_the_window_rule_in_force_when_the_report_states_none() {
    let (mut app, store) = app().await;
    let officer = user("canbo", Role::UnitOfficer, "H");
    let doc = Document {
        id: 0,
        unit: "H".into(),
        kind: DocKind::CongVan,
        direction: Direction::Issued,
        number: "12/UBND-NV".into(),
        // Within 10/12/2023–09/06/2024 (the rule "10th → 9th"), before the default 15/12/2023.
        date: d(2023, 12, 11),
        issuer: "UBND huyện".into(),
        summary: "về triển khai công tác CCHC".into(),
    };
    cchc_app::register::create(&app, &officer, doc).await.unwrap();
    let period = Period::half(2024, 1);
    let unit = cchc_report::UnitRef { code: "H".into(), name: "UBND huyện Cẩm Xuyên".into(), kind: UnitKind::Huyen, parent: None };
    let report = cchc_report::UnitReport::new("vn-default@2022.1", unit, period);
    assert!(report.window.is_none());
    store.save_report(&report, None, "canbo").await.unwrap();
    let cited =
        |doc: &cchc_documents::ReportDocument| doc.report.narrative.values().any(|t| t.contains("Công văn số 12/UBND-NV ngày 11/12/2023"));
    assert!(!cited(&cchc_app::reports::document(&app, &officer, "H", period).await.unwrap()), "outside the default window");
    app.rule = cchc_periods::WindowRule::tenth_to_ninth();
    assert!(cited(&cchc_app::reports::document(&app, &officer, "H", period).await.unwrap()), "inside the rule in force");
}
