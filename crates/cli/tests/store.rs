//! `cchc units import`, `cchc import` and `cchc rollup` against a real SQLite file: a district
//! compiled from its communes, with one missing, and nothing stored when a report has an error.

mod common;
use std::path::{Path, PathBuf};

use common::cchc;

fn temp(name: &str) -> PathBuf {
    common::temp("store", name)
}

fn commune_report(dir: &Path, code: &str, name: &str, figures: &str) -> PathBuf {
    let path = dir.join(format!("{code}.json"));
    std::fs::write(
        &path,
        format!(
            r#"{{"format": "cchc-unit-report/1", "catalogue": "vn-default@2022.1",
        "unit": {{"code": "{code}", "name": "{name}", "kind": "xa"}}, "period": "2024-H1", "values": [{figures}]}}"#
        ),
    )
    .unwrap();
    path
}

#[test]
fn a_district_is_compiled_from_imported_communes() {
    let dir = temp("rollup");
    let db = dir.join("cchc.db");
    let r = cchc(&db, &["units", "import", "data/demo/units.json"]);
    assert_eq!(r.code, 0, "{}", r.out);
    assert!(r.out.contains("Đã nhập 28 đơn vị và 13 quan hệ lịch sử."), "{}", r.out);

    let ok1 = commune_report(
        &dir,
        "99202",
        "Xã Lạc Hòa",
        r#"{"code": "3.6.1", "value": 10}, {"code": "3.6.4", "value": 9}, {"code": "3.6.5", "value": 1}, {"code": "1.7", "value": 1}"#,
    );
    let ok2 = commune_report(
        &dir,
        "99203",
        "Xã Lạc An",
        r#"{"code": "3.6.1", "value": 100}, {"code": "3.6.4", "value": 1}, {"code": "3.6.5", "value": 99}, {"code": "1.7", "value": 0}"#,
    );
    let bad = commune_report(&dir, "99204", "Xã Lạc Phú", r#"{"code": "3.6.1", "value": 10}, {"code": "3.6.4", "value": 9}"#);
    for f in [&ok1, &ok2] {
        let r = cchc(&db, &["import", f.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{}", r.out);
    }
    // An error-level finding: nothing stored.
    let bad_fixed = std::fs::read_to_string(&bad)
        .unwrap()
        .replace(r#"{"code": "3.6.4", "value": 9}"#, r#"{"code": "3.6.4", "value": 9}, {"code": "3.6.5", "value": 5}"#);
    std::fs::write(&bad, bad_fixed).unwrap();
    let r = cchc(&db, &["import", bad.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.out);
    assert!(r.out.contains("Không nhập: báo cáo còn lỗi"), "{}", r.out);

    // Drafts do not count until they are submitted.
    let r = cchc(&db, &["rollup", "--unit", "992", "--period", "2024-H1"]);
    assert!(r.out.contains("Đã gửi 0/5 đơn vị"), "{}", r.out);
    for unit in ["99202", "99203"] {
        let r = cchc(&db, &["workflow", "--unit", unit, "--period", "2024-H1", "--action", "submit"]);
        assert_eq!(r.code, 0, "{}", r.out);
        assert!(r.out.contains("nháp → đã gửi"), "{}", r.out);
    }
    let r = cchc(&db, &["rollup", "--unit", "992", "--period", "2024-H1"]);
    assert_eq!(r.code, 0, "{}", r.out);
    assert!(r.out.contains("Đã gửi 2/5 đơn vị"), "{}", r.out);
    assert!(r.out.contains("Số liệu từ ngày 15/12/2023 đến ngày 14/06/2024"), "{}", r.out);
    let tenth = cchc(&db, &["--window", "data/window-rules/hai-duong.toml", "rollup", "--unit", "992", "--period", "2024-H1"]);
    assert!(tenth.out.contains("Số liệu từ ngày 10/12/2023 đến ngày 09/06/2024"), "{}", tenth.out);
    assert!(r.out.contains("Chưa gửi: Xã Lạc Phú (99204)"), "{}", r.out);
    // Counts sum, per level too; the on-time rate is recomputed (10/110), not averaged (45,5%).
    assert!(r.out.contains("3.6.1[level=xa]"), "{}", r.out);
    assert!(r.out.contains("9,09% (10/110)"), "{}", r.out);
    assert!(r.out.contains("2/2 đơn vị") || r.out.contains("1/2 đơn vị"), "{}", r.out);
    let r = cchc(&db, &["workflow", "--unit", "99202", "--period", "2024-H1", "--action", "return"]);
    assert_ne!(r.code, 0);
    assert!(r.out.contains("Trả lại báo cáo phải ghi rõ lý do"), "{}", r.out);
}

#[test]
fn dossiers_are_generated_stored_and_counted() {
    let dir = temp("dossiers");
    let db = dir.join("cchc.db");
    assert_eq!(cchc(&db, &["units", "import", "data/demo/units.json"]).code, 0);
    let r = cchc(&db, &["dossiers", "generate", "--dossiers", "2000", "--unit", "992", "--year", "2024"]);
    assert_eq!(r.code, 0, "{}", r.out);
    let r = cchc(&db, &["dossiers", "stats", "--unit", "992", "--period", "2024-Y", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.out);
    let v: serde_json::Value = serde_json::from_str(&r.out).unwrap();
    let t = &v["total"];
    let n = |k: &str| t[k].as_u64().unwrap();
    assert!(n("received_total") > 1800, "{t}");
    assert_eq!(n("received_total"), n("received_online") + n("received_direct") + n("received_postal") + n("carried_over"));
    assert_eq!(n("received_total"), n("resolved_total") + n("in_progress_total") + n("awaiting_supplement") + n("returned"));
    // Decision 766: the parts the ledger and the procedure list can score (progress 20, online
    // service 12, digitised dossiers 4, the province-only parts 4 for a district, satisfaction with
    // dossiers 6, feedback answered on time 6 and satisfaction with its handling 6 — both full,
    // as no feedback is recorded); no fee payments and no transparency input: those groups are
    // unknown, not 0.
    let scores = &v["scores_766"];
    assert_eq!(scores["known_max"], 58, "{scores}");
    assert!(scores["groups"][0]["points"].is_null() && scores["groups"][3]["points"].is_null(), "{scores}");
    assert!(scores["total"].is_null(), "{scores}");
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "id,unit,procedure,at,event,channel,new_due,apology,to_unit,digitised,rating\nA,99202,DEMO.HT.01,2024-02-30 08:00,tiep-nhan,truc-tiep,,,,,\n").unwrap();
    let r = cchc(&db, &["dossiers", "import", bad.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.out.contains("Dòng 1, cột \"at\""), "{}", r.out);
    let r = cchc(&db, &["dossiers", "prefill", "--unit", "992", "--period", "2024-Y"]);
    assert_eq!(r.code, 0, "{}", r.out);
    assert!(r.out.contains("Không phát hiện lỗi hay cảnh báo nào.") && r.out.contains("số liệu từ sổ theo dõi hồ sơ"), "{}", r.out);
    let text = cchc(&db, &["dossiers", "stats", "--unit", "992", "--period", "2024-Y"]).out;
    assert!(text.contains("BIỂU 06") && text.contains("Tỷ lệ giải quyết trước hạn và đúng hạn:"), "{text}");
    assert!(
        text.contains("QUYẾT ĐỊNH 766/QĐ-TTg")
            && text.contains("Công khai, minh bạch (tối đa 18): không tính được")
            && text.contains("  - Hồ sơ nộp trực tuyến (tối đa 4): ")
            && text.contains("Hồ sơ trễ hạn làm mất điểm ("),
        "{text}"
    );
    // The transparency points assessed elsewhere, typed the Vietnamese way, join the total.
    let r = cchc(&db, &["dossiers", "stats", "--unit", "992", "--period", "2024-Y", "--format", "json", "--transparency", "16,5"]);
    let v: serde_json::Value = serde_json::from_str(&r.out).unwrap();
    assert_eq!(
        (v["scores_766"]["groups"][0]["points"].as_str(), v["scores_766"]["known_max"].as_u64()),
        (Some("16.5"), Some(76)),
        "{}",
        r.out
    );
    // Kept points and the portal's total: `dossiers scores` stores them and shows the difference
    // once every group is known.
    let set = |args: &[&str]| {
        let mut all = vec!["dossiers", "scores", "--unit", "992", "--period", "2024-Y"];
        all.extend_from_slice(args);
        cchc(&db, &all)
    };
    let r = set(&["--set", "transparency=18", "--set", "payments_online=5", "--set", "procedures_paid_online=5", "--national", "80"]);
    assert_eq!(r.code, 0, "{}", r.out);
    assert!(r.out.contains("Đã lưu điểm nhập") && r.out.contains("Điểm trên Cổng Dịch vụ công quốc gia: 80 (chưa so được"), "{}", r.out);
    let r =
        set(&["--set", "results_electronic=6", "--set", "certified_copies=2", "--set", "data_reused=2", "--set", "storage_synchronised=4"]);
    let r2 = set(&["--set", "feedback_on_time=6", "--set", "feedback_satisfaction=6", "--format", "json"]);
    assert_eq!((r.code, r2.code), (0, 0), "{}{}", r.out, r2.out);
    let v: serde_json::Value = serde_json::from_str(r2.out.lines().skip(1).collect::<Vec<_>>().join("\n").as_str()).unwrap();
    let total: rust_decimal::Decimal = v["total"].as_str().expect("every group known").parse().unwrap();
    let difference: rust_decimal::Decimal = v["difference"].as_str().unwrap().parse().unwrap();
    assert_eq!(difference, rust_decimal::Decimal::from(80) - total);
    // Out of range or unknown: refused in Vietnamese, nothing kept.
    let r = set(&["--set", "published_on_time=7"]);
    assert_eq!(r.code, 2, "{}", r.out);
    assert!(r.out.contains("published_on_time: điểm phải từ 0 đến 6"), "{}", r.out);
    let r = set(&["--set", "khong_co=1"]);
    assert!(r.out.contains("không có tiêu chí \"khong_co\""), "{}", r.out);
    // The portal's published totals of several units from a file: all or nothing.
    let file = dir.join("diem-766.csv");
    std::fs::write(&file, "Mã đơn vị;Kỳ;Điểm\n99202;2024-Y;88,5\n99203;2024-Y;91\n").unwrap();
    let r = cchc(&db, &["dossiers", "scores-import", file.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.out);
    assert!(r.out.contains("của 2 đơn vị"), "{}", r.out);
    let shown = cchc(&db, &["dossiers", "scores", "--unit", "99202", "--period", "2024-Y"]).out;
    assert!(shown.contains("Điểm trên Cổng Dịch vụ công quốc gia: 88,5"), "{shown}");
    std::fs::write(&file, "ma,ky,diem\n99202,2024-Y,10\nKHONGCO,2024-Y,50\n").unwrap();
    let r = cchc(&db, &["dossiers", "scores-import", file.to_str().unwrap()]);
    assert_ne!(r.code, 0);
    assert!(r.out.contains("Dòng 3, cột \"Mã đơn vị\": không có đơn vị \"KHONGCO\""), "{}", r.out);
    let shown = cchc(&db, &["dossiers", "scores", "--unit", "99202", "--period", "2024-Y"]).out;
    assert!(shown.contains("Điểm trên Cổng Dịch vụ công quốc gia: 88,5"), "nothing of the refused file kept: {shown}");
    let r = cchc(&db, &["dossiers", "stats", "--unit", "992", "--period", "2024-Y", "--transparency", "20"]);
    assert_eq!(r.code, 2, "{}", r.out);
    assert!(r.out.contains("điểm phải từ 0 đến 18"), "{}", r.out);
}

#[test]
fn the_generator_is_deterministic_from_its_seed() {
    let dir = temp("generate");
    let db = dir.join("cchc.db");
    assert_eq!(cchc(&db, &["units", "import", "data/demo/units.json"]).code, 0);
    let out = |name: &str, seed: &str| {
        let path = dir.join(name);
        let r = cchc(
            &db,
            &[
                "dossiers",
                "generate",
                "--dossiers",
                "500",
                "--unit",
                "99",
                "--year",
                "2026",
                "--seed",
                seed,
                "--out",
                path.to_str().unwrap(),
            ],
        );
        assert_eq!(r.code, 0, "{}", r.out);
        std::fs::read(path).unwrap()
    };
    let (a, b, c) = (out("a.jsonl", "7"), out("b.jsonl", "7"), out("c.jsonl", "8"));
    assert!(a == b, "the same seed gave two ledgers");
    assert!(a != c);
}
