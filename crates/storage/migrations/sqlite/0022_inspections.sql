-- Inspections (kiểm tra công tác CCHC, issue 14 item 3): each inspection of one unit by the unit
-- keeping the record, planned (scheduled by a plan of kind "Kiểm tra CCHC" of the plans
-- register) or done, and the issues it found with their recommendations and follow-up. Each row
-- holds the record as JSON (cchc_records::inspections' serde form) beside the columns that are
-- filtered and joined, and a version that every write bumps: a write based on an older version
-- is refused, never applied over the newer one.
CREATE TABLE inspections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_code TEXT NOT NULL REFERENCES units (code),
    target_code TEXT NOT NULL REFERENCES units (code),
    -- NULL: an unscheduled inspection (kiểm tra đột xuất)
    plan_id INTEGER REFERENCES plans (id),
    scheduled_on TEXT,
    -- NULL while planned
    done_on TEXT,
    json TEXT NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX inspections_by_unit ON inspections (unit_code);
CREATE INDEX inspections_by_target ON inspections (target_code);
CREATE TABLE inspection_findings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    inspection_id INTEGER NOT NULL REFERENCES inspections (id),
    -- NULL while the recommendation is open
    resolved_on TEXT,
    json TEXT NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX inspection_findings_by_inspection ON inspection_findings (inspection_id);
