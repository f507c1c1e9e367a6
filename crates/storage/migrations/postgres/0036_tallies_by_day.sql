-- An ended part's tally is kept by day (cchc_dossiers::tally, format 3): what a window counts of
-- the part's dossiers for every day it may start on, so that a window starting after the month's
-- first moment (the 15/12 of a year's window over December of the year before) reads the part's
-- tally instead of its records. The tallies written before (format 1, for windows starting by the
-- month's first moment only) are cleared here; the store computes them again when it is opened
-- (tallies.rs `fill_tallies`, found by migration 0032's partial index of untallied ended parts).
UPDATE dossier_fact_parts SET tally = NULL, tally_until = NULL WHERE is_open = 0 AND tally IS NOT NULL;
