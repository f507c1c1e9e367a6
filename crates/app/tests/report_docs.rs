//! The report documents loaded from the store: comparison with last year across a merger (the
//! predecessors' reports summed), and the PDF conversion through LibreOffice.

use cchc_app::report_docs;
use cchc_periods::Period;
use cchc_report::{Key, UnitRef, UnitReport, Value};
use cchc_units::{LineageEdge, LineageKind, Unit, UnitKind};
use chrono::NaiveDate;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn unit(code: &str, name: &str, kind: UnitKind, parent: Option<&str>, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Unit {
    Unit { code: code.into(), name: name.into(), kind, parent: parent.map(Into::into), valid_from: from, valid_to: to, issuer: None }
}

fn report(code: &str, name: &str, period: &str, resolved: i64, in_time: i64) -> UnitReport {
    let r = UnitRef { code: code.into(), name: name.into(), kind: UnitKind::Xa, parent: None };
    let mut rep = UnitReport::new("vn-default@2022.1", r, period.parse().unwrap());
    rep.set(Key::total("3.6.1"), Some(Value::Int(resolved)));
    rep.set(Key::total("3.6.4"), Some(Value::Int(in_time)));
    rep.set(Key::total("3.6.5"), Some(Value::Int(resolved - in_time)));
    rep
}

async fn merged_store() -> std::sync::Arc<dyn cchc_storage::Store> {
    let store = cchc_storage::open("sqlite::memory:").await.unwrap();
    let merged = day(2025, 1, 1);
    let units = [
        unit("T", "Tỉnh Thử", UnitKind::Tinh, None, None, None),
        unit("A", "Xã An", UnitKind::Xa, Some("T"), None, Some(day(2024, 12, 31))),
        unit("B", "Xã Bình", UnitKind::Xa, Some("T"), None, Some(day(2024, 12, 31))),
        unit("C", "Xã An Bình", UnitKind::Xa, Some("T"), Some(merged), None),
    ];
    let edge = |from: &str| LineageEdge { from: from.into(), to: "C".into(), kind: LineageKind::MergedInto, date: merged, basis: None };
    store.upsert_units(&units, &[edge("A"), edge("B")]).await.unwrap();
    // Last year A resolved 90 of 100 in time and B 100 of 100: together 190/200 = 95,00%.
    store.save_report(&report("A", "Xã An", "2024-H1", 100, 90), None, "test").await.unwrap();
    store.save_report(&report("B", "Xã Bình", "2024-H1", 100, 100), None, "test").await.unwrap();
    store.save_report(&report("C", "Xã An Bình", "2025-H1", 100, 98), None, "test").await.unwrap();
    store
}

#[tokio::test]
async fn last_year_across_a_merger_sums_the_predecessors() {
    let store = merged_store().await;
    // And the previous period, 2024-H2, from the predecessors too: 99/100 + 96/100 = 97,50%.
    store.save_report(&report("A", "Xã An", "2024-H2", 100, 99), None, "test").await.unwrap();
    store.save_report(&report("B", "Xã Bình", "2024-H2", 100, 96), None, "test").await.unwrap();
    let period: Period = "2025-H1".parse().unwrap();
    let doc = report_docs::load_document(store.as_ref(), "C", period).await.unwrap();
    let last = doc.last_year.as_ref().expect("last year's figures of A and B");
    assert_eq!(last.value(&Key::total("3.6.1")), Some(&Value::Int(200)));
    assert_eq!(last.value(&Key::total("3.6.4")), Some(&Value::Int(190)));
    assert_eq!(doc.previous_period.as_ref().unwrap().value(&Key::total("3.6.4")), Some(&Value::Int(195)));
    let sentences = doc.sentences("II.2");
    assert!(
        sentences.iter().any(|s| s.contains("đạt 98,00%, tăng 3,00 điểm phần trăm so với cùng kỳ năm 2024; tăng 0,50 điểm phần trăm so với kỳ trước (6 tháng cuối năm 2024).")),
        "{sentences:?}"
    );
}

#[tokio::test]
async fn a_generated_report_converts_to_pdf() {
    let store = merged_store().await;
    let doc = report_docs::load_document(store.as_ref(), "C", "2025-H1".parse().unwrap()).await.unwrap();
    let docx = cchc_documents::docx::render(&doc).unwrap();
    let pdf = report_docs::convert_to_pdf(&docx).expect("LibreOffice is installed by scripts/test-env.sh");
    assert!(pdf.starts_with(b"%PDF"), "a PDF file");
    assert!(pdf.len() > 10_000, "{} bytes", pdf.len());
}

#[test]
fn without_libreoffice_the_message_says_so_in_vietnamese() {
    let err = report_docs::convert_to_pdf_with("/nonexistent/soffice", b"not a docx").unwrap_err().to_string();
    assert!(err.contains("máy chưa cài LibreOffice"), "{err}");
}

#[tokio::test]
async fn unit_settings_fill_the_document_metadata() {
    let store = merged_store().await;
    report_docs::update_settings(store.as_ref(), "C", |s| {
        s.symbol = Some("BC-UBND".into());
        s.sign_for = Some("TM. ỦY BAN NHÂN DÂN".into());
        s.signer_title = Some("CHỦ TỊCH".into());
        s.signer = Some("Nguyễn Văn An".into());
        s.recipients = vec!["UBND tỉnh;".into(), "Lưu: VT.".into()];
    })
    .await
    .unwrap();
    assert!(report_docs::update_settings(store.as_ref(), "NOPE", |_| {}).await.is_err(), "unknown unit");
    let doc = report_docs::load_document(store.as_ref(), "C", "2025-H1".parse().unwrap()).await.unwrap();
    let m = &doc.report.document;
    assert_eq!(m.signer.as_deref(), Some("Nguyễn Văn An"));
    assert_eq!(m.recipients, ["UBND tỉnh;", "Lưu: VT."]);
    assert_eq!(cchc_documents::docx::number_line(m.number.as_deref(), None), "Số:        /BC-UBND");
}

#[tokio::test]
async fn the_units_issuer_fills_the_header_unless_its_document_settings_state_one() {
    let store = merged_store().await;
    let period: Period = "2025-H1".parse().unwrap();
    let issuer = |doc: &cchc_documents::ReportDocument| doc.report.document.issuer.clone();
    // Without a setting anywhere the documents crate names the People's Committee itself.
    assert_eq!(issuer(&report_docs::load_document(store.as_ref(), "C", period).await.unwrap()), None);
    // The units file's `issuer`, with its break, is the header's.
    let mut c = unit("C", "Xã An Bình", UnitKind::Xa, Some("T"), Some(day(2025, 1, 1)), None);
    c.issuer = Some("ỦY BAN NHÂN DÂN\nXÃ AN BÌNH".into());
    store.upsert_units(&[c], &[]).await.unwrap();
    let stored = store.unit_tree().await.unwrap().get("C").unwrap().issuer.clone();
    assert_eq!(stored.as_deref(), Some("ỦY BAN NHÂN DÂN\nXÃ AN BÌNH"), "kept with the unit");
    let doc = report_docs::load_document(store.as_ref(), "C", period).await.unwrap();
    assert_eq!(issuer(&doc).as_deref(), Some("ỦY BAN NHÂN DÂN\nXÃ AN BÌNH"));
    let docx = String::from_utf8_lossy(&zip_part(&cchc_documents::docx::render(&doc).unwrap(), "word/document.xml")).to_string();
    let at = docx.find(">ỦY BAN NHÂN DÂN<").expect("the body on its own line");
    assert!(docx[at..].find("<w:br").unwrap() < docx[at..].find(">XÃ AN BÌNH<").unwrap(), "broken where typed");
    // The unit's document settings come before it.
    report_docs::update_settings(store.as_ref(), "C", |s| s.issuer = Some("ỦY BAN NHÂN DÂN XÃ AN BÌNH MỚI".into())).await.unwrap();
    let doc = report_docs::load_document(store.as_ref(), "C", period).await.unwrap();
    assert_eq!(issuer(&doc).as_deref(), Some("ỦY BAN NHÂN DÂN XÃ AN BÌNH MỚI"));
}

fn zip_part(bytes: &[u8], name: &str) -> Vec<u8> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = Vec::new();
    zip.by_name(name).unwrap().read_to_end(&mut out).unwrap();
    out
}
