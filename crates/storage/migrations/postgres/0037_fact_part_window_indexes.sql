-- A window's read of the facts' parts (tallies.rs `parts_query`) decides from an index which parts
-- it skips and which it reads by their tallies, without reading the parts' rows (SQLite's
-- migration 0037 says why). PostgreSQL keeps the blobs out of line (TOAST), so its rows are narrow
-- already; and a B-tree entry is limited to about 2.700 bytes, which an open part's tally may pass
-- (a month with many dossiers still running), so the tallies are not put in an index here.
CREATE INDEX dossier_fact_parts_window ON dossier_fact_parts (unit_code, month, is_open, settled_at, tally_until);
