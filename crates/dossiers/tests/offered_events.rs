//! The events the counter offers in a state are exactly those the lifecycle accepts: every
//! offered kind applied to a history (any prefix of a generated one, or a random walk of
//! offered events) replays, and every kind not offered is refused; the demo generator's
//! `as_of` leaves nothing after the moment given.

use cchc_calendar::WorkCalendar;
use cchc_dossiers::generate::{Config, as_of, generate};
use cchc_dossiers::import::default_procedures;
use cchc_dossiers::lifecycle::{Status, offered_events};
use cchc_dossiers::*;
use cchc_units::Level;
use chrono::{Duration, NaiveDateTime};
use proptest::prelude::*;

/// An event of kind `tag` at `at`, with plausible fields.
fn event_of(tag: EventTag, at: NaiveDateTime, like: &Event) -> Event {
    let kind = match tag {
        EventTag::Received => EventKind::Received { channel: Channel::Direct },
        EventTag::NotAccepted => EventKind::NotAccepted,
        EventTag::Transferred => EventKind::Transferred { to_unit: "X2".into() },
        EventTag::SupplementRequested => EventKind::SupplementRequested,
        EventTag::SupplementProvided => EventKind::SupplementProvided,
        EventTag::FeeRequested => EventKind::FeeRequested,
        EventTag::FeePaid => EventKind::FeePaid { online: true },
        EventTag::Extended => EventKind::Extended { new_due: at + Duration::days(3), apology: true },
        EventTag::Resolved => EventKind::Resolved,
        EventTag::Refused => EventKind::Refused,
        EventTag::Withdrawn => EventKind::Withdrawn,
        EventTag::Stopped => EventKind::Stopped,
        EventTag::ResultReturned => EventKind::ResultReturned { channel: Channel::Postal },
    };
    Event { at, kind, ..like.clone() }
}

fn ledger(seed: u64) -> (Vec<Dossier>, std::collections::HashMap<String, Procedure>) {
    let procedures = default_procedures();
    let config = Config { units: vec![("X1".into(), Level::Xa)], procedures: procedures.clone(), year: 2024, dossiers: 40, seed };
    let cal = WorkCalendar::vietnam();
    (generate(&config, &cal).collect(), procedures.into_iter().map(|p| (p.code.clone(), p)).collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Offered ⇔ accepted, after every prefix of generated histories, at a later moment on the
    /// same day or days later.
    #[test]
    fn offered_events_are_exactly_the_accepted_ones(seed in 0u64..10_000, later in 0i64..4000) {
        let cal = WorkCalendar::vietnam();
        let (ds, procs) = ledger(seed);
        for d in &ds {
            let p = &procs[&d.procedure];
            for n in 1..=d.events.len() {
                let prefix = Dossier { events: d.events[..n].to_vec(), ..d.clone() };
                let state = replay(&prefix, p, &cal, None).unwrap();
                let at = prefix.events[n - 1].at + Duration::minutes(later);
                let offered = offered_events(&state, at);
                for tag in EventTag::ALL {
                    let mut next = prefix.clone();
                    next.events.push(event_of(tag, at, &prefix.events[0]));
                    let accepted = replay(&next, p, &cal, None).is_ok();
                    prop_assert_eq!(offered.contains(&tag), accepted, "{:?} after {:?} at {}", tag, state.status, at);
                }
            }
        }
    }

    /// A random walk of offered events always replays, and ends where `Status::of` says.
    #[test]
    fn walking_offered_events_never_fails(seed in 0u64..10_000, choices in prop::collection::vec((0usize..16, 1i64..3000), 1..12)) {
        let cal = WorkCalendar::vietnam();
        let (ds, procs) = ledger(seed);
        let d = &ds[0];
        let p = &procs[&d.procedure];
        let mut walk = Dossier { events: d.events[..1].to_vec(), ..d.clone() };
        for (pick, minutes) in choices {
            let state = replay(&walk, p, &cal, None).unwrap();
            prop_assert_eq!(Status::of(&walk), state.status);
            let at = walk.events.last().unwrap().at + Duration::minutes(minutes);
            let offered = offered_events(&state, at);
            if offered.is_empty() {
                break;
            }
            let tag = offered[pick % offered.len()];
            walk.events.push(event_of(tag, at, &walk.events[0]));
            prop_assert!(replay(&walk, p, &cal, None).is_ok(), "{:?} offered but refused", tag);
        }
    }

    /// `as_of` keeps nothing after the moment, and what it keeps replays.
    #[test]
    fn as_of_ends_the_ledger_at_the_moment(seed in 0u64..10_000, day in 0i64..366, minute in 0i64..1440) {
        let cal = WorkCalendar::vietnam();
        let (ds, procs) = ledger(seed);
        let now = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap() + Duration::days(day) + Duration::minutes(minute);
        for d in ds {
            let received = d.events[0].at;
            match as_of(d.clone(), now) {
                None => prop_assert!(received > now),
                Some(kept) => {
                    prop_assert!(kept.events.iter().all(|e| e.at <= now));
                    prop_assert_eq!(kept.events.len(), d.events.iter().filter(|e| e.at <= now).count());
                    prop_assert!(replay(&kept, &procs[&kept.procedure], &cal, None).is_ok());
                }
            }
        }
    }
}
