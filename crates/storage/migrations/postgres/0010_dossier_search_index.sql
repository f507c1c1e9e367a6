-- The counter's and the dossier list's searches read the index alone (see the SQLite migration
-- of the same number): the unit-and-receipt index also carries the receipt code and the
-- procedure.
DROP INDEX IF EXISTS dossiers_by_unit;
CREATE INDEX dossiers_by_unit ON dossiers (unit_code, received_at) INCLUDE (id, procedure_code);
