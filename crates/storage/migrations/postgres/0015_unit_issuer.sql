-- The issuing body of a unit's reports as its header prints it (tên cơ quan ban hành), with a
-- newline where its lines break; NULL: the People's Committee and the unit's name
-- (cchc_units::Unit::issuer, docs/units-format.md).
ALTER TABLE units ADD COLUMN issuer TEXT;
