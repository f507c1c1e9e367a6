-- The dossier list's search (issue 17 item 2) by index: a search is a substring of the dossier's
-- normalised words (`search_text`: receipt code, procedure code, applicant's name and ID number,
-- `cchc_dossiers::search::dossier_text`), so its index is one of trigrams, pg_trgm's GIN (one
-- per year's partition, made from this one on the partitioned table). sql.rs `search_rows` asks
-- it for the needle's candidates with the same `LIKE` as without it.
--
-- An import into an empty ledger drops the index and builds it once at the end (bulk.rs
-- `PgBulk`, text_index.rs `PG_CREATE`).
--
-- pg_trgm ships with PostgreSQL (contrib) and is a trusted extension: the database's owner may
-- create it. In `public`, once per database, so that every schema's store finds its operator
-- class by that name.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE INDEX dossiers_search_trigrams ON dossiers USING gin (search_text public.gin_trgm_ops);
