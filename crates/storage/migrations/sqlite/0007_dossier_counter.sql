-- The one-stop counter writes dossiers one at a time, concurrently (crates/storage/src/counter.rs):
-- a version per dossier row for optimistic locking (an archived dossier counts as version 1),
-- the per-unit receipt-code counters, advanced in the transaction that inserts the dossier, and
-- the facts of dossiers written at the counter, one row per dossier (a delta over the unit's
-- blob in `dossier_facts`, folded into it by the next import or re-derivation of that unit), so
-- that a counter write never rewrites a unit's whole blob.
ALTER TABLE dossiers ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
CREATE TABLE dossier_counters (
    prefix TEXT PRIMARY KEY,
    last INTEGER NOT NULL
);
CREATE TABLE dossier_fact_rows (
    id TEXT PRIMARY KEY,
    unit_code TEXT NOT NULL,
    data BLOB NOT NULL
);
CREATE INDEX dossier_fact_rows_by_unit ON dossier_fact_rows (unit_code);
