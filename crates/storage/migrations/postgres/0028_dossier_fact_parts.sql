-- Statistics facts by part (see the SQLite migration of the same number): two blobs per
-- receiving unit and month of receipt, the dossiers that ended (with the moment the last settled)
-- and those still open.
--
-- Declarative partitioning by year of receipt (issue 17 item 5): one partition per year, made
-- here for 2010–2040, and a default one for anything else. An old year whose dossiers all
-- settled before the current year began can be detached and archived
-- (`ALTER TABLE dossier_fact_parts DETACH PARTITION dossier_fact_parts_y2019`) without changing
-- any figure of the current year (tested: crates/storage/tests/detach_year.rs).
CREATE TABLE dossier_fact_parts (
    unit_code TEXT NOT NULL,
    month INTEGER NOT NULL,
    is_open INTEGER NOT NULL,
    settled_at BIGINT,
    data BYTEA NOT NULL,
    PRIMARY KEY (unit_code, month, is_open)
) PARTITION BY RANGE (month);
DO $$
BEGIN
    FOR y IN 2010..2040 LOOP
        EXECUTE format('CREATE TABLE dossier_fact_parts_y%s PARTITION OF dossier_fact_parts FOR VALUES FROM (%s) TO (%s)', y, y * 100, (y + 1) * 100);
    END LOOP;
END $$;
CREATE TABLE dossier_fact_parts_other PARTITION OF dossier_fact_parts DEFAULT;
-- The blobs are already compact (varints): stored uncompressed, read without pglz.
ALTER TABLE dossier_fact_parts ALTER COLUMN data SET STORAGE EXTERNAL;
ALTER TABLE dossier_fact_rows ADD COLUMN month INTEGER;
ALTER TABLE dossier_fact_rows ADD COLUMN settled_at BIGINT;
CREATE INDEX dossier_fact_rows_by_part ON dossier_fact_rows (unit_code, month);
-- The rows left to fill (none once filled): found without reading the others.
CREATE INDEX dossier_fact_rows_unfilled ON dossier_fact_rows (id) WHERE month IS NULL;

-- The parts bump their unit's generation as `dossier_facts` did (migration 0027).
CREATE TRIGGER dossier_fact_parts_generation AFTER INSERT OR UPDATE OR DELETE ON dossier_fact_parts
    FOR EACH ROW EXECUTE FUNCTION bump_unit_generation();
CREATE TRIGGER dossier_fact_parts_generation_truncate AFTER TRUNCATE ON dossier_fact_parts
    FOR EACH STATEMENT EXECUTE FUNCTION bump_all_generation();
