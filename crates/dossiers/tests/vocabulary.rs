//! Every event kind through every reader and writer of its names: JSON, CSV, the counter's form
//! and the Vietnamese name; and the vocabulary as a literal table, so that a rename shows in
//! review. The JSON tags and CSV words are interfaces (exports exist): they must not change.

use std::collections::HashSet;

use cchc_dossiers::import::{EventFields, event_from_fields, read_dossiers_csv, write_dossiers_csv};
use cchc_dossiers::vocabulary::{Counter, EventTag, Field};
use cchc_dossiers::{Channel, Dossier, Event, EventKind};
use chrono::{NaiveDate, NaiveDateTime};

/// (kind, JSON tag, CSV word, Vietnamese name), as they are and must stay.
const TABLE: [(EventTag, &str, &str, &str); 13] = [
    (EventTag::Received, "received", "tiep-nhan", "Tiếp nhận hồ sơ"),
    (EventTag::Transferred, "transferred", "lien-thong", "Chuyển liên thông"),
    (EventTag::SupplementRequested, "supplement-requested", "yeu-cau-bo-sung", "Yêu cầu bổ sung hồ sơ"),
    (EventTag::SupplementProvided, "supplement-provided", "bo-sung", "Công dân bổ sung hồ sơ"),
    (EventTag::FeeRequested, "fee-requested", "yeu-cau-nghia-vu-tai-chinh", "Yêu cầu thực hiện nghĩa vụ tài chính"),
    (EventTag::FeePaid, "fee-paid", "nop-phi", "Đã thực hiện nghĩa vụ tài chính"),
    (EventTag::Extended, "extended", "gia-han", "Gia hạn"),
    (EventTag::Resolved, "resolved", "da-xu-ly", "Đã xử lý xong"),
    (EventTag::Refused, "refused", "tu-choi", "Từ chối giải quyết"),
    (EventTag::Withdrawn, "withdrawn", "rut-ho-so", "Công dân rút hồ sơ"),
    (EventTag::Stopped, "stopped", "dung-xu-ly", "Dừng xử lý"),
    (EventTag::ResultReturned, "result-returned", "tra-ket-qua", "Trả kết quả"),
    (EventTag::NotAccepted, "not-accepted", "khong-tiep-nhan", "Không tiếp nhận"),
];

fn moment(h: u32, m: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 6, 1).unwrap().and_hms_opt(h, m, 0).unwrap()
}

/// The sample events of a kind: every value its fields can take that a reader treats apart.
/// Exhaustive, so a new kind cannot be left out.
fn samples(tag: EventTag) -> Vec<EventKind> {
    let channels = [Channel::Direct, Channel::Online, Channel::Postal];
    match tag {
        EventTag::Received => channels.map(|channel| EventKind::Received { channel }).to_vec(),
        EventTag::NotAccepted => vec![EventKind::NotAccepted],
        EventTag::Transferred => vec![EventKind::Transferred { to_unit: "000.00.12.H42".into() }],
        EventTag::SupplementRequested => vec![EventKind::SupplementRequested],
        EventTag::SupplementProvided => vec![EventKind::SupplementProvided],
        EventTag::FeeRequested => vec![EventKind::FeeRequested],
        EventTag::FeePaid => vec![EventKind::FeePaid { online: true }, EventKind::FeePaid { online: false }],
        EventTag::Extended => [true, false].map(|apology| EventKind::Extended { new_due: moment(16, 30), apology }).to_vec(),
        EventTag::Resolved => vec![EventKind::Resolved],
        EventTag::Refused => vec![EventKind::Refused],
        EventTag::Withdrawn => vec![EventKind::Withdrawn],
        EventTag::Stopped => vec![EventKind::Stopped],
        EventTag::ResultReturned => channels.map(|channel| EventKind::ResultReturned { channel }).to_vec(),
    }
}

#[test]
fn the_table_is_the_vocabulary() {
    assert_eq!(EventTag::ALL.to_vec(), TABLE.map(|(t, ..)| t).to_vec(), "ALL is every kind, in the table's order");
    for (tag, json, csv, name) in TABLE {
        assert_eq!((tag.json(), tag.csv(), tag.name_vi()), (json, csv, name), "{tag:?}");
        assert_eq!(EventTag::from_json(json), Some(tag));
        assert_eq!(EventTag::from_csv(csv), Some(tag));
    }
}

/// The module documentation's table (the one the README points to) says what the code does.
#[test]
fn the_documented_table_is_the_vocabulary() {
    let source = include_str!("../src/vocabulary.rs");
    let documented: Vec<&str> = source.lines().filter_map(|l| l.strip_prefix("//! | [`")).collect();
    assert_eq!(documented.len(), EventTag::ALL.len(), "one row per kind");
    for (tag, row) in EventTag::ALL.into_iter().zip(documented) {
        let fields: Vec<&str> = tag
            .fields()
            .iter()
            .map(|f| match f {
                Field::PaidOnline => "channel (paid online)",
                f => f.column(),
            })
            .collect();
        let fields = if fields.is_empty() { "—".to_string() } else { fields.join(", ") };
        let counter = match tag.counter() {
            Counter::ReceiptForm => "receipt form",
            Counter::EventForm => "event form",
        };
        let expected =
            format!("{tag:?}`](EventTag::{tag:?}) | `{}` | `{}` | {} | {fields} | {counter} |", tag.json(), tag.csv(), tag.name_vi());
        assert_eq!(row, expected);
    }
}

#[test]
fn names_words_and_tags_are_unique_and_the_names_vietnamese() {
    let unique = |values: Vec<&str>| values.iter().collect::<HashSet<_>>().len() == values.len();
    assert!(unique(EventTag::ALL.map(EventTag::json).to_vec()));
    assert!(unique(EventTag::ALL.map(EventTag::csv).to_vec()));
    assert!(unique(EventTag::ALL.map(EventTag::name_vi).to_vec()));
    for tag in EventTag::ALL {
        let name = tag.name_vi();
        assert!(!name.trim().is_empty() && name.trim() == name, "{tag:?}");
        assert!(name.chars().next().is_some_and(char::is_uppercase), "{tag:?}: a name starts with a capital: {name}");
        assert!(tag.csv().bytes().all(|b| b.is_ascii_lowercase() || b == b'-'), "{tag:?}: a CSV word is ASCII kebab-case");
        assert!(tag.json().bytes().all(|b| b.is_ascii_lowercase() || b == b'-'), "{tag:?}: a JSON tag is ASCII kebab-case");
    }
}

#[test]
fn every_kind_is_written_to_json_and_read_back() {
    for tag in EventTag::ALL {
        for kind in samples(tag) {
            assert_eq!(kind.tag(), tag);
            let event = Event::new(moment(9, 15), kind);
            let json = serde_json::to_value(&event).unwrap();
            assert_eq!(json["kind"], tag.json(), "serde's tag is the vocabulary's");
            let back: Event = serde_json::from_str(&json.to_string()).unwrap();
            assert_eq!(back, event);
        }
    }
}

#[test]
fn every_kind_is_written_to_csv_and_read_back() {
    let events: Vec<Event> =
        EventTag::ALL.into_iter().flat_map(samples).enumerate().map(|(i, kind)| Event::new(moment(8, i as u32), kind)).collect();
    let dossier = Dossier {
        id: "A1".into(),
        unit: "X".into(),
        procedure: "P".into(),
        events,
        digitised: true,
        rating: Some(4),
        applicant: None,
        handler: None,
        assignments: Vec::new(),
    };
    let mut csv = Vec::new();
    write_dossiers_csv([&dossier], &mut csv).unwrap();
    let mut rows = csv::Reader::from_reader(csv.as_slice());
    let event_column = rows.headers().unwrap().iter().position(|h| h == "event").unwrap();
    let words: Vec<String> = rows.records().map(|r| r.unwrap()[event_column].to_string()).collect();
    assert_eq!(words, dossier.events.iter().map(|e| e.kind.tag().csv()).collect::<Vec<_>>(), "the writer's words are the vocabulary's");
    assert_eq!(read_dossiers_csv(csv.as_slice()).unwrap(), vec![dossier]);
}

/// A value for each field of the counter's event form, as a form posts it.
fn typed(field: Field, fields: &mut EventFields<'static>) {
    match field {
        Field::Channel | Field::PaidOnline => fields.channel = Some("truc-tuyen"),
        Field::NewDue => fields.new_due = Some("2026-06-05T16:30"),
        Field::Apology => fields.apology = true,
        Field::ToUnit => fields.to_unit = Some("000.00.12.H42"),
    }
}

/// The fields a kind lists are enough for the ledger's reader to build it, and none it does not
/// list changes what is built (so the counter's form and the CSV columns need no other).
#[test]
fn the_listed_fields_build_every_kind() {
    for tag in EventTag::ALL {
        let mut listed = EventFields { event: tag.csv(), at: "2026-06-01T09:15", ..EventFields::default() };
        for f in tag.fields() {
            typed(*f, &mut listed);
        }
        let built = event_from_fields(&listed).unwrap_or_else(|e| panic!("{tag:?} from its fields {:?}: {e:?}", tag.fields()));
        assert_eq!(built.kind.tag(), tag);
        assert_eq!(built.at, moment(9, 15));
        let mut every = EventFields { event: tag.csv(), at: "2026-06-01T09:15", ..EventFields::default() };
        for f in Field::ALL {
            typed(f, &mut every);
        }
        assert_eq!(event_from_fields(&every).unwrap(), built, "{tag:?} reads no field it does not list");
        assert!(tag.fields().iter().all(|f| Field::ALL.contains(f)));
    }
}

#[test]
fn the_fields_have_their_columns_and_names() {
    let columns = ["channel", "new_due", "apology", "to_unit"];
    for f in Field::ALL {
        assert!(columns.contains(&f.column()), "{f:?} is a column of the export: {}", f.column());
        assert!(!f.name_vi().is_empty());
    }
    assert_eq!(Field::ALL.map(Field::name_vi).iter().collect::<HashSet<_>>().len(), Field::ALL.len());
}

#[test]
fn the_counter_records_a_receipt_on_its_own_form_and_every_other_kind_on_the_event_form() {
    let on_form: Vec<EventTag> = EventTag::on_event_form().collect();
    assert_eq!(on_form.len(), EventTag::ALL.len() - 1);
    assert!(!on_form.contains(&EventTag::Received));
    assert_eq!(EventTag::Received.counter(), Counter::ReceiptForm);
    // The receiving form states the channel, which is what a receipt needs.
    assert_eq!(EventTag::Received.fields(), &[Field::Channel]);
}
