-- The satisfaction survey at the counter (issue 14 item 5): one answer per receipt code, which
-- the UNIQUE constraint enforces, so two answers sent at once cannot both be stored. The row
-- copies from the ledger the dossier's receiving unit, procedure and day of receipt (the window
-- an answer counts in), and keeps the answer as JSON (cchc_records::survey::Answer) with its
-- rating (the average score rounded down, 1–5), which stands for the dossier's in the figures.
CREATE TABLE survey_answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    receipt_code TEXT NOT NULL UNIQUE,
    unit_code TEXT NOT NULL REFERENCES units (code),
    procedure_code TEXT NOT NULL,
    received_on TEXT NOT NULL,
    answered_at TEXT NOT NULL,
    rating INTEGER NOT NULL,
    json TEXT NOT NULL
);
CREATE INDEX survey_answers_by_unit ON survey_answers (unit_code, received_on);
