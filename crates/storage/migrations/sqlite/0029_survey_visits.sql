-- Survey codes of visits without a dossier (issue 14 item 5): the counter officer issues one for
-- a citizen who came without filing a dossier (a question, a paper collected), printed as a slip
-- with the survey's QR code; the answer to it is stored in survey_answers (one per code, as for
-- receipts) and counts in the unit's survey results, never in a dossier's facts. The code is
-- `KS-{unit}-{yymmdd}-{n:04}`, numbered by the counter of its prefix, advanced in the transaction
-- that inserts the visit. The row keeps cchc_records::survey::Visit as JSON too.
CREATE TABLE survey_visits (
    code TEXT PRIMARY KEY,
    unit_code TEXT NOT NULL REFERENCES units (code),
    procedure_code TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    json TEXT NOT NULL
);
CREATE INDEX survey_visits_by_unit ON survey_visits (unit_code, issued_at);
CREATE TABLE survey_visit_counters (
    prefix TEXT PRIMARY KEY,
    last INTEGER NOT NULL
);
