-- What the dossier list searches and filters on, written with each row (cchc_storage::DossierRow):
-- `search_text` the dossier's own words without diacritics or case (receipt code, procedure
-- code, applicant's name and ID number: cchc_dossiers::search::dossier_text), `state` its status
-- (cchc_dossiers::lifecycle::Status::slug), `channel` the receipt channel, `due_at` the
-- appointment while open with the clock running (NULL otherwise). Rows stored before are filled
-- in by the store when it is opened (crates/storage/src/backfill_0018.rs: the appointment needs
-- the facts, which SQL cannot read); NULL `search_text` marks a row not filled yet.
ALTER TABLE dossiers ADD COLUMN search_text TEXT;
ALTER TABLE dossiers ADD COLUMN state TEXT;
ALTER TABLE dossiers ADD COLUMN channel TEXT;
ALTER TABLE dossiers ADD COLUMN due_at TEXT;
