-- The dossier list's search by the codes alone (issue 17 item 2): only an officer of the
-- dossiers' own unit searches the applicant's name and ID number; everyone else's search matches
-- the receipt and procedure codes (sql.rs `conditions`: `LOWER(id) LIKE … OR
-- LOWER(procedure_code) LIKE …`), so it asks this index of them, not migration 0040's of every
-- word, whose rows holding a common name were all read to find none of them by a code.
-- text_index.rs `Searched::Codes` says the same text; the index only proposes, the `LIKE`s decide.
--
-- External content: the view gives each row's codes by the row's rowid, so the index keeps no
-- copy of them and can be rebuilt from the view (after an import into an empty ledger, which sets
-- the triggers aside, bulk.rs `SqliteBulk`; or after a `VACUUM`, as 0040's).
CREATE VIEW dossier_code_texts AS
    SELECT rowid AS k, LOWER(id) || ' ' || LOWER(procedure_code) AS codes FROM dossiers;
CREATE VIRTUAL TABLE dossier_codes USING fts5(
    codes,
    content = 'dossier_code_texts',
    content_rowid = 'k',
    tokenize = 'trigram case_sensitive 1'
);
INSERT INTO dossier_codes (dossier_codes) VALUES ('rebuild');
CREATE TRIGGER dossier_codes_insert AFTER INSERT ON dossiers BEGIN
    INSERT INTO dossier_codes (rowid, codes) VALUES (new.rowid, LOWER(new.id) || ' ' || LOWER(new.procedure_code));
END;
CREATE TRIGGER dossier_codes_delete AFTER DELETE ON dossiers BEGIN
    INSERT INTO dossier_codes (dossier_codes, rowid, codes) VALUES ('delete', old.rowid, LOWER(old.id) || ' ' || LOWER(old.procedure_code));
END;
-- Only a changed code is re-indexed (a counter write sets both again, mostly to what they were).
CREATE TRIGGER dossier_codes_update AFTER UPDATE OF id, procedure_code ON dossiers
WHEN old.id IS NOT new.id OR old.procedure_code IS NOT new.procedure_code BEGIN
    INSERT INTO dossier_codes (dossier_codes, rowid, codes) VALUES ('delete', old.rowid, LOWER(old.id) || ' ' || LOWER(old.procedure_code));
    INSERT INTO dossier_codes (rowid, codes) VALUES (new.rowid, LOWER(new.id) || ' ' || LOWER(new.procedure_code));
END;
