-- Statistics facts by part (issue 17 item 1): instead of one blob per unit, two per receiving
-- unit and month of receipt (`month` = yyyymm, cchc_dossiers::facts::part_month): the dossiers
-- that ended (`is_open` 0), with the moment the last of them settled (`settled_at`, seconds), and
-- those still open (`is_open` 1, `settled_at` NULL). A window reads only
-- `month <= last_part(end) AND (settled_at IS NULL OR settled_at >= start)`
-- (cchc_dossiers::facts::part_matters): the open dossiers of earlier months, which it counts as
-- carried over, not the ended ones, which earlier years are mostly made of.
-- The blobs of `dossier_facts` are split into parts by the store when it is opened
-- (backfill_0028.rs), which leaves that table empty.
CREATE TABLE dossier_fact_parts (
    unit_code TEXT NOT NULL,
    month INTEGER NOT NULL,
    is_open INTEGER NOT NULL,
    settled_at BIGINT,
    data BLOB NOT NULL,
    PRIMARY KEY (unit_code, month, is_open)
);
-- The counter's one-dossier rows say the same of themselves, so that a window skips them too;
-- filled for the rows stored before by backfill_0028.rs (a NULL month is read by every window).
ALTER TABLE dossier_fact_rows ADD COLUMN month INTEGER;
ALTER TABLE dossier_fact_rows ADD COLUMN settled_at BIGINT;
CREATE INDEX dossier_fact_rows_by_part ON dossier_fact_rows (unit_code, month);
-- The rows left to fill (none once filled): found without reading the others.
CREATE INDEX dossier_fact_rows_unfilled ON dossier_fact_rows (id) WHERE month IS NULL;

-- The parts bump their unit's generation as `dossier_facts` did (migration 0027).
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
