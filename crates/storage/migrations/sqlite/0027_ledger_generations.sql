-- Generations of what the ledger's statistics read (issue 17 item 2): a counter per scope, bumped
-- in the transaction of every write that can change a statistics table, so that a result kept in
-- memory (the leaders' dashboard, cchc_app::dashboard) is used only while the generations it was
-- computed at are still the stored ones, and never goes stale.
--
-- Scopes: a receiving unit's code, bumped by a write of its facts (`dossier_facts`, the blob an
-- import or a re-derivation writes; `dossier_fact_rows`, the counter's deltas) or of a survey
-- answer about one of its dossiers (`survey_answers`, laid over its facts); and '*', bumped by a
-- write of what every unit's tables read: the procedures (levels, processing times), the
-- calendar's years of days off, the unit tree (`units`, `lineage`).
--
-- Each bump is `INSERT … ON CONFLICT (scope) DO UPDATE SET n = n + 1`. A table that holds facts
-- by unit (e.g. migration 0028's `dossier_fact_parts`) gets the same three triggers as
-- `dossier_facts` below, naming its own `unit_code`. SQLite has row triggers only: the bulk
-- import writes one `dossier_facts` row per unit, so an import costs one bump per unit.
CREATE TABLE ledger_generations (
    scope TEXT PRIMARY KEY,
    n BIGINT NOT NULL
);

CREATE TRIGGER dossier_facts_gen_insert AFTER INSERT ON dossier_facts BEGIN
    INSERT INTO ledger_generations (scope, n) VALUES (NEW.unit_code, 1)
        ON CONFLICT (scope) DO UPDATE SET n = ledger_generations.n + 1;
END;
CREATE TRIGGER dossier_facts_gen_update AFTER UPDATE ON dossier_facts BEGIN
    INSERT INTO ledger_generations (scope, n) VALUES (OLD.unit_code, 1)
        ON CONFLICT (scope) DO UPDATE SET n = ledger_generations.n + 1;
    INSERT INTO ledger_generations (scope, n) SELECT NEW.unit_code, 1 WHERE NEW.unit_code <> OLD.unit_code
        ON CONFLICT (scope) DO UPDATE SET n = ledger_generations.n + 1;
END;
CREATE TRIGGER dossier_facts_gen_delete AFTER DELETE ON dossier_facts BEGIN
    INSERT INTO ledger_generations (scope, n) VALUES (OLD.unit_code, 1)
        ON CONFLICT (scope) DO UPDATE SET n = ledger_generations.n + 1;
END;

CREATE TRIGGER dossier_fact_rows_gen_insert AFTER INSERT ON dossier_fact_rows BEGIN
    INSERT INTO ledger_generations (scope, n) VALUES (NEW.unit_code, 1)
        ON CONFLICT (scope) DO UPDATE SET n = ledger_generations.n + 1;
END;
CREATE TRIGGER dossier_fact_rows_gen_update AFTER UPDATE ON dossier_fact_rows BEGIN
    INSERT INTO ledger_generations (scope, n) VALUES (OLD.unit_code, 1)
        ON CONFLICT (scope) DO UPDATE SET n = ledger_generations.n + 1;
    INSERT INTO ledger_generations (scope, n) SELECT NEW.unit_code, 1 WHERE NEW.unit_code <> OLD.unit_code
        ON CONFLICT (scope) DO UPDATE SET n = ledger_generations.n + 1;
END;
CREATE TRIGGER dossier_fact_rows_gen_delete AFTER DELETE ON dossier_fact_rows BEGIN
    INSERT INTO ledger_generations (scope, n) VALUES (OLD.unit_code, 1)
        ON CONFLICT (scope) DO UPDATE SET n = ledger_generations.n + 1;
END;

CREATE TRIGGER survey_answers_gen_insert AFTER INSERT ON survey_answers BEGIN
    INSERT INTO ledger_generations (scope, n) VALUES (NEW.unit_code, 1)
        ON CONFLICT (scope) DO UPDATE SET n = ledger_generations.n + 1;
END;
CREATE TRIGGER survey_answers_gen_update AFTER UPDATE ON survey_answers BEGIN
    INSERT INTO ledger_generations (scope, n) VALUES (OLD.unit_code, 1)
        ON CONFLICT (scope) DO UPDATE SET n = ledger_generations.n + 1;
    INSERT INTO ledger_generations (scope, n) SELECT NEW.unit_code, 1 WHERE NEW.unit_code <> OLD.unit_code
        ON CONFLICT (scope) DO UPDATE SET n = ledger_generations.n + 1;
END;
CREATE TRIGGER survey_answers_gen_delete AFTER DELETE ON survey_answers BEGIN
    INSERT INTO ledger_generations (scope, n) VALUES (OLD.unit_code, 1)
        ON CONFLICT (scope) DO UPDATE SET n = ledger_generations.n + 1;
END;

-- What every unit's tables read: scope '*'.
CREATE TRIGGER procedures_gen_insert AFTER INSERT ON procedures BEGIN
    INSERT INTO ledger_generations (scope, n) VALUES ('*', 1)
        ON CONFLICT (scope) DO UPDATE SET n = ledger_generations.n + 1;
END;
CREATE TRIGGER procedures_gen_update AFTER UPDATE ON procedures BEGIN
    INSERT INTO ledger_generations (scope, n) VALUES ('*', 1)
        ON CONFLICT (scope) DO UPDATE SET n = ledger_generations.n + 1;
END;
CREATE TRIGGER procedures_gen_delete AFTER DELETE ON procedures BEGIN
    INSERT INTO ledger_generations (scope, n) VALUES ('*', 1)
        ON CONFLICT (scope) DO UPDATE SET n = ledger_generations.n + 1;
END;
CREATE TRIGGER calendar_years_gen_insert AFTER INSERT ON calendar_years BEGIN
    INSERT INTO ledger_generations (scope, n) VALUES ('*', 1)
        ON CONFLICT (scope) DO UPDATE SET n = ledger_generations.n + 1;
END;
CREATE TRIGGER calendar_years_gen_update AFTER UPDATE ON calendar_years BEGIN
    INSERT INTO ledger_generations (scope, n) VALUES ('*', 1)
        ON CONFLICT (scope) DO UPDATE SET n = ledger_generations.n + 1;
END;
CREATE TRIGGER calendar_years_gen_delete AFTER DELETE ON calendar_years BEGIN
    INSERT INTO ledger_generations (scope, n) VALUES ('*', 1)
        ON CONFLICT (scope) DO UPDATE SET n = ledger_generations.n + 1;
END;
CREATE TRIGGER units_gen_insert AFTER INSERT ON units BEGIN
    INSERT INTO ledger_generations (scope, n) VALUES ('*', 1)
        ON CONFLICT (scope) DO UPDATE SET n = ledger_generations.n + 1;
END;
CREATE TRIGGER units_gen_update AFTER UPDATE ON units BEGIN
    INSERT INTO ledger_generations (scope, n) VALUES ('*', 1)
        ON CONFLICT (scope) DO UPDATE SET n = ledger_generations.n + 1;
END;
CREATE TRIGGER units_gen_delete AFTER DELETE ON units BEGIN
    INSERT INTO ledger_generations (scope, n) VALUES ('*', 1)
        ON CONFLICT (scope) DO UPDATE SET n = ledger_generations.n + 1;
END;
CREATE TRIGGER lineage_gen_insert AFTER INSERT ON lineage BEGIN
    INSERT INTO ledger_generations (scope, n) VALUES ('*', 1)
        ON CONFLICT (scope) DO UPDATE SET n = ledger_generations.n + 1;
END;
CREATE TRIGGER lineage_gen_update AFTER UPDATE ON lineage BEGIN
    INSERT INTO ledger_generations (scope, n) VALUES ('*', 1)
        ON CONFLICT (scope) DO UPDATE SET n = ledger_generations.n + 1;
END;
CREATE TRIGGER lineage_gen_delete AFTER DELETE ON lineage BEGIN
    INSERT INTO ledger_generations (scope, n) VALUES ('*', 1)
        ON CONFLICT (scope) DO UPDATE SET n = ledger_generations.n + 1;
END;
