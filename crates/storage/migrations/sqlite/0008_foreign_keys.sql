-- Foreign keys: the database itself refuses a report of an unknown unit, a figure or a workflow
-- step of an unknown report, and a dossier of an unknown unit or procedure. SQLite cannot add a
-- constraint to a table, so each table is rebuilt: renamed, created again with its keys, copied
-- and dropped (nothing references the renamed tables, so this works with `foreign_keys = ON`,
-- which every connection sets). A database holding a report or dossier of a unit that is not
-- stored fails this migration with the foreign-key error and is left as it was (one
-- transaction): store the missing units, or procedures, first.
ALTER TABLE reports RENAME TO reports_0007;
ALTER TABLE report_entries RENAME TO report_entries_0007;
ALTER TABLE status_changes RENAME TO status_changes_0007;
ALTER TABLE dossiers RENAME TO dossiers_0007;
DROP INDEX reports_by_period;
DROP INDEX dossiers_by_unit;
CREATE TABLE reports (
    unit_code TEXT NOT NULL REFERENCES units (code),
    period TEXT NOT NULL,
    catalogue TEXT NOT NULL,
    unit_json TEXT NOT NULL,
    window_json TEXT,
    document_json TEXT NOT NULL,
    narrative_json TEXT NOT NULL,
    status TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_at TEXT,
    updated_by TEXT NOT NULL,
    return_reason TEXT,
    PRIMARY KEY (unit_code, period)
);
CREATE INDEX reports_by_period ON reports (period);
CREATE TABLE report_entries (
    unit_code TEXT NOT NULL,
    period TEXT NOT NULL,
    position BIGINT NOT NULL,
    entry_key TEXT NOT NULL,
    value_json TEXT,
    qualifier TEXT,
    note TEXT,
    source TEXT,
    PRIMARY KEY (unit_code, period, position),
    FOREIGN KEY (unit_code, period) REFERENCES reports (unit_code, period)
);
CREATE TABLE status_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_code TEXT NOT NULL,
    period TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    action TEXT NOT NULL,
    by_user TEXT NOT NULL,
    at TEXT NOT NULL,
    reason TEXT,
    FOREIGN KEY (unit_code, period) REFERENCES reports (unit_code, period)
);
CREATE INDEX status_changes_by_report ON status_changes (unit_code, period);
CREATE TABLE dossiers (
    id TEXT PRIMARY KEY,
    unit_code TEXT NOT NULL REFERENCES units (code),
    procedure_code TEXT NOT NULL REFERENCES procedures (code),
    received_at TEXT NOT NULL,
    json TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX dossiers_by_unit ON dossiers (unit_code, received_at);
INSERT INTO reports SELECT * FROM reports_0007;
INSERT INTO report_entries SELECT * FROM report_entries_0007;
INSERT INTO status_changes SELECT * FROM status_changes_0007;
INSERT INTO dossiers (id, unit_code, procedure_code, received_at, json, version)
    SELECT id, unit_code, procedure_code, received_at, json, version FROM dossiers_0007;
DROP TABLE status_changes_0007;
DROP TABLE report_entries_0007;
DROP TABLE reports_0007;
DROP TABLE dossiers_0007;
