//! The conversion of the archive of imported dossiers (migration 0006: `dossier_blocks`, one
//! LZ4-compressed block per receiving unit and import batch, and `dossier_keys`) into rows of
//! `dossiers`, run once when a store is opened (after the migrations): SQL cannot decompress the
//! blocks, so the migration to one form of a dossier (0009) is finished here, in Rust, in one
//! write transaction that inserts every archived dossier as a row (at version
//! [`crate::counter::ARCHIVED_VERSION`], as the archive read them) and drops both tables. A
//! store without those tables (converted, or created after) is not touched. The per-unit facts
//! blobs stay as they are: they never depended on where the events were kept.
//!
//! The block format, only read here: a *directory* (count, then per dossier its id, procedure
//! code, receipt moment in microseconds and the length of its JSON) and the *data*, the JSON
//! texts one after another, each LZ4-compressed with its size prepended.

use chrono::{DateTime, NaiveDateTime};
use sqlx::{AnyPool, AssertSqlSafe, Row};

use crate::StoreError;
use crate::sql::Backend;

/// One archived dossier.
struct Archived {
    id: String,
    procedure: String,
    received_at: NaiveDateTime,
    json: String,
}

fn damaged(what: &str) -> StoreError {
    StoreError::Invalid(format!("khối hồ sơ lưu trữ bị hỏng: {what}"))
}

/// The dossiers of one block.
fn decode(directory: &[u8], data: &[u8]) -> Result<Vec<Archived>, StoreError> {
    let unpack = |b: &[u8]| lz4_flex::decompress_size_prepended(b).map_err(|_| damaged("không giải nén được"));
    let (directory, data) = (unpack(directory)?, unpack(data)?);
    let mut at = 0usize;
    let mut take = |n: usize| -> Result<&[u8], StoreError> {
        let end = at.checked_add(n).filter(|e| *e <= directory.len()).ok_or_else(|| damaged("thiếu dữ liệu"))?;
        let out = &directory[at..end];
        at = end;
        Ok(out)
    };
    let u32_at = |b: &[u8]| u32::from_le_bytes(b.try_into().expect("4 bytes")) as usize;
    let count = u32_at(take(4)?);
    let mut out = Vec::with_capacity(count);
    let mut offset = 0usize;
    for _ in 0..count {
        let text = |take: &mut dyn FnMut(usize) -> Result<Vec<u8>, StoreError>| -> Result<String, StoreError> {
            let len = u32_at(&take(4)?);
            String::from_utf8(take(len)?).map_err(|_| damaged("mã UTF-8"))
        };
        let mut owned = |n: usize| take(n).map(<[u8]>::to_vec);
        let id = text(&mut owned)?;
        let procedure = text(&mut owned)?;
        let micros = i64::from_le_bytes(owned(8)?.try_into().expect("8 bytes"));
        let received_at = DateTime::from_timestamp_micros(micros).ok_or_else(|| damaged("thời điểm"))?.naive_utc();
        let len = u32_at(&owned(4)?);
        let json = data.get(offset..offset + len).ok_or_else(|| damaged("độ dài"))?;
        let json = std::str::from_utf8(json).map_err(|_| damaged("mã UTF-8"))?.to_string();
        offset += len;
        out.push(Archived { id, procedure, received_at, json });
    }
    Ok(out)
}

/// Whether the archive's tables are still there.
async fn has_archive(tx: &mut sqlx::AnyConnection, backend: Backend) -> Result<bool, StoreError> {
    let sql = match backend {
        Backend::Sqlite => "SELECT 1 AS one FROM sqlite_master WHERE type = 'table' AND name = 'dossier_blocks'",
        Backend::Postgres => {
            "SELECT 1 AS one FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'dossier_blocks'"
        }
    };
    Ok(sqlx::query(sql).fetch_optional(&mut *tx).await?.is_some())
}

/// Rows per insert of the conversion (6 parameters each).
const ROWS: usize = 2000;

/// Moves every archived dossier into a row of `dossiers` and drops the archive's tables, in one
/// transaction; returns how many dossiers moved (0 when there was no archive).
pub(crate) async fn convert(pool: &AnyPool, backend: Backend) -> Result<usize, StoreError> {
    let mut tx = match backend {
        Backend::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await?,
        Backend::Postgres => pool.begin().await?,
    };
    if !has_archive(&mut tx, backend).await? {
        return Ok(0);
    }
    let blocks: Vec<i64> = sqlx::query("SELECT id FROM dossier_blocks ORDER BY id")
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<Result<_, _>>()?;
    let mut moved = 0;
    for block in blocks {
        let r = sqlx::query("SELECT unit_code, directory, data FROM dossier_blocks WHERE id = $1").bind(block).fetch_one(&mut *tx).await?;
        let unit: String = r.try_get("unit_code")?;
        let dossiers = decode(&r.try_get::<Vec<u8>, _>("directory")?, &r.try_get::<Vec<u8>, _>("data")?)?;
        for chunk in dossiers.chunks(ROWS) {
            let sql = format!(
                "INSERT INTO dossiers (id, unit_code, procedure_code, received_at, json, version) VALUES {}",
                crate::sql::value_rows(backend, 6, chunk.len())
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for d in chunk {
                q = q
                    .bind(d.id.clone())
                    .bind(unit.clone())
                    .bind(d.procedure.clone())
                    .bind(crate::bulk::ts(d.received_at))
                    .bind(d.json.clone())
                    .bind(crate::counter::ARCHIVED_VERSION);
            }
            q.execute(&mut *tx).await?;
        }
        moved += dossiers.len();
    }
    sqlx::query("DROP TABLE dossier_keys").execute(&mut *tx).await?;
    sqlx::query("DROP TABLE dossier_blocks").execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(moved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    /// A block in the archive's format (what the import of migration 0006 wrote).
    fn encode(items: &[(&str, &str, NaiveDateTime, &str)]) -> (Vec<u8>, Vec<u8>) {
        let (mut directory, mut data) = ((items.len() as u32).to_le_bytes().to_vec(), Vec::new());
        for (id, procedure, at, json) in items {
            for text in [id, procedure] {
                directory.extend_from_slice(&(text.len() as u32).to_le_bytes());
                directory.extend_from_slice(text.as_bytes());
            }
            directory.extend_from_slice(&at.and_utc().timestamp_micros().to_le_bytes());
            directory.extend_from_slice(&(json.len() as u32).to_le_bytes());
            data.extend_from_slice(json.as_bytes());
        }
        (lz4_flex::compress_prepend_size(&directory), lz4_flex::compress_prepend_size(&data))
    }

    #[tokio::test]
    async fn archived_dossiers_become_rows_once() {
        use cchc_dossiers::{Channel, Dossier, Event, EventKind};
        let store = crate::sql::SqlStore::open("sqlite::memory:").await.unwrap();
        let unit = cchc_units::Unit {
            code: "X1".into(),
            name: "Xã Một".into(),
            kind: cchc_units::UnitKind::Xa,
            parent: None,
            valid_from: None,
            valid_to: None,
            issuer: None,
        };
        store.upsert_units(&[unit], &[]).await.unwrap();
        let procedures = cchc_dossiers::import::default_procedures();
        store.put_procedures(&procedures).await.unwrap();
        // The archive's tables as migration 0006 made them, with one block of two dossiers.
        for sql in [
            "CREATE TABLE dossier_blocks (id INTEGER PRIMARY KEY, unit_code TEXT NOT NULL, received_from TEXT NOT NULL, received_to TEXT NOT NULL, directory BLOB NOT NULL, data BLOB NOT NULL)",
            "CREATE TABLE dossier_keys (id TEXT PRIMARY KEY, block INTEGER NOT NULL) WITHOUT ROWID",
        ] {
            sqlx::query(sql).execute(&store.pool).await.unwrap();
        }
        let at = chrono::NaiveDate::from_ymd_opt(2024, 3, 4).unwrap().and_hms_opt(9, 16, 0).unwrap();
        let dossier = |id: &str| Dossier {
            id: id.into(),
            unit: "X1".into(),
            procedure: procedures[0].code.clone(),
            events: vec![Event { at, kind: EventKind::Received { channel: Channel::Online }, by: None, note: None }],
            digitised: true,
            rating: Some(5),
            applicant: None,
            handler: None,
            assignments: Vec::new(),
        };
        let (a, b) = (dossier("X1-240304-0001"), dossier("X1-240304-0002"));
        let (ja, jb) = (serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());
        let p = procedures[0].code.as_str();
        let (directory, data) = encode(&[(&a.id, p, at, &ja), (&b.id, p, at, &jb)]);
        sqlx::query(
            "INSERT INTO dossier_blocks (id, unit_code, received_from, received_to, directory, data) VALUES (7, 'X1', $1, $1, $2, $3)",
        )
        .bind(crate::bulk::ts(at))
        .bind(directory)
        .bind(data)
        .execute(&store.pool)
        .await
        .unwrap();
        assert_eq!(convert(&store.pool, Backend::Sqlite).await.unwrap(), 2);
        assert_eq!(store.dossier_with_version(&b.id).await.unwrap(), Some((b.clone(), crate::counter::ARCHIVED_VERSION)));
        let (total, page) = store
            .search_dossiers(&crate::DossierQuery { text: "0001".into(), ..crate::DossierQuery::new(vec!["X1".into()], at, at, 10) })
            .await
            .unwrap();
        assert_eq!((total, page), (1, vec![a]));
        // The tables are gone; a second conversion finds nothing to do.
        assert!(sqlx::query("SELECT 1 FROM dossier_keys").execute(&store.pool).await.is_err());
        assert_eq!(convert(&store.pool, Backend::Sqlite).await.unwrap(), 0);
        // A damaged block is an error, not a panic.
        assert!(decode(b"xx", b"yy").is_err());
    }
}
