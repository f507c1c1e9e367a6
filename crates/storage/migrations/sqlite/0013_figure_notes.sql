-- Notes on one figure of a report (the review of a report): a comment of its thread (ý kiến), or
-- a reviewer's mark made when returning the report (đề nghị xem lại), which the clerk sees on
-- the form. Written with the step that returns the report, in its transaction.
CREATE TABLE figure_notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_code TEXT NOT NULL,
    period TEXT NOT NULL,
    entry_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    by_user TEXT NOT NULL,
    at TEXT NOT NULL,
    FOREIGN KEY (unit_code, period) REFERENCES reports (unit_code, period)
);
CREATE INDEX figure_notes_by_report ON figure_notes (unit_code, period);
