-- Reports already issued (đã ban hành): a signed report of an earlier period stored as printed,
-- its own mistakes included, outside the submission workflow; at most one per unit and period.
-- A corrected version is the unit's report of that period in `reports`, beside it.
CREATE TABLE issued_reports (
    unit_code TEXT NOT NULL REFERENCES units (code),
    period TEXT NOT NULL,
    report_json TEXT NOT NULL,
    stored_at TEXT NOT NULL,
    by_user TEXT NOT NULL,
    PRIMARY KEY (unit_code, period)
);
