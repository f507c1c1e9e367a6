-- The parts' small columns before their blob (issue 17: a window's cost follows the window).
-- Migration 0032 added `tally` and `tally_until` after `data`, and SQLite stores a row's columns
-- in the order of the table: a read of a part's tally walked the whole chain of overflow pages
-- of its blob to reach it, so a year's Biểu 06 read every ended part's records from disk
-- (108 MB at 3.000.000 dossiers) to use their tallies. Rebuilt with the blob last: Biểu 06 of
-- 2024 at 3.000.000 dossiers 0,15 s instead of 0,25 s, 96 MB instead of 210 MB
-- (ARCHITECTURE.md, "Figures at 3.000.000"). PostgreSQL keeps a large value out of its row
-- (TOAST), whatever the columns' order: nothing to do there.
CREATE TABLE dossier_fact_parts_new (
    unit_code TEXT NOT NULL,
    month INTEGER NOT NULL,
    is_open INTEGER NOT NULL,
    settled_at BIGINT,
    tally_until INTEGER,
    tally BLOB,
    data BLOB NOT NULL,
    PRIMARY KEY (unit_code, month, is_open)
);
INSERT INTO dossier_fact_parts_new (unit_code, month, is_open, settled_at, tally_until, tally, data)
    SELECT unit_code, month, is_open, settled_at, tally_until, tally, data FROM dossier_fact_parts;
DROP TABLE dossier_fact_parts;
ALTER TABLE dossier_fact_parts_new RENAME TO dossier_fact_parts;

CREATE INDEX dossier_fact_parts_untallied ON dossier_fact_parts (unit_code, month) WHERE is_open = 0 AND tally IS NULL;
CREATE INDEX dossier_fact_parts_open_untallied ON dossier_fact_parts (unit_code, month) WHERE is_open = 1 AND tally IS NULL;

-- The generations' triggers of migration 0028, as they were.
CREATE TRIGGER dossier_fact_parts_gen_insert AFTER INSERT ON dossier_fact_parts BEGIN
    INSERT INTO ledger_generations (scope, n) VALUES (NEW.unit_code, 1)
        ON CONFLICT (scope) DO UPDATE SET n = ledger_generations.n + 1;
END;
CREATE TRIGGER dossier_fact_parts_gen_update AFTER UPDATE ON dossier_fact_parts BEGIN
    INSERT INTO ledger_generations (scope, n) VALUES (OLD.unit_code, 1)
        ON CONFLICT (scope) DO UPDATE SET n = ledger_generations.n + 1;
    INSERT INTO ledger_generations (scope, n) SELECT NEW.unit_code, 1 WHERE NEW.unit_code <> OLD.unit_code
        ON CONFLICT (scope) DO UPDATE SET n = ledger_generations.n + 1;
END;
CREATE TRIGGER dossier_fact_parts_gen_delete AFTER DELETE ON dossier_fact_parts BEGIN
    INSERT INTO ledger_generations (scope, n) VALUES (OLD.unit_code, 1)
        ON CONFLICT (scope) DO UPDATE SET n = ledger_generations.n + 1;
END;
