//! Writes the dossier facts of a generated ledger as two flat CSV tables for the comparison
//! benchmark (`scripts/bench-scale.sh`), so that DuckDB and PostgreSQL compute the Biểu 06
//! table with plain SQL over the same data cchc uses:
//! - `dossiers.csv`: `id,level,field,received,channel,finished,outcome,initial_due` (moments in
//!   seconds; channel 0 direct, 1 online, 2 postal; outcome 1 early, 2 on due, 3 late,
//!   4 returned, empty while open);
//! - `changes.csv`: `id,seq,moment,due` the clock changes while open (`due` empty = clock stopped).
//!
//! `cargo run --release -p cchc-dossiers --example bench_tables -- UNITS.json DOSSIERS.jsonl OUT_DIR`

use std::collections::HashMap;
use std::io::{BufRead, BufReader, BufWriter, Write};

use cchc_calendar::WorkCalendar;
use cchc_dossiers::facts::Facts;
use cchc_dossiers::import::default_procedures;
use cchc_dossiers::{Channel, Dossier, Outcome};
use cchc_units::UnitKind;
use serde::Deserialize;

#[derive(Deserialize)]
struct UnitsFile {
    units: Vec<UnitRow>,
}

#[derive(Deserialize)]
struct UnitRow {
    code: String,
    kind: UnitKind,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, units, dossiers, out] = args.as_slice() else {
        return Err("usage: bench_tables UNITS.json DOSSIERS.jsonl OUT_DIR".into());
    };
    let units: UnitsFile = serde_json::from_str(&std::fs::read_to_string(units)?)?;
    let levels: HashMap<String, &str> =
        units.units.iter().filter_map(|u| Some((u.code.clone(), u.kind.territorial_level()?.slug()))).collect();
    let procs: HashMap<String, _> = default_procedures().into_iter().map(|p| (p.code.clone(), p)).collect();
    let cal = WorkCalendar::vietnam();
    let mut d_out = BufWriter::new(std::fs::File::create(format!("{out}/dossiers.csv"))?);
    let mut c_out = BufWriter::new(std::fs::File::create(format!("{out}/changes.csv"))?);
    let opt = |v: Option<i64>| v.map_or(String::new(), |v| v.to_string());
    for (i, line) in BufReader::new(std::fs::File::open(dossiers)?).lines().enumerate() {
        let d: Dossier = serde_json::from_str(&line?)?;
        let p = &procs[&d.procedure];
        let f = Facts::derive(&d, p, &cal)?;
        let channel = match f.channel {
            Channel::Direct => 0,
            Channel::Online => 1,
            Channel::Postal => 2,
        };
        let outcome = f.finished.map(|(o, _)| match o {
            Outcome::Early => 1,
            Outcome::OnDue => 2,
            Outcome::Late => 3,
            Outcome::Returned => 4,
        });
        writeln!(
            d_out,
            "{i},{},{},{},{channel},{},{},{}",
            levels[&d.unit],
            p.field,
            f.received,
            opt(f.finished.map(|(_, t)| t)),
            opt(outcome),
            f.initial_due
        )?;
        for (seq, c) in f.changes.iter().enumerate() {
            writeln!(c_out, "{i},{seq},{},{}", c.at, opt(c.due))?;
        }
    }
    d_out.flush()?;
    c_out.flush()?;
    Ok(())
}
