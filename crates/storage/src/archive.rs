//! The block format of the archive of imported dossiers (tables `dossier_blocks` and
//! `dossier_keys`, migration 0006).
//!
//! Why blocks: an import of a one-stop export brings hundreds of thousands of dossiers at once.
//! As one row each, every dossier costs three B-tree inserts (the row, its id, the by-unit
//! index) and its full JSON through the single SQLite writer; measured on this project's 2-core
//! machine, SQLite alone then takes 1,6–2,0 s per 300.000 dossiers. In blocks, a dossier costs
//! one small key insert and a fifth of its bytes.
//!
//! A block holds the dossiers of one receiving unit from one batch of an import, in two
//! LZ4-compressed parts: the *directory* (per dossier: id, procedure code, receipt moment and
//! the length of its JSON), which searches read, and the *data*, the dossiers' JSON texts one
//! after another, read only for the dossiers a page shows.

use std::collections::HashSet;
use std::ops::Range;

use cchc_dossiers::Dossier;
use chrono::{DateTime, NaiveDateTime};

use crate::StoreError;

/// One dossier of a block's directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub id: String,
    pub procedure: String,
    pub received_at: NaiveDateTime,
    /// Where its JSON is in the block's data.
    span: Range<usize>,
}

/// One dossier to put in a block.
pub(crate) struct Item<'a> {
    pub id: &'a str,
    pub procedure: &'a str,
    pub received_at: NaiveDateTime,
    pub json: &'a str,
}

/// A block ready to store, with the first and last receipt moments of its dossiers.
#[derive(Debug)]
pub(crate) struct Encoded {
    pub directory: Vec<u8>,
    pub data: Vec<u8>,
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
}

/// Encodes dossiers as a block (`None` when there is none).
pub(crate) fn encode(items: &[Item]) -> Option<Encoded> {
    // Sized up front: the data of a block is a few hundred kilobytes, and growing it by
    // doubling was a measurable share of an import's copying.
    let mut directory = Vec::with_capacity(4 + items.iter().map(|i| i.id.len() + i.procedure.len() + 20).sum::<usize>());
    let mut data = Vec::with_capacity(items.iter().map(|i| i.json.len()).sum());
    let mut range: Option<(NaiveDateTime, NaiveDateTime)> = None;
    directory.extend_from_slice(&(items.len() as u32).to_le_bytes());
    for item in items {
        put_text(&mut directory, item.id);
        put_text(&mut directory, item.procedure);
        directory.extend_from_slice(&item.received_at.and_utc().timestamp_micros().to_le_bytes());
        directory.extend_from_slice(&(item.json.len() as u32).to_le_bytes());
        data.extend_from_slice(item.json.as_bytes());
        range = Some(match range {
            None => (item.received_at, item.received_at),
            Some((from, to)) => (from.min(item.received_at), to.max(item.received_at)),
        });
    }
    let (from, to) = range?;
    Some(Encoded { directory: lz4_flex::compress_prepend_size(&directory), data: lz4_flex::compress_prepend_size(&data), from, to })
}

fn put_text(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

fn damaged(what: &str) -> StoreError {
    StoreError::Invalid(format!("khối hồ sơ lưu trữ bị hỏng: {what}"))
}

/// One dossier of a block's directory, borrowed from the decompressed directory.
#[derive(Debug, Clone)]
pub(crate) struct EntryRef<'a> {
    pub id: &'a str,
    pub procedure: &'a str,
    pub received_at: NaiveDateTime,
    /// Its place in the block.
    pub index: usize,
    span: Range<usize>,
}

impl EntryRef<'_> {
    fn to_owned(&self) -> Entry {
        Entry { id: self.id.to_string(), procedure: self.procedure.to_string(), received_at: self.received_at, span: self.span.clone() }
    }
}

/// Calls `visit` on each dossier of a block's directory, in order, without copying its texts
/// (a province-wide search visits millions).
pub(crate) fn scan(compressed: &[u8], mut visit: impl FnMut(EntryRef<'_>)) -> Result<(), StoreError> {
    let bytes = decompress(compressed)?;
    let mut r = Reader { bytes: &bytes, at: 0 };
    let count = u32::from_le_bytes(r.take()?) as usize;
    let mut offset = 0usize;
    for index in 0..count {
        let (id, procedure) = (r.text()?, r.text()?);
        let micros = i64::from_le_bytes(r.take()?);
        let received_at = DateTime::from_timestamp_micros(micros).ok_or_else(|| damaged("thời điểm"))?.naive_utc();
        let len = u32::from_le_bytes(r.take()?) as usize;
        visit(EntryRef { id, procedure, received_at, index, span: offset..offset + len });
        offset += len;
    }
    Ok(())
}

/// Reads a block's directory.
pub(crate) fn directory(compressed: &[u8]) -> Result<Vec<Entry>, StoreError> {
    let mut entries = Vec::new();
    scan(compressed, |e| entries.push(e.to_owned()))?;
    Ok(entries)
}

/// Reads a block's data (the JSON texts its directory points into).
pub(crate) fn data(compressed: &[u8]) -> Result<Vec<u8>, StoreError> {
    decompress(compressed)
}

fn decompress(compressed: &[u8]) -> Result<Vec<u8>, StoreError> {
    lz4_flex::decompress_size_prepended(compressed).map_err(|_| damaged("không giải nén được"))
}

/// The JSON text of one dossier of a block.
pub(crate) fn json<'a>(entry: &Entry, data: &'a [u8]) -> Result<&'a str, StoreError> {
    let bytes = data.get(entry.span.clone()).ok_or_else(|| damaged("độ dài"))?;
    std::str::from_utf8(bytes).map_err(|_| damaged("mã UTF-8"))
}

/// One dossier of a block.
pub(crate) fn dossier(entry: &Entry, data: &[u8]) -> Result<Dossier, StoreError> {
    serde_json::from_str(json(entry, data)?).map_err(|e| StoreError::Invalid(format!("hồ sơ {} trong khối lưu trữ: {e}", entry.id)))
}

/// Every dossier of a block.
pub(crate) fn dossiers(directory: &[u8], data: &[u8]) -> Result<Vec<Dossier>, StoreError> {
    let (entries, data) = (self::directory(directory)?, self::data(data)?);
    entries.iter().map(|e| dossier(e, &data)).collect()
}

/// The block without the dossiers `ids` (`None` when none is left).
pub(crate) fn without(directory: &[u8], data: &[u8], ids: &HashSet<String>) -> Result<Option<Encoded>, StoreError> {
    let (entries, data) = (self::directory(directory)?, self::data(data)?);
    let mut kept = Vec::with_capacity(entries.len());
    for e in entries.iter().filter(|e| !ids.contains(&e.id)) {
        kept.push(Item { id: &e.id, procedure: &e.procedure, received_at: e.received_at, json: json(e, &data)? });
    }
    Ok(encode(&kept))
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], StoreError> {
        let end = self.at.checked_add(N).filter(|e| *e <= self.bytes.len()).ok_or_else(|| damaged("thiếu dữ liệu"))?;
        let out = self.bytes[self.at..end].try_into().expect("N bytes");
        self.at = end;
        Ok(out)
    }

    fn text(&mut self) -> Result<&'a str, StoreError> {
        let len = u32::from_le_bytes(self.take()?) as usize;
        let end = self.at.checked_add(len).filter(|e| *e <= self.bytes.len()).ok_or_else(|| damaged("thiếu dữ liệu"))?;
        let bytes: &'a [u8] = self.bytes;
        let s = std::str::from_utf8(&bytes[self.at..end]).map_err(|_| damaged("mã UTF-8"))?;
        self.at = end;
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use proptest::prelude::*;

    fn at(day: u32, micros: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, day).unwrap().and_hms_micro_opt(8, 0, 0, micros).unwrap()
    }

    proptest! {
        #[test]
        fn a_block_gives_back_what_it_was_given(items in prop::collection::vec(("[A-Za-z0-9.Đơ-]{1,20}", "[A-Z.]{0,12}", 1u32..28, 0u32..999_999, "\\PC{0,40}"), 1..40)) {
            let block = encode(&items.iter().map(|(id, p, d, m, j)| Item { id, procedure: p, received_at: at(*d, *m), json: j }).collect::<Vec<_>>()).unwrap();
            let entries = directory(&block.directory).unwrap();
            let data = data(&block.data).unwrap();
            prop_assert_eq!(entries.len(), items.len());
            for (e, (id, p, d, m, j)) in entries.iter().zip(&items) {
                prop_assert_eq!((&e.id, &e.procedure, e.received_at, json(e, &data).unwrap()), (id, p, at(*d, *m), j.as_str()));
            }
            let mut scanned = Vec::new();
            scan(&block.directory, |e| scanned.push((e.index, e.id.to_string(), e.procedure.to_string(), e.received_at))).unwrap();
            prop_assert_eq!(scanned, entries.iter().enumerate().map(|(i, e)| (i, e.id.clone(), e.procedure.clone(), e.received_at)).collect::<Vec<_>>());
            prop_assert_eq!(block.from, entries.iter().map(|e| e.received_at).min().unwrap());
            prop_assert_eq!(block.to, entries.iter().map(|e| e.received_at).max().unwrap());
        }
    }

    #[test]
    fn dossiers_leave_a_block_and_an_emptied_block_is_none() {
        let items = [("A", at(2, 0), "{\"a\":1}"), ("B", at(5, 0), "{\"b\":2}"), ("C", at(9, 0), "{\"c\":3}")];
        let block =
            encode(&items.iter().map(|(id, t, j)| Item { id, procedure: "P", received_at: *t, json: j }).collect::<Vec<_>>()).unwrap();
        let gone: HashSet<String> = ["A".to_string(), "C".to_string()].into();
        let left = without(&block.directory, &block.data, &gone).unwrap().unwrap();
        let entries = directory(&left.directory).unwrap();
        assert_eq!(entries.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), ["B"]);
        assert_eq!((left.from, left.to), (at(5, 0), at(5, 0)));
        assert_eq!(json(&entries[0], &data(&left.data).unwrap()).unwrap(), "{\"b\":2}");
        let all: HashSet<String> = ["A", "B", "C"].map(String::from).into();
        assert!(without(&block.directory, &block.data, &all).unwrap().is_none());
        assert!(encode(&[]).is_none());
    }

    #[test]
    fn a_damaged_block_is_an_error_not_a_panic() {
        let block = encode(&[Item { id: "A", procedure: "P", received_at: at(2, 0), json: "{}" }]).unwrap();
        for cut in 0..block.directory.len() {
            assert!(directory(&block.directory[..cut]).is_err());
            assert!(scan(&block.directory[..cut], |_| {}).is_err());
        }
        let mut wrong = block.directory.clone();
        wrong[4] ^= 0xff;
        let _ = directory(&wrong);
        assert!(data(b"xx").is_err());
    }
}
