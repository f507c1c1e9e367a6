//! The DOCX parts validated against the ECMA-376 schemas by a validator (PyPI `openxml-audit`,
//! `-f microsoft365`, installed by scripts/test-env.sh, found through CCHC_OPENXML_AUDIT): the
//! three examples, a narrative with headings, a table and a footnote, and a compiled report. One
//! finding is ignored, and only that one: the package
//! has no theme part (docx-rs 0.4 writes none); Word and LibreOffice open such files, and the
//! document names every font itself.

mod common;

use std::process::Command;

use cchc_app::{App, compile};
use cchc_catalogue::default_catalogue;
use cchc_documents::ReportDocument;
use cchc_storage::Role;
use cchc_units::UnitKind;

const IGNORED: &str = "relationships/theme' is missing";

/// The validator's findings on `docx`, without the ignored one; `None` when the validator is not
/// installed outside CI (in CI it must be).
fn findings(docx: &[u8], name: &str) -> Option<Vec<String>> {
    let tool = std::env::var("CCHC_OPENXML_AUDIT").unwrap_or_else(|_| "openxml-audit".into());
    let path = std::env::temp_dir().join(format!("cchc-schema-{}-{name}.docx", std::process::id()));
    std::fs::write(&path, docx).unwrap();
    let out = Command::new(&tool).args(["-f", "microsoft365", "-m", "0", "-o", "json"]).arg(&path).output();
    let _ = std::fs::remove_file(&path);
    let out = match out {
        Ok(o) => o,
        Err(_) if std::env::var("CI").as_deref() != Ok("true") => {
            eprintln!("openxml-audit is not installed: the schema test is skipped outside CI");
            return None;
        }
        Err(e) => panic!("openxml-audit ({tool}) must be installed in CI (scripts/test-env.sh): {e}"),
    };
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stdout)));
    let errors = report[0]["errors"].as_array().cloned().unwrap_or_default();
    Some(
        errors
            .iter()
            .map(|e| {
                format!(
                    "{} {} {}",
                    e["part_uri"].as_str().unwrap_or(""),
                    e["path"].as_str().unwrap_or(""),
                    e["description"].as_str().unwrap_or("")
                )
            })
            .filter(|m| !m.contains(IGNORED))
            .collect(),
    )
}

#[test]
fn the_examples_pass_the_schema_validator() {
    for name in ["cam-xuyen-2022-h1.json", "le-hong-2022-h1.json", "my-tu-2021.json"] {
        let text = std::fs::read_to_string(format!("{}/../../examples/reports/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let cat = default_catalogue();
        let docx = cchc_documents::docx::render(&ReportDocument::new(cchc_report::file::read(&text, &cat).unwrap(), cat)).unwrap();
        if let Some(found) = findings(&docx, name) {
            assert!(found.is_empty(), "{name}: {found:#?}");
        }
    }
}

#[test]
fn footnotes_tables_and_headings_of_a_narrative_pass_the_schema_validator() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/reports/le-hong-2022-h1.json")).unwrap();
    let cat = default_catalogue();
    let mut report = cchc_report::file::read(&text, &cat).unwrap();
    report.narrative.insert(
        "II.4".into(),
        "## 4.1. Số lượng\nTổng số 20 người[^1], **đủ** biên chế *theo* quy định.\n| Chức danh | Số lượng |\n|---|---|\n| Cán bộ | 10 |\n- Ý một\n  + ý nhỏ\n\n[^1]: Theo Quyết định số 12/QĐ-UBND."
            .into(),
    );
    let docx = cchc_documents::docx::render(&ReportDocument::new(report, cat)).unwrap();
    if let Some(found) = findings(&docx, "narrative") {
        assert!(found.is_empty(), "{found:#?}");
    }
}

#[tokio::test]
async fn a_compiled_report_passes_the_schema_validator() {
    let u = common::unit;
    let store = common::store_with(&[
        u("42", UnitKind::Tinh, None),
        u("42-CAMXUYEN", UnitKind::Huyen, Some("42")),
        u("42-CX-A", UnitKind::Xa, Some("42-CAMXUYEN")),
    ])
    .await;
    let app = App::load(store.clone()).await.unwrap();
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/reports/cam-xuyen-2022-h1.json")).unwrap();
    store.save_report(&cchc_report::file::read(&text, &app.catalogue()).unwrap(), None, "vanphong").await.unwrap();
    let period = "2022-H1".parse().unwrap();
    let mut commune = cchc_report::UnitReport::new(
        "vn-default@2022.1",
        cchc_report::UnitRef { code: "42-CX-A".into(), name: "Xã A".into(), kind: UnitKind::Xa, parent: None },
        period,
    );
    commune.set(cchc_report::Key::total("1.10.1"), Some(cchc_report::Value::Int(12)));
    let rec = store.save_report(&commune, None, "xa").await.unwrap();
    store.transition("42-CX-A", period, cchc_report::workflow::Action::Submit, None, "xa", rec.version).await.unwrap();
    let office = common::user(Role::Compiler, "42-CAMXUYEN");
    compile::compile_report(&app, &office, "42-CAMXUYEN", period).await.unwrap();
    let doc = cchc_app::reports::document(&app, &office, "42-CAMXUYEN", period).await.unwrap();
    let docx = cchc_documents::docx::render(&doc).unwrap();
    if let Some(found) = findings(&docx, "compiled") {
        assert!(found.is_empty(), "{found:#?}");
    }
}

#[test]
fn the_counters_forms_pass_the_schema_validator() {
    use cchc_documents::counter_forms::{self, Context, Form, Party};
    let d: cchc_dossiers::Dossier = serde_json::from_value(serde_json::json!({
        "id": "LH-241022-0001", "unit": "LH", "procedure": "1.001193",
        "events": [
            {"at": "2024-10-22T09:16:00", "kind": "received", "channel": "direct"},
            {"at": "2024-10-23T10:00:00", "kind": "supplement-requested"},
            {"at": "2024-10-28T08:30:00", "kind": "supplement-provided"},
            {"at": "2024-10-30T15:00:00", "kind": "extended", "new_due": "2024-11-05T16:00:00", "apology": true},
            {"at": "2024-11-06T10:00:00", "kind": "withdrawn"},
        ],
    }))
    .unwrap();
    let p = cchc_dossiers::Procedure {
        code: "1.001193".into(),
        name: "Đăng ký khai sinh".into(),
        field: "ho-tich".into(),
        level: cchc_units::Level::Xa,
        time: cchc_dossiers::ProcessingTime::WorkingDays(3),
        online: cchc_dossiers::OnlineClass::Partial,
        fee: None,
    };
    let ctx = Context {
        issuer: "ỦY BAN NHÂN DÂN XÃ LÊ HỒNG".into(),
        unit_name: "Ủy ban nhân dân xã Lê Hồng".into(),
        place: "Lê Hồng".into(),
        applicant: Some(Party { name: "Nguyễn Văn An".into(), ..Party::default() }),
        lookup_url: "https://cchc.example.vn/tra-cuu?ma=LH-241022-0001".into(),
        survey_url: "https://cchc.example.vn/survey/LH-241022-0001".into(),
        ..Context::default()
    };
    for form in [Form::Receipt, Form::Supplement, Form::Apology, Form::Stop, Form::Control] {
        let sheet = counter_forms::sheet(form, &d, &p, &cchc_calendar::WorkCalendar::vietnam(), ctx.clone()).unwrap();
        let docx = counter_forms::render(&sheet).unwrap();
        if let Some(found) = findings(&docx, &format!("mau-{}", form.number())) {
            assert!(found.is_empty(), "form {}: {found:#?}", form.number());
        }
    }
}
