//! Imports with an error per bad row, and the generator's data passing through the ledger.

use std::collections::HashMap;

use cchc_calendar::WorkCalendar;
use cchc_dossiers::generate::{Config, generate};
use cchc_dossiers::import::{default_procedures, read_dossiers_csv, read_dossiers_jsonl, read_procedures};
use cchc_dossiers::*;
use cchc_periods::{Period, WindowRule};
use cchc_units::Level;

#[test]
fn a_dossier_export_is_read_or_every_bad_row_is_named() {
    let csv = "id,unit,procedure,at,event,channel,new_due,apology,to_unit,digitised,rating
A1,X,DEMO.HT.01,2026-03-02 08:00,tiep-nhan,truc-tuyen,,,,1,
A1,X,DEMO.HT.01,2026-03-02 10:00,da-xu-ly,,,,,,5
A1,X,DEMO.HT.01,03/03/2026 09:00,tra-ket-qua,bcci,,,,,
";
    let ds = read_dossiers_csv(csv.as_bytes()).unwrap();
    assert_eq!(ds.len(), 1);
    assert_eq!(ds[0].events.len(), 3);
    assert!(ds[0].digitised && ds[0].rating == Some(5));
    let bad = "id,unit,procedure,at,event,channel,new_due,apology,to_unit,digitised,rating
A1,X,P,2026-13-02 08:00,tiep-nhan,truc-tuyen,,,,,
A2,X,P,2026-03-02 08:00,tiep-nhan,fax,,,,,
A3,X,P,2026-03-02 08:00,gia-han,,,,,,
";
    let errs: Vec<String> = read_dossiers_csv(bad.as_bytes()).unwrap_err().iter().map(|e| e.to_string()).collect();
    assert_eq!(errs.len(), 3, "{errs:?}");
    assert!(errs[0].starts_with("Dòng 1, cột \"at\": thời điểm \"2026-13-02 08:00\" không hợp lệ"), "{}", errs[0]);
    assert!(errs[1].contains("Dòng 2, cột \"channel\": kênh \"fax\" không hợp lệ"), "{}", errs[1]);
    assert!(errs[2].contains("Dòng 3, cột \"new_due\": gia hạn phải có ngày hẹn mới"), "{}", errs[2]);
    let bad_proc = "code,name,field,level,time_unit,time,online,fee\nX,Tên,ho-tich,thon,working-days,1,none,\n";
    assert_eq!(
        read_procedures(bad_proc.as_bytes()).unwrap_err()[0].to_string(),
        "Dòng 1, cột \"level\": cấp \"thon\" không hợp lệ (tinh, huyen, xa)"
    );
}

#[test]
fn generated_dossiers_are_legal_realistic_and_round_trip_as_json_lines() {
    let cal = WorkCalendar::vietnam();
    let procedures = default_procedures();
    let units = vec![("H".to_string(), Level::Huyen), ("X1".to_string(), Level::Xa), ("X2".to_string(), Level::Xa)];
    let config = Config { units: units.clone(), procedures: procedures.clone(), year: 2026, dossiers: 5000, seed: 7 };
    let ds: Vec<Dossier> = generate(&config, &cal).collect();
    let procs: HashMap<String, Procedure> = procedures.into_iter().map(|p| (p.code.clone(), p)).collect();
    for d in &ds {
        replay(d, &procs[&d.procedure], &cal, None).unwrap();
    }
    let window = WindowRule::default().window("2026-H1".parse::<Period>().unwrap());
    let levels: HashMap<String, Level> = units.into_iter().collect();
    let t = compute(&ds, &procs, &levels, window, &cal).unwrap().total();
    let share = |a: u64, b: u64| a as f64 / b as f64;
    assert!((0.3..0.5).contains(&share(t.received_online, t.received_new())), "{t:?}");
    assert!(share(t.resolved_late, t.resolved_total()) < 0.05, "{t:?}");
    assert!(t.awaiting_supplement > 0 && t.returned > 0 && t.resolved_on_due > 0, "{t:?}");
    let text: String = ds.iter().map(|d| serde_json::to_string(d).unwrap() + "\n").collect();
    assert_eq!(read_dossiers_jsonl(text.as_bytes()).unwrap(), ds);
    // … and as a CSV export, read whole or streamed.
    let mut csv = Vec::new();
    cchc_dossiers::import::write_dossiers_csv(&ds, &mut csv).unwrap();
    assert_eq!(read_dossiers_csv(csv.as_slice()).unwrap(), ds);
    let mut streamed = Vec::new();
    let end = cchc_dossiers::import::stream_dossiers_csv(csv.as_slice(), |d| {
        streamed.push(d);
        true
    });
    assert_eq!((streamed, end), (ds.clone(), cchc_dossiers::import::CsvStream::Read(Vec::new())));
    // Deterministic from the seed.
    assert_eq!(generate(&config, &cal).take(3).collect::<Vec<_>>(), ds[..3].to_vec());
}

mod streamed_csv {
    use cchc_dossiers::import::{CsvStream, read_dossiers_csv, stream_dossiers_csv};
    use proptest::prelude::*;

    const HEAD: &str = "id,unit,procedure,at,event,channel,new_due,apology,to_unit,digitised,rating\n";

    /// A CSV export of rows (dossier number, minute, digitised, rating), in this order.
    fn export(rows: &[(u8, u8, bool, Option<u8>)]) -> String {
        let mut text = HEAD.to_string();
        for (d, minute, digitised, rating) in rows {
            let rating = rating.map_or(String::new(), |r| r.to_string());
            text += &format!("HS-{d},X{},DEMO.HT.01,2026-03-02 08:{minute:02},da-xu-ly,,,,,{},{rating}\n", d % 3, u8::from(*digitised));
        }
        text
    }

    fn streamed(text: &str) -> (Vec<cchc_dossiers::Dossier>, CsvStream) {
        let mut got = Vec::new();
        let end = stream_dossiers_csv(text.as_bytes(), |d| {
            got.push(d);
            true
        });
        (got, end)
    }

    proptest! {
        /// Grouped by dossier (in any order of dossiers), the stream gives what the whole-file
        /// reader gives; otherwise it says where the file goes back to a dossier.
        #[test]
        fn a_grouped_export_streams_as_it_reads_whole(rows in prop::collection::vec((0u8..6, 0u8..60, any::<bool>(), prop::option::of(1u8..6)), 0..40), group in any::<bool>()) {
            let mut rows = rows;
            if group {
                let first: Vec<u8> = rows.iter().map(|r| r.0).fold(Vec::new(), |mut seen, d| { if !seen.contains(&d) { seen.push(d) } seen });
                rows.sort_by_key(|r| first.iter().position(|d| *d == r.0));
            }
            let text = export(&rows);
            let whole = read_dossiers_csv(text.as_bytes()).unwrap();
            let back_to = rows.iter().enumerate().skip(1).find(|(i, r)| r.0 != rows[i - 1].0 && rows[..*i].iter().any(|p| p.0 == r.0));
            let (got, end) = streamed(&text);
            match back_to {
                None => prop_assert_eq!((got, end), (whole, CsvStream::Read(Vec::new()))),
                Some((i, r)) => prop_assert_eq!(end, CsvStream::Ungrouped { row: i + 1, id: format!("HS-{}", r.0) }),
            }
        }
    }

    #[test]
    fn bad_rows_are_all_named_and_the_reader_stops_when_told() {
        let text = format!(
            "{HEAD}A,X,P,2026-13-02 08:00,tiep-nhan,truc-tuyen,,,,,\nB,X,P,2026-03-02 08:00,tiep-nhan,truc-tuyen,,,,,\nC,X,P,2026-03-02 08:00,tiep-nhan,fax,,,,,\n"
        );
        let (got, end) = streamed(&text);
        assert_eq!(got.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), ["B"]);
        let CsvStream::Read(errors) = end else { panic!("{end:?}") };
        assert_eq!(errors.iter().map(|e| e.row).collect::<Vec<_>>(), [1, 3]);
        let text = export(&[(1, 0, false, None), (2, 0, false, None), (3, 0, false, None)]);
        let mut taken = 0;
        assert_eq!(
            stream_dossiers_csv(text.as_bytes(), |_| {
                taken += 1;
                false
            }),
            CsvStream::Read(Vec::new())
        );
        assert_eq!(taken, 1);
    }
}

#[test]
fn csv_columns_are_found_by_name_and_a_missing_or_bad_one_is_named() {
    // Another order, optional columns left out.
    let csv = "event,at,procedure,unit,id,channel\ntiep-nhan,2026-03-02 08:00,DEMO.HT.01,X,A1,truc-tiep\nda-xu-ly,2026-03-02T10:00:00,DEMO.HT.01,X,A1,\n";
    let ds = read_dossiers_csv(csv.as_bytes()).unwrap();
    assert_eq!((ds.len(), ds[0].events.len(), ds[0].id.as_str(), ds[0].digitised, ds[0].rating), (1, 2, "A1", false, None));
    let no_unit = "id,procedure,at,event\nA1,P,2026-03-02 08:00,tiep-nhan\nA2,P,2026-03-02 08:00,tiep-nhan\n";
    let errs: Vec<String> = read_dossiers_csv(no_unit.as_bytes()).unwrap_err().iter().map(|e| e.to_string()).collect();
    assert_eq!(errs, ["Dòng 1, cột \"unit\": tệp không có cột này (dòng tiêu đề phải có id,unit,procedure,at,event)"]);
    let bad_rating = "id,unit,procedure,at,event,channel,rating\nA1,X,P,2026-03-02 08:00,tiep-nhan,truc-tiep,năm\n";
    let errs: Vec<String> = read_dossiers_csv(bad_rating.as_bytes()).unwrap_err().iter().map(|e| e.to_string()).collect();
    assert_eq!(errs, ["Dòng 1, cột \"rating\": \"năm\" không phải số nguyên từ 0 đến 255"]);
}
