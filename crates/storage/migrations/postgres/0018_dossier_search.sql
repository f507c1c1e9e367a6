-- What the dossier list searches and filters on (see the SQLite migration of the same number);
-- rows stored before are filled in by the store when it is opened (backfill_0018.rs).
ALTER TABLE dossiers ADD COLUMN search_text TEXT;
ALTER TABLE dossiers ADD COLUMN state TEXT;
ALTER TABLE dossiers ADD COLUMN channel TEXT;
ALTER TABLE dossiers ADD COLUMN due_at TEXT;
