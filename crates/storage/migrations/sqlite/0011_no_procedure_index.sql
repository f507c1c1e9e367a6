-- The procedure-and-receipt index of migration 0009 is read by no query: every search of the
-- ledger names its units (`unit_code IN (…)`) and reads the unit-and-receipt index, which holds
-- the procedure (migration 0010); a procedure is matched by part of its code (`LIKE '%…%'`),
-- which no B-tree serves. It cost every dossier written a third B-tree insert, and an import
-- into an empty ledger a third index build (measured, 3.000.000 dossiers: 23,4 s with it,
-- 19,4 s without). The foreign key to `procedures` needs no index here: a procedure's code is
-- never changed or deleted (its row is upserted on the code).
DROP INDEX IF EXISTS dossiers_by_procedure;
