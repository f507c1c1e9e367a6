-- Open parts get a tally too (cchc_dossiers::tally: the dossiers of a month still open, as a
-- window starting after all they tell counts them). Parts written before are filled when the
-- store is opened (tallies.rs `fill_tallies`), found by this index (empty once filled) beside
-- migration 0032's for the ended parts.
CREATE INDEX dossier_fact_parts_open_untallied ON dossier_fact_parts (unit_code, month) WHERE is_open = 1 AND tally IS NULL;
