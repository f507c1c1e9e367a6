-- The rows that migrations 0018 and 0025 left for the store to fill when it is opened
-- (backfill_0018.rs: `search_text IS NULL`; backfill_0025.rs: `handling_unit IS NULL`). Every
-- open asks for them, and without an index that question read the whole ledger: 2,6–5,3 s on a
-- ledger of 6.000.000 dossiers, paid by every command (measured by scripts/bench-scale.sh,
-- sqlx's slow-statement warnings). Once filled these indexes are empty, so the question costs
-- nothing; every writer fills both columns, so they stay empty.
CREATE INDEX dossiers_unfilled_search ON dossiers (unit_code) WHERE search_text IS NULL;
CREATE INDEX dossiers_unfilled_handling ON dossiers (id) WHERE handling_unit IS NULL;
