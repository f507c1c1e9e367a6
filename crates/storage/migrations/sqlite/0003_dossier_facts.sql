-- Statistics facts of the dossier ledger, one compact blob per receiving unit
-- (cchc_dossiers::facts::encode_unit): the Biểu 06 table of any window is computed from them
-- without replaying events.
CREATE TABLE dossier_facts (
    unit_code TEXT PRIMARY KEY,
    data BLOB NOT NULL
);
