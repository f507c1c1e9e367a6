//! Facts-based statistics are identical to the replay-based `compute`, for random event
//! histories (supplements, fees, extensions, transfers, results by post) and generated ledgers,
//! over windows whose ends fall anywhere in those histories; the stored form round-trips.

use std::collections::{HashMap, HashSet};

use cchc_calendar::WorkCalendar;
use cchc_dossiers::facts::{
    Facts, UnitBlob, accumulate_unit, compute_facts, decode_unit, encode_unit, merge_unit, overlay_unit, part_matters, split_parts,
    visit_unit, window_secs,
};
use cchc_dossiers::generate::{Config, generate};
use cchc_dossiers::import::default_procedures;
use cchc_dossiers::tally::{Fit, Tally};
use cchc_dossiers::*;
use cchc_periods::{DateRange, Period, WindowRule};
use cchc_units::Level;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use proptest::prelude::*;

fn procedures() -> HashMap<String, Procedure> {
    let p = |code: &str, field: &str, level, time| Procedure {
        code: code.into(),
        name: format!("Thủ tục {code}"),
        field: field.into(),
        level,
        time,
        online: OnlineClass::Partial,
        fee: None,
    };
    [
        p("P1", "ho-tich", Level::Xa, ProcessingTime::WorkingDays(3)),
        p("P2", "dat-dai", Level::Huyen, ProcessingTime::WorkingHours(8)),
        p("P3", "chung-thuc", Level::Xa, ProcessingTime::CalendarDays(5)),
    ]
    .into_iter()
    .map(|p| (p.code.clone(), p))
    .collect()
}

fn units() -> HashMap<String, Level> {
    HashMap::from([("X".to_string(), Level::Xa), ("H".to_string(), Level::Huyen)])
}

fn kind(k: u8, t: NaiveDateTime) -> EventKind {
    match k {
        0 => EventKind::SupplementRequested,
        1 => EventKind::SupplementProvided,
        2 => EventKind::Resolved,
        3 => EventKind::Refused,
        4 => EventKind::Withdrawn,
        5 => EventKind::Stopped,
        6 => EventKind::Extended { new_due: t + Duration::days(3), apology: true },
        7 => EventKind::ResultReturned { channel: Channel::Postal },
        8 => EventKind::FeeRequested,
        9 => EventKind::FeePaid { online: true },
        10 => EventKind::FeePaid { online: false },
        11 => EventKind::Transferred { to_unit: "H".into() },
        12 => EventKind::Extended { new_due: t - Duration::hours(5), apology: false },
        13 => EventKind::ResultReturned { channel: Channel::Direct },
        _ => EventKind::NotAccepted,
    }
}

/// A random history: minutes after 01/12/2025 07:00, channel, procedure, (minutes later, event).
type History = (i64, u8, usize, Vec<(i64, u8)>);

/// The legal histories among random ones (the ledger refuses the others).
fn ledger(histories: Vec<History>) -> Vec<Dossier> {
    let cal = WorkCalendar::vietnam();
    let procs = procedures();
    let base = NaiveDate::from_ymd_opt(2025, 12, 1).unwrap().and_hms_opt(7, 0, 0).unwrap();
    let mut out = Vec::new();
    for (i, (minutes, ch, p, evs)) in histories.into_iter().enumerate() {
        let received = base + Duration::minutes(minutes);
        let channel = [Channel::Direct, Channel::Online, Channel::Postal][ch as usize];
        let mut t = received;
        let mut events = vec![Event { at: received, kind: EventKind::Received { channel }, by: None, note: None }];
        for (dt, k) in evs {
            t += Duration::minutes(dt);
            events.push(Event { at: t, kind: kind(k, t), by: None, note: None });
        }
        let d = Dossier {
            id: format!("R{i}"),
            unit: if i % 3 == 0 { "H".into() } else { "X".into() },
            procedure: ["P1", "P2", "P3"][p].into(),
            events,
            digitised: i % 2 == 0,
            rating: (i % 4 != 0).then_some((i % 5 + 1) as u8),
            applicant: None,
            handler: None,
            assignments: Vec::new(),
        };
        if replay(&d, &procs[&d.procedure], &cal, None).is_ok() {
            out.push(d);
        }
    }
    out
}

/// Both ways of computing, plus the stored (encoded, per unit) way, for one window.
fn check(
    dossiers: &[Dossier],
    procs: &HashMap<String, Procedure>,
    units: &HashMap<String, Level>,
    window: DateRange,
) -> Result<(), TestCaseError> {
    let cal = WorkCalendar::vietnam();
    let expected = compute(dossiers, procs, units, window, &cal).unwrap();
    let facts: Vec<Facts> = dossiers.iter().map(|d| Facts::derive(d, &procs[&d.procedure], &cal).unwrap()).collect();
    prop_assert_eq!(&compute_facts(&facts, procs, units, window), &expected);
    let mut stored = Table::default();
    for (unit, level) in units {
        let blob = encode_unit(facts.iter().filter(|f| &f.unit == unit));
        accumulate_unit(&mut stored, &blob, *level, procs, window).unwrap();
    }
    prop_assert_eq!(&stored, &expected);
    // The counter's way: a unit's blob holds some dossiers in an older state (before their later
    // events) and misses others, and one-dossier deltas hold the current state of those.
    let mut counter = Table::default();
    for (unit, level) in units {
        let mine: Vec<(usize, &Facts)> = facts.iter().enumerate().filter(|(_, f)| &f.unit == unit).collect();
        let older = |i: usize| {
            let first = Dossier { events: dossiers[i].events[..1].to_vec(), ..dossiers[i].clone() };
            Facts::derive(&first, &procs[&first.procedure], &cal).unwrap()
        };
        let in_blob: Vec<Facts> =
            mine.iter().filter(|(i, _)| i % 3 != 2).map(|(i, f)| if i % 3 == 1 { older(*i) } else { (*f).clone() }).collect();
        let blob = (!in_blob.is_empty()).then(|| encode_unit(&in_blob));
        let deltas: Vec<Vec<u8>> = mine.iter().filter(|(i, _)| i % 3 != 0).map(|(_, f)| encode_unit([*f])).collect();
        let refs: Vec<&[u8]> = deltas.iter().map(Vec::as_slice).collect();
        let merged = overlay_unit(blob.as_deref(), &refs).unwrap();
        accumulate_unit(&mut counter, &merged, *level, procs, window).unwrap();
    }
    prop_assert_eq!(&counter, &expected);
    Ok(())
}

/// The store's windowed way: each unit's facts split into monthly parts, and only the parts
/// [`part_matters`] picks for the window read: an ended part the window holds whole by its
/// tally ([`Tally::fits`]), the others by their records. Also Decision 766's evidence, the same
/// way, and how many parts were skipped and how many read by their tally.
fn windowed(facts: &[Facts], procs: &HashMap<String, Procedure>, units: &HashMap<String, Level>, window: DateRange) -> Windowed {
    let (start, end) = window_secs(window);
    let mut out = Windowed::default();
    for (unit, level) in units {
        for (month, part) in split_parts(facts.iter().filter(|f| &f.unit == unit)) {
            for (blob, open) in [(part.settled, false), (part.open, true)].into_iter().filter(|(b, _)| !b.is_empty()) {
                if !part_matters(month, blob.settled(), start, end) {
                    out.skipped += 1;
                    continue;
                }
                let blob = blob.finish();
                let tally = Tally::of(&blob, open).unwrap();
                match tally.as_ref().map(|t| t.fits(month, start, end)) {
                    Some(Fit::Whole) => {
                        let t = tally.unwrap();
                        for (p, c) in t.rows(start, end).unwrap().rows {
                            out.table.rows.entry((*level, procs[p].field.clone())).or_default().add(&c);
                        }
                        out.evidence.add_tally(&t, start, end).unwrap();
                        out.tallied += 1;
                        out.open_tallied += open as usize;
                    }
                    Some(Fit::Outside) => out.skipped += 1,
                    Some(Fit::Partly) | None => {
                        accumulate_unit(&mut out.table, &blob, *level, procs, window).unwrap();
                        visit_unit(&blob, true, |f, p| out.evidence.add(f, p, start, end)).unwrap();
                    }
                }
            }
        }
    }
    out.table.rows.retain(|_, c| *c != Counts::default());
    out.evidence.late.sort();
    out.evidence.dissatisfied.sort();
    out
}

#[derive(Default)]
struct Windowed {
    table: Table,
    evidence: scores::Evidence,
    skipped: usize,
    tallied: usize,
    open_tallied: usize,
}

/// Decision 766's evidence from every dossier's facts, ids sorted.
fn evidence(facts: &[Facts], window: DateRange) -> scores::Evidence {
    let (start, end) = window_secs(window);
    let mut e = scores::Evidence::default();
    facts.iter().for_each(|f| e.add(f, &f.procedure, start, end));
    e.late.sort();
    e.dissatisfied.sort();
    e
}

fn window(from_day: i64, days: i64) -> DateRange {
    let from = NaiveDate::from_ymd_opt(2025, 12, 1).unwrap() + Duration::days(from_day);
    DateRange { from, to: from + Duration::days(days) }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
    #[test]
    fn facts_give_the_same_table_as_replaying_events(
        histories in prop::collection::vec((0i64..60 * 24 * 60, 0u8..3, 0usize..3, prop::collection::vec((0i64..6_000, 0u8..15), 0..8)), 1..40),
        windows in prop::collection::vec((0i64..70, 0i64..40), 1..6),
    ) {
        let ds = ledger(histories);
        for (from, days) in windows {
            check(&ds, &procedures(), &units(), window(from, days))?;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
    /// Histories spread over four years, some left open for months or for good: the monthly
    /// parts a window reads give the full replay's table, for windows anywhere in those years.
    #[test]
    fn windowed_facts_give_the_full_replays_table_over_several_years(
        histories in prop::collection::vec(
            (0i64..4 * 365 * 24 * 60, 0u8..3, 0usize..3, prop::collection::vec((prop_oneof![0i64..6_000, 0i64..200_000], 0u8..15), 0..6)),
            1..60,
        ),
        windows in prop::collection::vec((0i64..4 * 365, 0i64..400), 1..6),
    ) {
        let (procs, units, cal) = (procedures(), units(), WorkCalendar::vietnam());
        let ds = ledger(histories);
        let facts: Vec<Facts> = ds.iter().map(|d| Facts::derive(d, &procs[&d.procedure], &cal).unwrap()).collect();
        for (from, days) in windows {
            let w = window(from, days);
            let read = windowed(&facts, &procs, &units, w);
            prop_assert_eq!(read.table, compute(&ds, &procs, &units, w, &cal).unwrap());
            prop_assert_eq!(read.evidence, evidence(&facts, w));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
    /// A day made a day off (or a working day again): the dossiers whose clock did not run on it
    /// keep exactly the facts a full re-derivation gives them, so re-deriving only the others
    /// (`Facts::clock_runs_within`) is the full re-derivation.
    #[test]
    fn a_changed_day_moves_only_the_dossiers_whose_clock_runs_across_it(
        histories in prop::collection::vec((0i64..120 * 24 * 60, 0u8..3, 0usize..3, prop::collection::vec((0i64..20_000, 0u8..15), 0..6)), 1..40),
        day in 0i64..150,
    ) {
        use cchc_calendar::{DEFAULT_SCHEDULE_TOML, DayOff, Schedule, YearSchedule};
        let procs = procedures();
        let old = WorkCalendar::vietnam();
        let changed = NaiveDate::from_ymd_opt(2025, 12, 1).unwrap() + Duration::days(day);
        // A weekday becomes a day off; a day off (a weekend, a holiday) becomes a working day.
        let shipped = Schedule::parse(DEFAULT_SCHEDULE_TOML).unwrap();
        let mut year = shipped.years.iter().find(|y| y.year == changed.year()).cloned().unwrap_or(YearSchedule {
            year: changed.year(),
            days_off: Vec::new(),
            not_off: Vec::new(),
            working_days: Vec::new(),
        });
        let named = DayOff { date: changed, name: "Ngày thay đổi".into() };
        if old.is_working_day(changed) { year.days_off.push(named) } else { year.working_days.push(named) }
        let new = WorkCalendar::vietnam_with(shipped.overridden_by([year]));
        prop_assume!(new.changed_days(&old, (changed.year(), changed.year())) == vec![changed]);
        let (start, end) = window_secs(DateRange { from: changed, to: changed });
        for d in ledger(histories) {
            let before = Facts::derive(&d, &procs[&d.procedure], &old).unwrap();
            let Ok(after) = Facts::derive(&d, &procs[&d.procedure], &new) else { continue };
            if !before.clock_runs_within(start, end) {
                prop_assert_eq!(&after, &before, "{}", d.id);
            }
        }
    }
}

#[test]
fn a_window_skips_the_parts_that_ended_before_it_and_those_received_after_it() {
    let (procs, units, cal) = (procedures(), units(), WorkCalendar::vietnam());
    // One dossier a week for three years, each resolved a day after its receipt, and one left open.
    let mut histories: Vec<History> = (0..156).map(|w| (w * 7 * 24 * 60, 0, 0, vec![(24 * 60, 2)])).collect();
    histories.push((10 * 24 * 60, 0, 0, vec![]));
    let ds = ledger(histories);
    let facts: Vec<Facts> = ds.iter().map(|d| Facts::derive(d, &procs[&d.procedure], &cal).unwrap()).collect();
    let parts: usize = units
        .keys()
        .flat_map(|u| split_parts(facts.iter().filter(|f| &f.unit == u)).into_values())
        .map(|p| (!p.settled.is_empty()) as usize + (!p.open.is_empty()) as usize)
        .sum();
    let year = DateRange { from: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(), to: NaiveDate::from_ymd_opt(2027, 12, 31).unwrap() };
    let read = windowed(&facts, &procs, &units, year);
    assert_eq!(read.table, compute(&ds, &procs, &units, year, &cal).unwrap());
    // Read: the year's parts and the one open from December 2025; the other earlier and later
    // months are skipped.
    assert_eq!(read.table.total().carried_over, 1);
    assert!(read.skipped >= parts - 12 * 2 - 1, "{} of {parts} parts skipped", read.skipped);
    // The year's parts are read by their tallies, but for December's last dossier, resolved in
    // January 2028 (after the window: its part is read by its records).
    let year_parts = parts - read.skipped - 1;
    assert!(read.tallied >= year_parts - 2 && read.tallied > 0, "{} of {year_parts} tallied", read.tallied);
    // The dossier open since December 2025 lay still before 2027: its open part by its tally.
    assert_eq!(read.open_tallied, 1);
}

#[test]
fn a_tally_round_trips_and_fits_only_a_window_holding_its_whole_part() {
    let (procs, cal) = (procedures(), WorkCalendar::vietnam());
    // Two dossiers of December 2025, resolved within days; one rated 2 of 5.
    let ds = ledger(vec![(0, 1, 0, vec![(24 * 60, 2)]), (3 * 24 * 60, 0, 1, vec![(10 * 24 * 60, 2)])]);
    let facts: Vec<Facts> = ds.iter().map(|d| Facts::derive(d, &procs[&d.procedure], &cal).unwrap()).collect();
    let blob = encode_unit(&facts);
    let t = Tally::of(&blob, false).unwrap().expect("every dossier ended");
    assert_eq!(Tally::of(&blob, true).unwrap(), None, "not an open part");
    assert_eq!(Tally::decode(&t.encode()).unwrap(), t);
    assert!(Tally::decode(&t.encode()[1..]).is_err());
    let (start, end) = window_secs(window(0, 30));
    assert_eq!(t.fits(202512, start, end), Fit::Whole);
    // Every window starting at a day's first moment and ending after the part's last moment
    // gets from the tally what it counts of the records, a day before the month as well as
    // days within it (the first dossier received before the window, ended in it: carried over)
    // and after (both ended before the window: nothing).
    for day in -3..20 {
        let s = start + day * 86400;
        assert_eq!(t.fits(202512, s, end), if s > t.until { Fit::Outside } else { Fit::Whole }, "day {day}");
        let mut expected: Vec<(&str, Counts)> = Vec::new();
        for f in &facts {
            let mut c = Counts::default();
            f.count(&mut c, s, end);
            match expected.iter_mut().find(|(p, _)| *p == f.procedure) {
                Some((_, row)) => row.add(&c),
                None => expected.push((f.procedure.as_str(), c)),
            }
        }
        expected.retain(|(_, c)| *c != Counts::default());
        let read = t.rows(s, end).unwrap();
        assert_eq!(read.rows, expected, "day {day}");
        let mut named = scores::Evidence::default();
        facts.iter().for_each(|f| named.add(f, &f.procedure, s, end));
        assert_eq!(
            (read.late, read.dissatisfied),
            (named.late.iter().map(String::as_str).collect(), named.dissatisfied.iter().map(String::as_str).collect()),
            "day {day}"
        );
    }
    let from_second_day = t.rows(start + 86400, end).unwrap().rows;
    assert_eq!(
        from_second_day.iter().map(|(_, c)| (c.carried_over, c.received_new(), c.resolved_total())).collect::<Vec<_>>(),
        [(1, 0, 1), (0, 1, 1)]
    );
    // A window starting within a day sees part of that day: records.
    assert_eq!(t.fits(202512, start + 3600, end), Fit::Partly);
    // A window ending before the last dossier's end: records.
    assert_eq!(t.fits(202512, start, t.until - 1), Fit::Partly);
    // Windows before December or after all of it: nothing.
    assert_eq!(t.fits(202512, start - 60 * 86400, start - 1), Fit::Outside);
    assert_eq!(t.fits(202512, t.until + 1, t.until + 86400), Fit::Outside);
    // An open dossier has no ended part's tally; its open part's tally counts it against the
    // window's end, for a window starting after all it tells.
    let open = ledger(vec![(0, 1, 0, vec![])]);
    let f = Facts::derive(&open[0], &procs[&open[0].procedure], &cal).unwrap();
    assert_eq!(Tally::of(&encode_unit([&f]), false).unwrap(), None);
    let o = Tally::of(&encode_unit([&f]), true).unwrap().expect("an open part");
    assert_eq!(Tally::decode(&o.encode()).unwrap(), o);
    assert_eq!(o.fits(202512, start, end), Fit::Partly, "received within the window");
    let later = |days: i64| (f.received + days * 86400, f.received + (days + 30) * 86400);
    let (s1, e1) = later(1);
    assert_eq!(o.fits(202512, s1, e1), Fit::Whole);
    let within = o.rows(s1, f.initial_due - 1).unwrap();
    assert_eq!((within.rows[0].1.carried_over, within.rows[0].1.in_progress_within, within.late.len()), (1, 1, 0));
    let overdue = o.rows(s1, f.initial_due + 1).unwrap();
    assert_eq!((overdue.rows[0].1.in_progress_overdue, overdue.late), (1, vec![f.id.as_str()]));
    assert_eq!(cchc_dossiers::tally::first_tallied_month(start), 0);
    assert_eq!(cchc_dossiers::tally::first_tallied_month(start + 1), 202601);
}

#[test]
fn facts_give_the_same_table_on_a_generated_ledger_for_every_period_of_the_year() {
    let cal = WorkCalendar::vietnam();
    let list = default_procedures();
    let us = vec![("H".to_string(), Level::Huyen), ("X1".to_string(), Level::Xa), ("X2".to_string(), Level::Xa)];
    let ds: Vec<Dossier> =
        generate(&Config { units: us.clone(), procedures: list.clone(), year: 2026, dossiers: 4000, seed: 11 }, &cal).collect();
    let procs: HashMap<String, Procedure> = list.into_iter().map(|p| (p.code.clone(), p)).collect();
    let levels: HashMap<String, Level> = us.into_iter().collect();
    let rule = WindowRule::default();
    for p in ["2026-M01", "2026-M03", "2026-Q1", "2026-Q2", "2026-H1", "2026-9M", "2026-Y", "2026-M12"] {
        check(&ds, &procs, &levels, rule.window(p.parse::<Period>().unwrap())).unwrap();
    }
}

#[test]
fn a_unit_blob_round_trips_and_merges_by_dossier_id() {
    let cal = WorkCalendar::vietnam();
    let procs = procedures();
    let ds =
        ledger((0..50).map(|i| (i * 997, (i % 3) as u8, (i % 3) as usize, vec![(30, 0), (600, 1), (900, 6), (60, 2), (30, 7)])).collect());
    let facts: Vec<Facts> = ds.iter().filter(|d| d.unit == "X").map(|d| Facts::derive(d, &procs[&d.procedure], &cal).unwrap()).collect();
    assert!(facts.iter().any(|f| !f.changes.is_empty() && !f.apologies.is_empty() && f.returned_by_postal.is_some()));
    let blob = encode_unit(&facts);
    assert_eq!(decode_unit("X", &blob).unwrap(), facts);
    let mut changed = facts[0].clone();
    changed.digitised = !changed.digitised;
    let merged = merge_unit("X", Some(&blob), &[&changed], &HashSet::from([facts[1].id.as_str()])).unwrap();
    let back = decode_unit("X", &merged).unwrap();
    assert_eq!(back.len(), facts.len() - 1);
    assert!(back.contains(&changed) && !back.iter().any(|f| f.id == facts[1].id));
    assert!(decode_unit("X", &blob[..blob.len() - 3]).is_err());
    // Deltas laid over the blob: the same as merging them, the last delta of an id winning.
    let mut again = changed.clone();
    again.rating = 5;
    let (d1, d2) = (encode_unit([&changed]), encode_unit([&again]));
    let over = decode_unit("X", &overlay_unit(Some(&blob), &[&d1, &d2]).unwrap()).unwrap();
    assert_eq!(over.len(), facts.len());
    assert_eq!(over.iter().filter(|f| f.id == changed.id).collect::<Vec<_>>(), [&again]);
    assert_eq!(decode_unit("X", &overlay_unit(Some(&blob), &[]).unwrap()).unwrap(), facts);
    assert_eq!(decode_unit("X", &overlay_unit(None, &[&d1]).unwrap()).unwrap(), vec![changed]);
    assert!(overlay_unit(Some(&blob[..blob.len() - 3]), &[&d1]).is_err());
}

#[test]
fn a_unit_blob_built_record_by_record_reads_as_the_encoded_one() {
    let cal = WorkCalendar::vietnam();
    let procs = procedures();
    let ds = ledger(
        (0..60)
            .map(|i| (i * 613, (i % 3) as u8, ((2 * i + 1) % 3) as usize, vec![(30, 0), (600, 1), (900, 6), (60, 2), (30, 7)]))
            .collect(),
    );
    let facts: Vec<Facts> = ds.iter().filter(|d| d.unit == "X").map(|d| Facts::derive(d, &procs[&d.procedure], &cal).unwrap()).collect();
    let mut built = UnitBlob::default();
    assert!(built.is_empty());
    for f in &facts {
        built.push(f);
    }
    assert_eq!(built.len(), facts.len() as u64);
    let blob = built.finish();
    assert_eq!(decode_unit("X", &blob).unwrap(), facts);
    let window = window(0, 400);
    let (mut a, mut b) = (Table::default(), Table::default());
    accumulate_unit(&mut a, &blob, Level::Xa, &procs, window).unwrap();
    accumulate_unit(&mut b, &encode_unit(&facts), Level::Xa, &procs, window).unwrap();
    assert_eq!(a, b);
    assert_eq!(decode_unit("X", &UnitBlob::default().finish()).unwrap(), Vec::<Facts>::new());
}

proptest! {
    /// A stored tally is the store's own writing, but bytes read back are never trusted: any
    /// bytes are refused or read, and a read tally answers any window without panicking.
    #[test]
    fn any_bytes_are_refused_or_read_as_a_tally(mut b in proptest::collection::vec(any::<u8>(), 0..300), format in 0u8..4, start in any::<i64>(), end in any::<i64>()) {
        if let Some(first) = b.first_mut() {
            *first = format;
        }
        if let Ok(t) = Tally::decode(&b) {
            let _ = t.rows(start, end);
            let _ = t.fits(202401, start, end);
        }
    }
}
