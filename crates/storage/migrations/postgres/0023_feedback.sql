-- Citizens' feedback and petitions (phản ánh, kiến nghị: PAKN, issue 14 item 4). Each row holds
-- the record as JSON (cchc_records::feedback::Feedback's serde form) beside the columns that are
-- searched and filtered, and a version that every write bumps: a write based on an older version
-- is refused. The due date is not stored: it follows from the day of receipt, the processing time
-- and the working-day calendar in force.
CREATE TABLE feedback (
    id BIGSERIAL PRIMARY KEY,
    unit_code TEXT NOT NULL REFERENCES units (code),
    handler_unit TEXT NOT NULL REFERENCES units (code),
    channel TEXT NOT NULL,
    received_on TEXT NOT NULL,
    -- NULL while not answered
    answered_on TEXT,
    -- lower-case content, procedure code and dossier code, what the list's search reads (not the sender)
    search_text TEXT NOT NULL,
    json TEXT NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX feedback_by_unit ON feedback (unit_code, received_on);
CREATE INDEX feedback_by_handler_unit ON feedback (handler_unit, received_on);
