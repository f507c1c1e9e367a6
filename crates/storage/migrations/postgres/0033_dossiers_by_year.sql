-- The dossier ledger partitioned by year of receipt (issue 17 item 5), as its facts already are
-- (migration 0028), so that a settled old year's dossiers are detached and archived with its
-- facts (`SqlStore::detach_settled_year`, crates/storage/src/partitions.rs). PostgreSQL only:
-- SQLite has no partitions, and its `dossiers` stays as it is (it has no migration 0033).
--
-- Partitioned by RANGE of `received_at` itself (the text 'YYYY-MM-DDTHH:MM:SS.ffffff'), one
-- partition per year 2010–2040 (`dossiers_y2024` holds '2024' <= received_at < '2025') and
-- `dossiers_other` as the default. The column's collation is "C", whatever the database's: the
-- bounds are compared byte by byte, and the list's and the counter's conditions on
-- `received_at` (compared in the column's collation) prune to the years they name.
--
-- A partitioned table's unique keys must contain its partition key, so the primary key becomes
-- `(id, received_at)`. The receipt code `id` stays unique across years through `dossier_ids`,
-- one row per dossier with its receipt moment, kept by the statement triggers below in the
-- transaction of every write of `dossiers` (a second row of an id fails its primary key).
-- Writers upsert on `(id, received_at)`; a dossier whose receipt moment changes is first moved
-- by an UPDATE of `received_at` (PostgreSQL moves the row to its new year's partition), as the
-- bulk writer does (`bulk::PgBulk::insert_rows`).
--
-- A detached year keeps its ids in `dossier_ids` (a code of an archived year is still taken),
-- and its range is held by an empty partition that refuses every row (`dossiers_y2019_closed`,
-- CHECK (false)): nothing is written into an archived year, and the default partition never
-- takes its rows, so the archive can be attached again.
--
-- Runs on a filled ledger: the rows are copied into the new table, the old one dropped, and the
-- indexes (migrations 0002, 0010, 0019, 0025, 0031) and foreign keys (0008) made again on it.
-- No table refers to `dossiers`, and none of migration 0027's triggers is on it.
CREATE TABLE dossiers_by_year (
    id TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    procedure_code TEXT NOT NULL,
    received_at TEXT COLLATE "C" NOT NULL,
    json TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    search_text TEXT,
    state TEXT,
    channel TEXT,
    due_at TEXT,
    handling_unit TEXT
) PARTITION BY RANGE (received_at);
DO $$
BEGIN
    FOR y IN 2010..2040 LOOP
        EXECUTE format('CREATE TABLE dossiers_y%s PARTITION OF dossiers_by_year FOR VALUES FROM (%L) TO (%L)', y, y::text, (y + 1)::text);
    END LOOP;
END $$;
CREATE TABLE dossiers_other PARTITION OF dossiers_by_year DEFAULT;

INSERT INTO dossiers_by_year (id, unit_code, procedure_code, received_at, json, version, search_text, state, channel, due_at, handling_unit)
    SELECT id, unit_code, procedure_code, received_at, json, version, search_text, state, channel, due_at, handling_unit FROM dossiers;

CREATE TABLE dossier_ids (
    id TEXT PRIMARY KEY,
    received_at TEXT COLLATE "C" NOT NULL
);
INSERT INTO dossier_ids (id, received_at) SELECT id, received_at FROM dossiers;

DROP TABLE dossiers;
ALTER TABLE dossiers_by_year RENAME TO dossiers;
ALTER TABLE dossiers ADD CONSTRAINT dossiers_pkey PRIMARY KEY (id, received_at);
ALTER TABLE dossiers ADD CONSTRAINT dossiers_unit FOREIGN KEY (unit_code) REFERENCES units (code);
ALTER TABLE dossiers ADD CONSTRAINT dossiers_procedure FOREIGN KEY (procedure_code) REFERENCES procedures (code);
CREATE INDEX dossiers_by_unit ON dossiers (unit_code, received_at) INCLUDE (id, procedure_code);
CREATE INDEX dossiers_by_state ON dossiers (unit_code, state, due_at);
CREATE INDEX dossiers_by_handling_unit ON dossiers (handling_unit, received_at) INCLUDE (id, procedure_code) WHERE handling_unit <> unit_code;
CREATE INDEX dossiers_by_handling_state ON dossiers (handling_unit, state, due_at) WHERE handling_unit <> unit_code;
CREATE INDEX dossiers_unfilled_search ON dossiers (unit_code) WHERE search_text IS NULL;
CREATE INDEX dossiers_unfilled_handling ON dossiers (id) WHERE handling_unit IS NULL;

-- `dossier_ids` follows `dossiers` in the same transaction. An INSERT, once per statement (a
-- bulk insert of 3.000 rows is one INSERT … SELECT here, not 3.000 calls). An UPDATE that
-- changes a row's id or receipt moment, row by row, before it (fired on the row's partition
-- also when the row moves to another year's: PostgreSQL then deletes and inserts it, and fires
-- none of the INSERT and DELETE statement triggers). Only such an update calls it (its WHEN):
-- the update half of a re-import's upsert, which keeps both, costs nothing here; a statement
-- trigger with the updated rows captured would have compared every upsert's old and new rows.
-- A DELETE, once per statement.
CREATE FUNCTION dossier_ids_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO dossier_ids (id, received_at) SELECT id, received_at FROM new_dossiers;
    RETURN NULL;
END;
$$;

CREATE FUNCTION dossier_ids_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE dossier_ids SET id = NEW.id, received_at = NEW.received_at WHERE id = OLD.id;
    RETURN NEW;
END;
$$;

CREATE FUNCTION dossier_ids_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM dossier_ids i USING old_dossiers o WHERE i.id = o.id AND i.received_at = o.received_at;
    RETURN NULL;
END;
$$;

CREATE TRIGGER dossiers_ids_insert AFTER INSERT ON dossiers
    REFERENCING NEW TABLE AS new_dossiers FOR EACH STATEMENT EXECUTE FUNCTION dossier_ids_insert();
CREATE TRIGGER dossiers_ids_update BEFORE UPDATE ON dossiers FOR EACH ROW
    WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.received_at IS DISTINCT FROM NEW.received_at)
    EXECUTE FUNCTION dossier_ids_update();
CREATE TRIGGER dossiers_ids_delete AFTER DELETE ON dossiers
    REFERENCING OLD TABLE AS old_dossiers FOR EACH STATEMENT EXECUTE FUNCTION dossier_ids_delete();
