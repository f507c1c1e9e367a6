-- The unit handling a dossier now (see the SQLite migration of the same number): the unit of its
-- last transfer, else the receiving unit; transferred rows stored before are filled in by the
-- store when it is opened (backfill_0025.rs).
ALTER TABLE dossiers ADD COLUMN handling_unit TEXT;
UPDATE dossiers SET handling_unit = unit_code WHERE json NOT LIKE '%"to_unit"%';
CREATE INDEX dossiers_by_handling_unit ON dossiers (handling_unit, received_at) INCLUDE (id, procedure_code) WHERE handling_unit <> unit_code;
CREATE INDEX dossiers_by_handling_state ON dossiers (handling_unit, state, due_at) WHERE handling_unit <> unit_code;
