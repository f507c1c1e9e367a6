-- The one-stop dossier ledger: procedures (TTHC) and dossiers (hồ sơ) with their events as JSON.
CREATE TABLE procedures (
    code TEXT PRIMARY KEY,
    json TEXT NOT NULL
);
CREATE TABLE dossiers (
    id TEXT PRIMARY KEY,
    unit_code TEXT NOT NULL,
    procedure_code TEXT NOT NULL,
    received_at TEXT NOT NULL,
    json TEXT NOT NULL
);
CREATE INDEX dossiers_by_unit ON dossiers (unit_code, received_at);
