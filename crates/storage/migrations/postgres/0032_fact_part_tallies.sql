-- The tally of an ended part (see the SQLite migration of the same number): on the partitioned
-- table, so on every year's partition.
ALTER TABLE dossier_fact_parts ADD COLUMN tally BYTEA;
ALTER TABLE dossier_fact_parts ADD COLUMN tally_until BIGINT;
ALTER TABLE dossier_fact_parts ALTER COLUMN tally SET STORAGE EXTERNAL;
CREATE INDEX dossier_fact_parts_untallied ON dossier_fact_parts (unit_code, month) WHERE is_open = 0 AND tally IS NULL;
