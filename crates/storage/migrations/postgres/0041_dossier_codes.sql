-- The dossier list's search by the codes alone (issue 17 item 2): only an officer of the
-- dossiers' own unit searches the applicant's name and ID number; everyone else's search matches
-- the receipt and procedure codes (sql.rs `conditions`: `LOWER(id) LIKE … OR
-- LOWER(procedure_code) LIKE …`), so it asks this index of them, not migration 0040's of every
-- word, whose posting lists of a common name's trigrams were read to find none of them by a code.
-- The condition that asks it says the same expression (text_index.rs `Searched::Codes`); the
-- index only proposes, the `LIKE`s decide. One per year's partition, made from this one.
--
-- An import into an empty ledger drops it and builds it once at the end (bulk.rs `PgBulk`).
CREATE INDEX dossiers_code_trigrams ON dossiers USING gin ((LOWER(id) || ' ' || LOWER(procedure_code)) public.gin_trgm_ops);
