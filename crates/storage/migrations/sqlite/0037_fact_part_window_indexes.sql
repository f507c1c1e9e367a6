-- A window's read of the facts' parts (tallies.rs `parts_query`) decides from indexes alone which
-- parts it skips and which it reads by their tallies. The parts' rows hold their blobs, a page of
-- the file or more each: looking at a row's settled moment or tally read that page, for every
-- ended part of the earlier years a window skips and every open part it reads by its tally
-- (30 MB more read for a year's Biểu 06 with five earlier years stored, at 3.000.000 a year).
-- An open part's tally is small (its dossiers per procedure, the running ones' due moments), so
-- the second index holds it: the read of the open parts' tallies touches no row. Only parts with a
-- tally are in it, so that the search for the untallied ones keeps to its own partial indexes.
CREATE INDEX dossier_fact_parts_window ON dossier_fact_parts (unit_code, month, is_open, settled_at, tally_until);
CREATE INDEX dossier_fact_parts_open_tallies ON dossier_fact_parts (unit_code, month, is_open, tally_until, tally) WHERE is_open = 1 AND tally IS NOT NULL;
