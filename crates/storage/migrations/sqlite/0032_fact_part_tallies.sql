-- The tally of an ended part (issue 17: a window's cost follows the window): what the part's
-- dossiers add to a window that holds the whole of their lives (cchc_dossiers::tally), and the
-- last moment its records tell (`tally_until`). Written with the part's blob by every writer of
-- an ended part (bulk.rs `put_facts_blob_in`); NULL for open parts and for parts written before,
-- which the store fills when it is opened (fact_parts.rs `fill_tallies`, found by the partial
-- index below, which is empty once they are filled).
ALTER TABLE dossier_fact_parts ADD COLUMN tally BLOB;
ALTER TABLE dossier_fact_parts ADD COLUMN tally_until INTEGER;
CREATE INDEX dossier_fact_parts_untallied ON dossier_fact_parts (unit_code, month) WHERE is_open = 0 AND tally IS NULL;
