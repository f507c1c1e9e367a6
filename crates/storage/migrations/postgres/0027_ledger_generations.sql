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
-- Two reusable trigger functions:
-- - `bump_unit_generation()`, a ROW trigger for any table with a `unit_code` column: bumps
--   NEW.unit_code on INSERT, OLD.unit_code on DELETE, both on an UPDATE that moves the row.
--   A table that holds facts by unit (e.g. migration 0028's `dossier_fact_parts`) gets
--       CREATE TRIGGER <table>_generation AFTER INSERT OR UPDATE OR DELETE ON <table>
--           FOR EACH ROW EXECUTE FUNCTION bump_unit_generation();
--       CREATE TRIGGER <table>_generation_truncate AFTER TRUNCATE ON <table>
--           FOR EACH STATEMENT EXECUTE FUNCTION bump_all_generation();
--   (row level is fine where a bulk write writes one row per unit, as `dossier_facts`; a table
--   written with many rows per unit pays one upsert of the same row per written row.)
-- - `bump_all_generation()`, a STATEMENT trigger: bumps '*'.
-- A bump locks its scope's row until the transaction ends, so writers of the same unit's facts
-- commit one after the other (they already wait for each other on the unit's counter rows).
CREATE TABLE ledger_generations (
    scope TEXT PRIMARY KEY,
    n BIGINT NOT NULL
);

CREATE FUNCTION bump_generation(s TEXT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO ledger_generations (scope, n) VALUES (s, 1)
        ON CONFLICT (scope) DO UPDATE SET n = ledger_generations.n + 1;
$$;

CREATE FUNCTION bump_unit_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM bump_generation(NEW.unit_code);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM bump_generation(OLD.unit_code);
    ELSE
        PERFORM bump_generation(OLD.unit_code);
        IF NEW.unit_code IS DISTINCT FROM OLD.unit_code THEN
            PERFORM bump_generation(NEW.unit_code);
        END IF;
    END IF;
    RETURN NULL;
END;
$$;

CREATE FUNCTION bump_all_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bump_generation('*');
    RETURN NULL;
END;
$$;

CREATE TRIGGER dossier_facts_generation AFTER INSERT OR UPDATE OR DELETE ON dossier_facts
    FOR EACH ROW EXECUTE FUNCTION bump_unit_generation();
CREATE TRIGGER dossier_facts_generation_truncate AFTER TRUNCATE ON dossier_facts
    FOR EACH STATEMENT EXECUTE FUNCTION bump_all_generation();
CREATE TRIGGER dossier_fact_rows_generation AFTER INSERT OR UPDATE OR DELETE ON dossier_fact_rows
    FOR EACH ROW EXECUTE FUNCTION bump_unit_generation();
CREATE TRIGGER dossier_fact_rows_generation_truncate AFTER TRUNCATE ON dossier_fact_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_all_generation();
CREATE TRIGGER survey_answers_generation AFTER INSERT OR UPDATE OR DELETE ON survey_answers
    FOR EACH ROW EXECUTE FUNCTION bump_unit_generation();
CREATE TRIGGER survey_answers_generation_truncate AFTER TRUNCATE ON survey_answers
    FOR EACH STATEMENT EXECUTE FUNCTION bump_all_generation();

CREATE TRIGGER procedures_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON procedures
    FOR EACH STATEMENT EXECUTE FUNCTION bump_all_generation();
CREATE TRIGGER calendar_years_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON calendar_years
    FOR EACH STATEMENT EXECUTE FUNCTION bump_all_generation();
CREATE TRIGGER units_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON units
    FOR EACH STATEMENT EXECUTE FUNCTION bump_all_generation();
CREATE TRIGGER lineage_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON lineage
    FOR EACH STATEMENT EXECUTE FUNCTION bump_all_generation();
