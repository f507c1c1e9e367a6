-- The dossier list's search (issue 17 item 2) by index: a search is a substring of the dossier's
-- normalised words (`search_text`: receipt code, procedure code, applicant's name and ID number,
-- `cchc_dossiers::search::dossier_text`), so its index is one of trigrams, FTS5's `trigram`
-- tokenizer. The index keeps no copy of the texts (external content: `dossiers` by rowid) and is
-- kept by the triggers below; the texts are already lower case without diacritics, so the
-- tokenizer folds nothing (`case_sensitive 1`). sql.rs `search_rows` asks it for the needle's
-- candidates and checks each on its row with the same `LIKE` as without it.
--
-- An import into an empty ledger sets the triggers aside and builds the index once at the end
-- (bulk.rs `SqliteBulk`).
--
-- The rowid is the key: a `VACUUM` may renumber the rowids of `dossiers` (it has no INTEGER
-- PRIMARY KEY), after which the index must be rebuilt:
--   INSERT INTO dossier_words (dossier_words) VALUES ('rebuild');
CREATE VIRTUAL TABLE dossier_words USING fts5(
    search_text,
    content = 'dossiers',
    content_rowid = 'rowid',
    tokenize = 'trigram case_sensitive 1'
);
INSERT INTO dossier_words (dossier_words) VALUES ('rebuild');
CREATE TRIGGER dossier_words_insert AFTER INSERT ON dossiers BEGIN
    INSERT INTO dossier_words (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
CREATE TRIGGER dossier_words_delete AFTER DELETE ON dossiers BEGIN
    INSERT INTO dossier_words (dossier_words, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
END;
-- Every counter write sets the text again, mostly to what it was: only a change is re-indexed.
CREATE TRIGGER dossier_words_update AFTER UPDATE OF search_text ON dossiers
WHEN old.search_text IS NOT new.search_text BEGIN
    INSERT INTO dossier_words (dossier_words, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
    INSERT INTO dossier_words (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
