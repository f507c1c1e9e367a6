//! Writes of the one-stop counter: one dossier at a time, many officers at once (migration 0007).
//!
//! - A receipt takes its code from the counter of its prefix (`dossier_counters`, one row per
//!   unit and day: `{unit}-{yymmdd}`), advanced by an upsert in the transaction that inserts the
//!   dossier, so two receipts never get the same code: on PostgreSQL the second waits on the
//!   counter row's lock until the first commits, on SQLite the write transactions are serialised
//!   (`BEGIN IMMEDIATE`). A code already taken (an imported dossier) is skipped.
//! - An insert never replaces: a stored id (received at the counter or imported) is refused
//!   ([`StoreError::AlreadyExists`]).
//! - An update names the version it was based on; the version is bumped by a compare-and-set
//!   `UPDATE … WHERE version = $expected`, so of two updates based on one version the second is
//!   refused ([`StoreError::Conflict`]) and writes nothing. Imported dossiers are rows like the
//!   others (at version [`ARCHIVED_VERSION`] when first imported), so the same compare-and-set
//!   serves them.
//! - The row carries the unit handling the dossier now (`handling_unit`, migration 0025): an
//!   update that adds a transfer (chuyển liên thông) moves it, in the same statement.
//! - The facts of the dossier go to its own row of `dossier_fact_rows` (a delta over its part of
//!   the unit's facts, migration 0028), never into the part's blob, so a counter write costs the
//!   same whatever the size of the unit's ledger. The one exception: an update that moves the
//!   dossier's receipt into another month takes its record out of the old month's part too.

use cchc_dossiers::Dossier;
use cchc_dossiers::facts::{Facts, encode_unit, part_month, settled};
use sqlx::Row;

use crate::bulk::{AnyBulk, BulkTx};
use crate::{DossierRow, StoreError};

/// The version of a dossier imported for the first time (a re-import bumps it, as every write).
pub const ARCHIVED_VERSION: i64 = 1;

/// The highest running number of a receipt code (`{prefix}-0001` … `{prefix}-9999`).
pub const MAX_RECEIPTS: i64 = 9999;

/// The version and unit of a stored dossier; `None` when not stored.
async fn stored(t: &mut AnyBulk, id: &str) -> Result<Option<(i64, String)>, StoreError> {
    row_version(t, id).await
}

async fn row_version(t: &mut AnyBulk, id: &str) -> Result<Option<(i64, String)>, StoreError> {
    let row = sqlx::query("SELECT version, unit_code FROM dossiers WHERE id = $1").bind(id.to_string()).fetch_optional(&mut *t.tx).await?;
    row.map(|r| Ok((r.try_get("version")?, r.try_get("unit_code")?))).transpose()
}

/// The part (month of receipt) of a stored dossier's row; `None` when not stored.
async fn stored_month(t: &mut AnyBulk, id: &str) -> Result<Option<u32>, StoreError> {
    let row = sqlx::query("SELECT received_at FROM dossiers WHERE id = $1").bind(id.to_string()).fetch_optional(&mut *t.tx).await?;
    let Some(row) = row else { return Ok(None) };
    let text: String = row.try_get("received_at")?;
    Ok(Some(part_month(cchc_dossiers::facts::secs(crate::sql::parse_ts(&text)?))))
}

/// Takes the record of dossier `id` out of its unit's part of `month`, where an update that moved
/// its receipt to another month would leave it for every window to count beside the new one. The
/// part is rewritten with the counter's rows of that month folded in (as an import does).
async fn leave_part(t: &mut AnyBulk, unit: &str, month: u32, id: &str) -> Result<(), StoreError> {
    let old = t.facts_part(unit, month).await?;
    let part = cchc_dossiers::facts::merge_part(unit, old.as_deref(), &[], &std::collections::HashSet::from([id]))
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    t.put_facts_part(unit, month, part).await
}

/// Writes the dossier's facts as its delta row, with its part and the moment it settled, which
/// a window's query reads as it reads the parts' (migration 0028).
async fn put_delta(t: &mut AnyBulk, facts: &Facts) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO dossier_fact_rows (id, unit_code, data, month, settled_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE SET unit_code = excluded.unit_code, data = excluded.data, month = excluded.month, settled_at = excluded.settled_at",
    )
    .bind(facts.id.clone())
    .bind(facts.unit.clone())
    .bind(encode_unit([facts]))
    .bind(part_month(facts.received) as i32)
    .bind(settled(facts))
    .execute(&mut *t.tx)
    .await?;
    Ok(())
}

/// Inserts the row of a dossier that is stored nowhere, at `version`.
async fn insert_row(t: &mut AnyBulk, row: &DossierRow, version: i64) -> Result<(), StoreError> {
    let done =
        sqlx::query("INSERT INTO dossiers (id, unit_code, procedure_code, received_at, json, version, search_text, state, channel, due_at, handling_unit) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
            .bind(row.facts.id.clone())
            .bind(row.facts.unit.clone())
            .bind(row.facts.procedure.clone())
            .bind(crate::bulk::ts(row.received_at))
            .bind(row.json.clone())
            .bind(version)
            .bind(row.search.clone())
            .bind(row.state)
            .bind(row.channel())
            .bind(row.due_at.map(crate::bulk::ts))
            .bind(row.handling.clone())
            .execute(&mut *t.tx)
            .await;
    match done {
        Ok(_) => Ok(()),
        // Inserted by another writer since it was looked up (PostgreSQL).
        // Also a code of a year detached for archiving, kept in `dossier_ids` (migration 0033).
        Err(sqlx::Error::Database(db)) if db.kind() == sqlx::error::ErrorKind::UniqueViolation => Err(StoreError::AlreadyExists(1)),
        // A dossier received in a detached year (PostgreSQL).
        Err(e) => Err(crate::partitions::refused(e)),
    }
}

/// See [`crate::Store::insert_dossier`].
pub(crate) async fn insert(t: &mut AnyBulk, dossier: &Dossier, facts: &Facts) -> Result<i64, StoreError> {
    let row = DossierRow::new(dossier, facts.clone())?;
    if let Some((version, _)) = stored(t, &dossier.id).await? {
        return Err(StoreError::AlreadyExists(version));
    }
    insert_row(t, &row, 1).await?;
    put_delta(t, facts).await?;
    Ok(1)
}

/// See [`crate::Store::receive_dossier`].
pub(crate) async fn receive(t: &mut AnyBulk, prefix: &str, dossier: &Dossier, facts: &Facts) -> Result<Dossier, StoreError> {
    let mut n: i64 = sqlx::query(
        "INSERT INTO dossier_counters (prefix, last) VALUES ($1, 1) ON CONFLICT (prefix) DO UPDATE SET last = dossier_counters.last + 1 RETURNING last",
    )
    .bind(prefix.to_string())
    .fetch_one(&mut *t.tx)
    .await?
    .try_get("last")?;
    if n == 1 {
        // A new counter: start after the codes of this prefix already stored (imported).
        let taken = highest_taken(t, prefix).await?;
        if taken > 0 {
            n = taken + 1;
            set_counter(t, prefix, n).await?;
        }
    }
    loop {
        if n > MAX_RECEIPTS {
            return Err(StoreError::Invalid(format!("Đã hết số tiếp nhận của ngày (mã {prefix}-…, tối đa {MAX_RECEIPTS} hồ sơ)")));
        }
        let id = format!("{prefix}-{n:04}");
        if stored(t, &id).await?.is_none() {
            let d = Dossier { id: id.clone(), ..dossier.clone() };
            let f = Facts { id, ..facts.clone() };
            insert_row(t, &DossierRow::new(&d, f.clone())?, 1).await?;
            put_delta(t, &f).await?;
            if n > 1 {
                set_counter(t, prefix, n).await?;
            }
            return Ok(d);
        }
        n += 1;
    }
}

async fn set_counter(t: &mut AnyBulk, prefix: &str, n: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE dossier_counters SET last = $2 WHERE prefix = $1").bind(prefix.to_string()).bind(n).execute(&mut *t.tx).await?;
    Ok(())
}

/// The highest running number among the stored codes `{prefix}-NNNN` (0 when none): a range of
/// the rows' primary key.
async fn highest_taken(t: &mut AnyBulk, prefix: &str) -> Result<i64, StoreError> {
    let (from, to) = (format!("{prefix}-"), format!("{prefix}."));
    let mut highest = 0;
    let sql = "SELECT id FROM dossiers WHERE id > $1 AND id < $2";
    for r in sqlx::query(sql).bind(from.clone()).bind(to.clone()).fetch_all(&mut *t.tx).await? {
        let id: String = r.try_get("id")?;
        if let Some(n) = id.strip_prefix(&from).filter(|s| s.len() == 4).and_then(|s| s.parse::<i64>().ok()) {
            highest = highest.max(n);
        }
    }
    Ok(highest)
}

/// See [`crate::Store::update_dossier`].
pub(crate) async fn update(t: &mut AnyBulk, dossier: &Dossier, facts: &Facts, expected: i64) -> Result<i64, StoreError> {
    let row = DossierRow::new(dossier, facts.clone())?;
    let before = stored_month(t, &dossier.id).await?;
    let done = sqlx::query(
        "UPDATE dossiers SET procedure_code = $2, received_at = $3, json = $4, search_text = $7, state = $8, channel = $9, due_at = $10, handling_unit = $11, version = version + 1 WHERE id = $1 AND version = $5 AND unit_code = $6",
    )
    .bind(dossier.id.clone())
    .bind(row.facts.procedure.clone())
    .bind(crate::bulk::ts(row.received_at))
    .bind(row.json.clone())
    .bind(expected)
    .bind(dossier.unit.clone())
    .bind(row.search.clone())
    .bind(row.state)
    .bind(row.channel())
    .bind(row.due_at.map(crate::bulk::ts))
    .bind(row.handling.clone())
    .execute(&mut *t.tx)
    .await
    .map_err(crate::partitions::refused)?;
    if done.rows_affected() == 1 {
        if let Some(month) = before.filter(|m| *m != part_month(facts.received)) {
            leave_part(t, &facts.unit, month, &facts.id).await?;
        }
        put_delta(t, facts).await?;
        return Ok(expected + 1);
    }
    // Not updated: stale, of another unit or unknown.
    let Some((found, unit)) = stored(t, &dossier.id).await? else {
        return Err(StoreError::NotFound(format!("hồ sơ {}", dossier.id)));
    };
    if unit != dossier.unit {
        return Err(StoreError::Invalid(format!(
            "hồ sơ {} thuộc đơn vị {unit}, không chuyển sang đơn vị {} được",
            dossier.id, dossier.unit
        )));
    }
    Err(StoreError::Conflict { expected, found })
}
