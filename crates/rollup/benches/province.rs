//! Roll-up of a province of 3.321 communes (the post-2025 count) × the full default catalogue.
//! Run: `cargo bench -p cchc-rollup`. The goal is under 100 ms on the 2-core machine.

use std::collections::HashMap;

use cchc_catalogue::{Catalogue, Kind, default_catalogue};
use cchc_periods::{Period, WindowRule};
use cchc_report::{Entry, Key, UnitRef, UnitReport, Value};
use cchc_rollup::{Input, compile};
use cchc_units::{Lineage, Unit, UnitKind, UnitTree};
use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use rust_decimal::Decimal;

const COMMUNES: usize = 3321;
const FIELDS: [&str; 3] = ["ho-tich", "chung-thuc", "dat-dai"];

/// A commune's report with a figure for every value-holding indicator (and, for indicators split
/// by lĩnh vực, three fields), deterministic from the commune's number.
fn commune_report(cat: &Catalogue, i: usize, period: Period) -> UnitReport {
    let unit = UnitRef { code: format!("X{i:04}"), name: format!("Xã {i}"), kind: UnitKind::Xa, parent: None };
    let mut r = UnitReport::new(&cat.meta.reference(), unit, period);
    for ind in cat.value_indicators() {
        let n = ((i * 7919 + ind.code.len() * 104729) % 997) as i64;
        let value = match &ind.kind {
            Kind::Count => Value::Int(n),
            Kind::Money => Value::Dec(Decimal::new(n * 10, 1)),
            Kind::YesNo { .. } => Value::Bool(n % 2 == 0),
            Kind::Choice { options } => Value::Choice(options[(n as usize) % options.len()].value),
            Kind::Text => Value::Text(format!("Ghi chú {i}")),
            _ => continue,
        };
        if ind.splits.iter().any(|s| s == "field") && matches!(value, Value::Int(_)) {
            for f in FIELDS {
                r.entries.push(Entry::new(Key::split(&ind.code, &[("field", f)]), Value::Int(n / 3)));
            }
        }
        r.entries.push(Entry::new(Key::total(&ind.code), value));
    }
    r
}

fn bench(c: &mut Criterion) {
    let cat = default_catalogue();
    let period: Period = "2026-H1".parse().unwrap();
    let mut units = vec![Unit {
        code: "P".into(),
        name: "Tỉnh P".into(),
        kind: UnitKind::Tinh,
        parent: None,
        valid_from: None,
        valid_to: None,
        issuer: None,
    }];
    units.extend((0..COMMUNES).map(|i| Unit {
        code: format!("X{i:04}"),
        name: format!("Xã {i}"),
        kind: UnitKind::Xa,
        parent: Some("P".into()),
        valid_from: None,
        valid_to: None,
        issuer: None,
    }));
    let tree = UnitTree::new(units, Lineage::default()).unwrap();
    let reports: HashMap<String, UnitReport> = (0..COMMUNES).map(|i| (format!("X{i:04}"), commune_report(&cat, i, period))).collect();
    let entries: usize = reports.values().map(|r| r.entries.len()).sum();
    eprintln!("{COMMUNES} communes, {} indicators with figures, {entries} figures in all", cat.value_indicators().count());
    let submitted = HashMap::new();
    let input = Input {
        tree: &tree,
        catalogue: &cat,
        period,
        window: WindowRule::default().window(period),
        reports: &reports,
        submitted_on: &submitted,
        due: NaiveDate::from_ymd_opt(2026, 6, 16).unwrap(),
    };
    c.bench_function("rollup province 3321 communes x full catalogue", |b| b.iter(|| compile("P", &input).unwrap()));
}

criterion_group! { name = benches; config = Criterion::default().sample_size(10); targets = bench }
criterion_main!(benches);
