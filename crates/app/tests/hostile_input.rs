//! Hostile input to every importer (issue 16, item 5): files mutated from real ones (the example
//! reports, units, procedures, a generated dossier ledger in cchc's CSV and JSON lines and in the
//! national portal's synchronisation format, the portal's Decision 766 totals, a workbook the system exports, a plan's task table, a catalogue variant) are fed to the use cases the pages, the API and the CLI call. Each case
//! must end without a panic, without an allocation above a cap, and with a message a user can
//! read: Vietnamese, with no serde, calamine, zip or sqlx words and no Rust type names.
//!
//! The mutations are seeded (the same cases every run) and bounded in number and time per
//! importer; the counts and times are printed (`cargo test --test hostile_input -- --nocapture`).

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use cchc_app::{App, Error, admin, dossiers, reports, units};
use cchc_storage::{Role, User};

#[path = "../../documents/tests/common/alloc.rs"]
mod alloc;

/// No single allocation above this: an importer that sizes a buffer from the input (a
/// workbook's declared dimension) aborts the test instead of the server.
#[global_allocator]
static ALLOCATOR: alloc::Capped<{ 512 << 20 }> = alloc::Capped;

/// Cases per importer, and the time after which an importer stops early.
const CASES: usize = 1000;
const BUDGET: Duration = Duration::from_secs(12);

/// A small deterministic generator (xorshift), so that every run tries the same cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Pieces that break parsers: structure, extreme numbers, bad dates and text.
const TOKENS: &[&str] = &[
    "\"",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "-1",
    "99999999999999999999999",
    "1e400",
    "-0",
    "1.5",
    "NaN",
    "null",
    "true",
    "\"\\ud800\"",
    "\u{0}",
    "2022-13-45",
    "31/02/2022",
    "<script>alert(1)</script>",
    "\n",
    "\r\n",
    ";",
    "\"\"",
    "💥",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "9999999999999999999999999999999999999999",
    "=1+1",
    "#REF!",
    "\t",
];

/// One mutation of `base`: a token inserted or written over, a range deleted or repeated, the
/// file cut short, bytes flipped, or two lines swapped.
fn mutate(base: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = base.to_vec();
    for _ in 0..=rng.below(3) {
        let len = out.len().max(1);
        let at = rng.below(len);
        match rng.below(7) {
            0 => {
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                out.splice(at.min(out.len())..at.min(out.len()), t.iter().copied());
            }
            1 => {
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                let end = (at + t.len()).min(out.len());
                out.splice(at.min(out.len())..end, t.iter().copied());
            }
            2 => {
                let end = (at + rng.below(64)).min(out.len());
                out.drain(at.min(out.len())..end);
            }
            3 => {
                let end = (at + rng.below(256)).min(out.len());
                let piece = out[at.min(out.len())..end].to_vec();
                out.splice(end..end, piece.iter().copied());
            }
            4 => out.truncate(at),
            5 => {
                if let Some(b) = out.get_mut(at) {
                    *b ^= 1 << rng.below(8);
                }
            }
            _ => {
                let mut lines: Vec<&[u8]> = out.split(|b| *b == b'\n').collect();
                if lines.len() > 2 {
                    let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
                    lines.swap(a, b);
                }
                out = lines.join(&b'\n');
            }
        }
    }
    out
}

/// A word that is not the user's language: English from a parser or a driver, or a Rust type
/// name. Quoted text (the user's own input, a field name) is not judged.
fn foreign_word(message: &str) -> Option<String> {
    const ENGLISH: &[&str] = &[
        "expected",
        "invalid",
        "missing",
        "unknown",
        "field",
        "variant",
        "error",
        "found",
        "line",
        "column",
        "failed",
        "the",
        "of",
        "type",
        "struct",
        "string",
        "integer",
        "sequence",
        "map",
        "eof",
        "zip",
        "archive",
        "could",
        "not",
        "find",
        "while",
        "parsing",
        "trailing",
        "characters",
        "key",
        "unexpected",
        "end",
        "input",
        "number",
        "out",
        "range",
        "overflow",
        "cannot",
        "sqlx",
        "serde",
        "calamine",
        "database",
        "constraint",
        "syntax",
        "worksheet",
        "sheet",
        "cell",
        "is",
        "and",
        "for",
        "with",
        "from",
        "duplicate",
        "record",
        "fields",
        "previous",
        "deserialize",
        "parse",
    ];
    let mut unquoted = String::new();
    let mut quote: Option<char> = None;
    for c in message.chars() {
        match (quote, c) {
            // A key's split ("7.7.12[field=ho-tich]") is written as the report file writes it.
            (None, '"' | '«' | '`' | '\'' | '[') => {
                quote = Some(match c {
                    '«' => '»',
                    '[' => ']',
                    other => other,
                })
            }
            (Some(q), c) if c == q => quote = None,
            (None, c) => unquoted.push(c),
            _ => {}
        }
    }
    if unquoted.contains("::") {
        return Some("::".into());
    }
    for word in unquoted.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| !w.is_empty()) {
        // Only whole ASCII words: "tệp" splits into pieces that are not words of their own.
        let at = unquoted.find(word).unwrap_or(0);
        let before = unquoted[..at].chars().next_back();
        let after = unquoted[at + word.len()..].chars().next();
        if before.is_some_and(char::is_alphabetic) || after.is_some_and(char::is_alphabetic) {
            continue;
        }
        if ENGLISH.contains(&word.to_lowercase().as_str()) {
            return Some(word.to_string());
        }
        if rust_type_name(word) {
            return Some(word.to_string());
        }
    }
    None
}

/// "EntryFile", "FlatEvent": a capital, lower case, a capital and lower case again (a code such as
/// "THANHmIEN" that a mutation produced is the user's text, not a type name).
fn rust_type_name(word: &str) -> bool {
    let chars: Vec<char> = word.chars().collect();
    chars
        .windows(4)
        .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_lowercase() && w[2].is_ascii_uppercase() && w[3].is_ascii_lowercase())
        && chars[0].is_ascii_uppercase()
}

/// What a case said to the user.
fn error_texts(e: &Error) -> Vec<String> {
    let mut out = vec![e.to_string()];
    out.extend(e.problems().iter().map(|p| p.to_string()));
    out
}

/// The outcome of one importer's run: cases tried, and what went wrong.
#[derive(Default)]
struct Run {
    cases: usize,
    faults: Vec<String>,
    /// The distinct messages (digits aside), to show how deep the mutations reach.
    messages: std::collections::BTreeSet<String>,
}

impl Run {
    fn judge(&mut self, case: usize, texts: Vec<String>) {
        for t in texts {
            self.messages.insert(t.chars().filter(|c| !c.is_ascii_digit()).collect());
            if let Some(w) = foreign_word(&t) {
                self.faults.push(format!("case {case}: «{w}» in: {t}"));
            }
        }
    }
}

const LE_HONG: &str = "30-THANHMIEN-LEHONG";

fn read(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

async fn app() -> App {
    let store = common::store_with(&[]).await;
    let app = App::load(store).await.unwrap();
    units::import(&app, &admin(), std::str::from_utf8(&read("examples/units.json")).unwrap()).await.unwrap();
    app
}

fn admin() -> User {
    common::named("quantri", Role::Admin, "94")
}

fn officer() -> User {
    common::named("vanphong", Role::UnitOfficer, LE_HONG)
}

/// Runs `cases` mutations of `base` through `import`, each in a task of its own so that a panic
/// is recorded rather than ending the run.
async fn fuzz<F, Fut>(name: &str, base: Vec<u8>, seed: u64, import: F) -> Run
where
    F: Fn(Vec<u8>) -> Fut,
    Fut: std::future::Future<Output = Vec<String>> + Send + 'static,
{
    let mut rng = Rng(seed);
    let mut run = Run::default();
    let started = Instant::now();
    for case in 0..CASES {
        if started.elapsed() > BUDGET {
            break;
        }
        let input = mutate(&base, &mut rng);
        match tokio::spawn(import(input)).await {
            Ok(texts) => run.judge(case, texts),
            Err(e) => run.faults.push(format!("case {case}: panic: {e}")),
        }
        run.cases += 1;
    }
    eprintln!("{name}: {} cases in {:.1} s, {} distinct messages", run.cases, started.elapsed().as_secs_f64(), run.messages.len());
    run
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_importer_answers_hostile_files_in_vietnamese_without_a_panic() {
    let app = Arc::new(app().await);
    let mut faults = Vec::new();

    let report = read("examples/reports/le-hong-2022-h1.json");
    let a = app.clone();
    let run = fuzz("report JSON", report.clone(), 1, move |bytes| {
        let a = a.clone();
        async move {
            match reports::import_file(&a, &officer(), &bytes, false).await {
                Ok(_) => Vec::new(),
                Err(e) => error_texts(&e),
            }
        }
    })
    .await;
    faults.extend(run.faults.into_iter().map(|f| format!("report JSON {f}")));

    let a = app.clone();
    let run = fuzz("units JSON", read("examples/units.json"), 2, move |bytes| {
        let a = a.clone();
        async move {
            match units::import(&a, &admin(), &String::from_utf8_lossy(&bytes)).await {
                Ok(_) => Vec::new(),
                Err(e) => error_texts(&e),
            }
        }
    })
    .await;
    faults.extend(run.faults.into_iter().map(|f| format!("units {f}")));

    let a = app.clone();
    let run = fuzz("procedures CSV", read("crates/dossiers/data/procedures.csv"), 3, move |bytes| {
        let a = a.clone();
        async move {
            match admin::import_procedures(&a, &admin(), bytes.as_slice()).await {
                Ok(cchc_app::procedures::ProceduresImport::Refused(messages)) => messages,
                Ok(_) => Vec::new(),
                Err(e) => error_texts(&e),
            }
        }
    })
    .await;
    faults.extend(run.faults.into_iter().map(|f| format!("procedures {f}")));

    for (format, seed) in [("csv", 4), ("jsonl", 5)] {
        let base = ledger(format);
        let a = app.clone();
        let name = format!("dossiers {format}");
        let run = fuzz(&name, base, seed, move |bytes| {
            let a = a.clone();
            let path = std::env::temp_dir().join(format!("cchc-hostile-{}-{seed}.{format}", std::process::id()));
            async move {
                std::fs::write(&path, &bytes).unwrap();
                let out = match dossiers::import_file(a.store.as_ref(), &path).await {
                    Ok(dossiers::Import::Refused(messages)) => messages,
                    Ok(_) => Vec::new(),
                    Err(e) => vec![e.to_string()],
                };
                let _ = std::fs::remove_file(&path);
                out
            }
        })
        .await;
        faults.extend(run.faults.into_iter().map(|f| format!("{name} {f}")));
    }

    // The national portal's synchronisation format (`cchc dossiers import --format dvcqg`).
    let a = app.clone();
    let run = fuzz("dossiers dvcqg", ledger("dvcqg"), 9, move |bytes| {
        let a = a.clone();
        let path = std::env::temp_dir().join(format!("cchc-hostile-{}-dvcqg.json", std::process::id()));
        async move {
            std::fs::write(&path, &bytes).unwrap();
            let out = match cchc_app::ledger::import_national(&a, &admin(), &path).await {
                Ok(imported) => match imported.import {
                    dossiers::Import::Refused(messages) => messages,
                    _ => Vec::new(),
                },
                Err(e) => error_texts(&e),
            };
            let _ = std::fs::remove_file(&path);
            out
        }
    })
    .await;
    faults.extend(run.faults.into_iter().map(|f| format!("dossiers dvcqg {f}")));

    // The national portal's published Decision 766 totals (`cchc dossiers scores-import`).
    let a = app.clone();
    let totals = format!("Mã đơn vị;Kỳ;Điểm\n{LE_HONG};2022-H1;82,5\n{LE_HONG};2022-Y;\"91\"\n").into_bytes();
    let run = fuzz("Decision 766 totals CSV", totals, 10, move |bytes| {
        let a = a.clone();
        async move {
            match cchc_app::scores::import_national(&a, &admin(), &bytes).await {
                Ok(_) => Vec::new(),
                Err(e) => error_texts(&e),
            }
        }
    })
    .await;
    faults.extend(run.faults.into_iter().map(|f| format!("Decision 766 totals {f}")));

    let stored = cchc_report::file::read(std::str::from_utf8(&report).unwrap(), &app.catalogue()).unwrap();
    app.store.save_report(&stored, None, "vanphong").await.ok();
    let workbook = cchc_documents::xlsx::render(&stored, &app.catalogue()).unwrap();
    let a = app.clone();
    let run = fuzz("workbook", workbook, 6, move |bytes| {
        let a = a.clone();
        async move {
            match reports::import_workbook(&a, &officer(), &bytes).await {
                Ok(_) => Vec::new(),
                Err(e) => error_texts(&e),
            }
        }
    })
    .await;
    faults.extend(run.faults.into_iter().map(|f| format!("workbook {f}")));

    // The zip intact, a sheet's XML mutated: the mutations reach the spreadsheet reader.
    let a = app.clone();
    let workbook = cchc_documents::xlsx::render(&stored, &app.catalogue()).unwrap();
    let sheet = "xl/worksheets/sheet3.xml";
    let run = fuzz("workbook sheet XML", part(&workbook, sheet), 8, move |xml| {
        let a = a.clone();
        let bytes = with_part(&workbook, sheet, &xml);
        async move {
            match reports::import_workbook(&a, &officer(), &bytes).await {
                Ok(_) => Vec::new(),
                Err(e) => error_texts(&e),
            }
        }
    })
    .await;
    faults.extend(run.faults.into_iter().map(|f| format!("workbook sheet {f}")));

    // A plan's task table (issue 14): the workbook as bytes, and its sheet's XML.
    let plan = read("examples/plans/ke-hoach-cchc.xlsx");
    let a = app.clone();
    let run = fuzz("plan workbook", plan.clone(), 9, move |bytes| {
        let a = a.clone();
        async move {
            match cchc_app::plans::import(&a, &admin(), "42-CAMXUYEN", &bytes).await {
                Ok(_) => Vec::new(),
                Err(e) => error_texts(&e),
            }
        }
    })
    .await;
    faults.extend(run.faults.into_iter().map(|f| format!("plan workbook {f}")));
    let a = app.clone();
    let sheet = "xl/worksheets/sheet1.xml";
    let run = fuzz("plan workbook sheet XML", part(&plan, sheet), 10, move |xml| {
        let a = a.clone();
        let bytes = with_part(&plan, sheet, &xml);
        async move {
            match cchc_app::plans::import(&a, &admin(), "42-CAMXUYEN", &bytes).await {
                Ok(_) => Vec::new(),
                Err(e) => error_texts(&e),
            }
        }
    })
    .await;
    faults.extend(run.faults.into_iter().map(|f| format!("plan workbook sheet {f}")));

    let a = app.clone();
    let run = fuzz("catalogue TOML", read("catalogues/example-relabelled.toml"), 7, move |bytes| {
        let a = a.clone();
        async move {
            match admin::check_catalogue(&a, &admin(), &String::from_utf8_lossy(&bytes)).await {
                Ok(cchc_app::catalogues::Checked::Invalid(messages)) => messages,
                Ok(_) => Vec::new(),
                Err(e) => error_texts(&e),
            }
        }
    })
    .await;
    faults.extend(run.faults.into_iter().map(|f| format!("catalogue {f}")));

    eprintln!("peak memory of the run: {} MB", alloc::peak() >> 20);
    // One line per distinct message (a mutation often repeats the same fault).
    let mut seen = std::collections::BTreeSet::new();
    let shape = |m: &str| m.chars().filter(|c| !c.is_ascii_digit()).collect::<String>();
    faults.retain(|f| seen.insert(shape(f.split_once(" in: ").map_or(f, |(_, m)| m))));
    assert!(
        faults.is_empty(),
        "{} faults, the first ones:\n{}",
        faults.len(),
        faults.iter().take(200).cloned().collect::<Vec<_>>().join("\n")
    );
}

/// One part of a zip.
fn part(zip: &[u8], name: &str) -> Vec<u8> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut out = Vec::new();
    archive.by_name(name).unwrap().read_to_end(&mut out).unwrap();
    out
}

/// The zip with one part replaced.
fn with_part(zip: &[u8], name: &str, bytes: &[u8]) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let file_name = f.name().to_string();
        let mut content = Vec::new();
        f.read_to_end(&mut content).unwrap();
        out.start_file(file_name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(if file_name == name { bytes } else { &content }).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// A small ledger of Lê Hồng's dossiers as a one-stop export writes it: `csv`, `jsonl`, or
/// `dvcqg` (the national portal's synchronisation body).
fn ledger(format: &str) -> Vec<u8> {
    use cchc_dossiers::generate::{Config, generate};
    let units = vec![(LE_HONG.to_string(), cchc_units::Level::Xa)];
    let config = Config { units, procedures: cchc_dossiers::import::default_procedures(), year: 2022, dossiers: 40, seed: 9 };
    let dossiers: Vec<_> = generate(&config, &cchc_calendar::WorkCalendar::vietnam()).collect();
    let mut out = Vec::new();
    if format == "csv" {
        cchc_dossiers::import::write_dossiers_csv(&dossiers, &mut out).unwrap();
    } else if format == "dvcqg" {
        use cchc_dossiers::dvcqg::{Described, write_body, write_dossier};
        let body = write_body(dossiers.iter().map(|d| write_dossier(d, &Described::default())).collect());
        out = serde_json::to_vec_pretty(&body).unwrap();
    } else {
        for d in &dossiers {
            out.extend(serde_json::to_vec(d).unwrap());
            out.push(b'\n');
        }
    }
    out
}

#[test]
fn the_judge_of_messages_tells_english_from_vietnamese() {
    assert_eq!(foreign_word("Dòng 3, cột \"time\": không phải số"), None);
    assert_eq!(foreign_word("ô D12 chứa ngày 12/03/2022, cần một số"), None);
    assert_eq!(foreign_word("Mã TTHC DEMO.HT.01 bị trùng (UBND, KH-UBND)"), None);
    assert_eq!(foreign_word("Dòng 59 (chỉ tiêu 7.7.12[field=bao-tro-xa-hoi]), trường \"split\": không phân tổ"), None);
    assert!(foreign_word("invalid type: string \"x\", expected u32 at line 1 column 5").is_some());
    assert!(foreign_word("Zip error: invalid Zip archive: Could not find EOCD").is_some());
    assert!(foreign_word("lỗi ở EntryFile").is_some());
    assert!(foreign_word("cchc_report::file").is_some());
}
