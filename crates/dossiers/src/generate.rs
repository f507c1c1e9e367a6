//! Realistic synthetic dossiers for the demo, the tests and the benchmarks, deterministic from a
//! seed. The mix follows the reference reports: about 35–45% received online, a few percent by
//! post, one dossier in ten asked for supplements (Cẩm Xuyên had many still waiting at the cut-off),
//! 1–2% resolved late (Mỹ Tú's communes: 780 of 49.900), some refused or withdrawn.

use cchc_calendar::WorkCalendar;
use cchc_units::Level;
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::lifecycle::initial_due;
use crate::model::{Applicant, ApplicantKind, Channel, Dossier, Event, EventKind, Procedure};

/// What to generate.
#[derive(Debug, Clone)]
pub struct Config {
    /// Receiving units and their level; each receives dossiers of procedures of its level.
    pub units: Vec<(String, Level)>,
    pub procedures: Vec<Procedure>,
    pub year: i32,
    pub dossiers: usize,
    pub seed: u64,
}

/// Generates `config.dossiers` dossiers received over the year.
pub fn generate<'a>(config: &'a Config, cal: &'a WorkCalendar) -> impl Iterator<Item = Dossier> + 'a {
    let mut rng = StdRng::seed_from_u64(config.seed);
    let days = working_days(cal, config.year);
    (0..config.dossiers).map(move |i| one(config, cal, &days, &mut rng, i))
}

fn working_days(cal: &WorkCalendar, year: i32) -> Vec<NaiveDate> {
    let mut d = NaiveDate::from_ymd_opt(year, 1, 1).expect("valid");
    let end = NaiveDate::from_ymd_opt(year, 12, 31).expect("valid");
    let mut out = Vec::new();
    while d <= end {
        if cal.is_working_day(d) {
            out.push(d);
        }
        d = d.succ_opt().expect("in range");
    }
    out
}

fn one(c: &Config, cal: &WorkCalendar, days: &[NaiveDate], rng: &mut StdRng, i: usize) -> Dossier {
    let (unit, level) = &c.units[rng.random_range(0..c.units.len())];
    let candidates: Vec<&Procedure> = c.procedures.iter().filter(|p| p.level == *level).collect();
    let p = if candidates.is_empty() {
        &c.procedures[rng.random_range(0..c.procedures.len())]
    } else {
        candidates[rng.random_range(0..candidates.len())]
    };
    let day = days[rng.random_range(0..days.len())];
    let received = day.and_time(NaiveTime::from_hms_opt(7, 30, 0).expect("valid")) + Duration::minutes(rng.random_range(0..540));
    let channel = match rng.random_range(0..100) {
        0..40 => Channel::Online,
        40..42 => Channel::Postal,
        _ => Channel::Direct,
    };
    let mut events = vec![Event { at: received, kind: EventKind::Received { channel }, by: None, note: None }];
    lifecycle(cal, p, rng, received, &mut events);
    Dossier {
        id: format!("{unit}-{}-{i:07}", c.year),
        unit: unit.clone(),
        procedure: p.code.clone(),
        events,
        digitised: rng.random_bool(0.6),
        rating: rng.random_bool(0.3).then(|| if rng.random_bool(0.92) { rng.random_range(4..=5) } else { rng.random_range(1..=3) }),
        applicant: Some(applicant(c.seed, i)),
        handler: None,
        assignments: Vec::new(),
    }
}

const FAMILY: [&str; 14] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"];
const MIDDLE: [&str; 8] = ["Văn", "Thị", "Đức", "Minh", "Thanh", "Ngọc", "Hữu", "Thu"];
const GIVEN: [&str; 16] =
    ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hoa", "Hùng", "Lan", "Linh", "Mai", "Nam", "Phúc", "Quân", "Tâm"];
const HAMLETS: [&str; 6] = ["Thôn Đông", "Thôn Tây", "Thôn Trung", "Xóm Mới", "Tổ dân phố 3", "Thôn Bắc"];
const TRADES: [&str; 5] = ["Thương mại Hoa Sen", "Xây dựng Phú An", "Nông sản Sơn Hà", "Dịch vụ Minh Tâm", "Vận tải Hải Nam"];

/// A plausible applicant for generated dossier `i`, deterministic from the seed and drawn from a
/// generator of its own, so the dossiers' histories are the same with or without it: nine
/// citizens in ten (a name, a 12-digit CCCD, a mobile number, a hamlet), else a company (a
/// 10-digit tax code). Invented: any likeness to a real person is chance.
pub fn applicant(seed: u64, i: usize) -> Applicant {
    let mut rng = StdRng::seed_from_u64(seed ^ (i as u64).wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let pick = |rng: &mut StdRng, list: &[&'static str]| list[rng.random_range(0..list.len())];
    let digits = |rng: &mut StdRng, n: usize| (0..n).map(|_| char::from(b'0' + rng.random_range(0..10u8))).collect::<String>();
    let phone = format!("0{}{}", pick(&mut rng, &["3", "5", "7", "8", "9"]), digits(&mut rng, 8));
    let address = format!("{}, xã {}, tỉnh Mẫu", pick(&mut rng, &HAMLETS), pick(&mut rng, &["Sơn Hà", "Lạc Giang", "Phú Lộc", "An Thịnh"]));
    if rng.random_bool(0.1) {
        return Applicant {
            kind: ApplicantKind::Organisation,
            name: format!("Công ty TNHH {}", pick(&mut rng, &TRADES)),
            id_number: Some(format!("01{}", digits(&mut rng, 8))),
            phone: Some(phone),
            address: Some(address),
            email: None,
        };
    }
    let (family, middle, given) = (pick(&mut rng, &FAMILY), pick(&mut rng, &MIDDLE), pick(&mut rng, &GIVEN));
    // CCCD: province code, century-and-sex digit, year of birth, six digits.
    let born = rng.random_range(40..=99u32);
    let id = format!("0{:02}{}{born:02}{}", rng.random_range(1..97u32), if middle == "Thị" { 1 } else { 0 }, digits(&mut rng, 6));
    Applicant {
        kind: ApplicantKind::Person,
        name: format!("{family} {middle} {given}"),
        id_number: Some(id),
        phone: Some(phone),
        address: Some(address),
        email: rng.random_bool(0.3).then(|| format!("{}{born}@example.vn", crate::search::needle(given).replace(' ', ""))),
    }
}

/// Appends the events after receipt, always in a legal order.
fn lifecycle(cal: &WorkCalendar, p: &Procedure, rng: &mut StdRng, received: NaiveDateTime, events: &mut Vec<Event>) {
    let mut due = initial_due(cal, received, p.time);
    let mut now = received + Duration::minutes(rng.random_range(30..240));
    let push = |events: &mut Vec<Event>, at: NaiveDateTime, kind| events.push(Event::new(at, kind));
    match rng.random_range(0..1000) {
        0..8 => return push(events, now, EventKind::Refused),
        8..12 => return push(events, now, EventKind::Withdrawn),
        _ => {}
    }
    if rng.random_bool(0.10) {
        push(events, now, EventKind::SupplementRequested);
        if rng.random_bool(0.25) {
            return; // still waiting for the citizen
        }
        let left = cal.working_minutes_between(now, due);
        now = cal.add_working_minutes(now, rng.random_range(240..4800));
        push(events, now, EventKind::SupplementProvided);
        due = cal.add_working_minutes(cal.effective_start(now), left);
    }
    let resolved = match rng.random_range(0..1000) {
        0..15 => cal.add_working_minutes(due, rng.random_range(60..2400)),
        15..290 => due.date().and_time(NaiveTime::from_hms_opt(8, 0, 0).expect("valid")).max(now),
        _ => now + (due - now) / rng.random_range(2..6),
    };
    if resolved > due && rng.random_bool(0.5) {
        let new_due = resolved + Duration::hours(2);
        push(events, (due - Duration::minutes(30)).max(now), EventKind::Extended { new_due, apology: true });
    }
    push(events, resolved.max(now), EventKind::Resolved);
    let channel = if rng.random_bool(0.05) { Channel::Postal } else { Channel::Direct };
    push(events, cal.add_working_minutes(resolved.max(now), rng.random_range(30..960)), EventKind::ResultReturned { channel });
}

/// A generated dossier as the ledger would hold it at `now`: none when received after `now`,
/// else with its events up to `now` (a prefix of a legal history is legal: the dossier is
/// then still open, or awaits a supplement, or its result is still to be returned). The demo
/// passes the present moment so that its ledger ends today.
pub fn as_of(mut d: Dossier, now: NaiveDateTime) -> Option<Dossier> {
    if d.events.first().is_none_or(|e| e.at > now) {
        return None;
    }
    d.events.retain(|e| e.at <= now);
    Some(d)
}
