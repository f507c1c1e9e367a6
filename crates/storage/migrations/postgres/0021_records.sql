-- CCHC work records (issue 14): a unit's plans (kế hoạch) and their tasks (nhiệm vụ), and its
-- register of CCHC documents (sổ văn bản). Each row holds the record as JSON (cchc_records'
-- serde form) beside the columns that are searched and joined, and a version that every write
-- bumps: a write based on an older version is refused, never applied over the newer one.
CREATE TABLE plans (
    id BIGSERIAL PRIMARY KEY,
    unit_code TEXT NOT NULL REFERENCES units (code),
    kind TEXT NOT NULL,
    number TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    json TEXT NOT NULL,
    version BIGINT NOT NULL,
    UNIQUE (unit_code, number, issued_on)
);
CREATE TABLE plan_tasks (
    id BIGSERIAL PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    responsible TEXT NOT NULL REFERENCES units (code),
    deadline TEXT NOT NULL,
    json TEXT NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX plan_tasks_by_plan ON plan_tasks (plan_id);
CREATE INDEX plan_tasks_by_responsible ON plan_tasks (responsible, deadline);
CREATE TABLE register_documents (
    id BIGSERIAL PRIMARY KEY,
    unit_code TEXT NOT NULL REFERENCES units (code),
    kind TEXT NOT NULL,
    direction TEXT NOT NULL,
    number TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    -- lower-case number, issuer and summary, what the register's search reads
    search_text TEXT NOT NULL,
    json TEXT NOT NULL,
    version BIGINT NOT NULL,
    UNIQUE (unit_code, direction, number, issued_on)
);
CREATE INDEX register_documents_by_unit ON register_documents (unit_code, issued_on);
