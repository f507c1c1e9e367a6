-- The unit handling a dossier now (cchc_dossiers::Dossier::handling_unit): the unit of its last
-- transfer (chuyển liên thông), else the receiving unit (`unit_code`). The dossier list and the
-- work lists of a set of units read `unit_code IN (…) OR handling_unit IN (…)`, so a transferred
-- dossier is listed for the unit it went to as well as for the unit that received it.
-- Rows stored before: a row whose JSON names no transfer (`"to_unit"` is the only key of a
-- transfer event) is handled by its receiving unit; the others are left NULL and filled in by
-- the store when it is opened (crates/storage/src/backfill_0025.rs), which reads their events.
ALTER TABLE dossiers ADD COLUMN handling_unit TEXT;
UPDATE dossiers SET handling_unit = unit_code WHERE json NOT LIKE '%"to_unit"%';
-- The second half of the list's OR: only the transferred rows (the others are found by
-- dossiers_by_unit and dossiers_by_state), by receipt moment and by state and appointment.
CREATE INDEX dossiers_by_handling_unit ON dossiers (handling_unit, received_at, id, procedure_code) WHERE handling_unit <> unit_code;
CREATE INDEX dossiers_by_handling_state ON dossiers (handling_unit, state, due_at) WHERE handling_unit <> unit_code;
