-- The procedure-and-receipt index of migration 0009 is read by no query: every search of the
-- ledger names its units (`unit_code IN (…)`) and reads the unit-and-receipt index, which
-- includes the procedure (migration 0010); a procedure is matched by part of its code
-- (`LIKE '%…%'`), which no B-tree serves. It cost every dossier written one more index insert
-- (see the SQLite migration of the same number for the measured import). The foreign key to
-- `procedures` needs no index here: a procedure's code is never changed or deleted (its row is
-- upserted on the code).
DROP INDEX IF EXISTS dossiers_by_procedure;
