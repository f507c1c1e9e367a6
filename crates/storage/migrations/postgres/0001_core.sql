-- Units (đơn vị) and their history.
CREATE TABLE units (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent TEXT,
    valid_from TEXT,
    valid_to TEXT
);
CREATE TABLE lineage (
    from_code TEXT NOT NULL,
    to_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    day TEXT NOT NULL,
    basis TEXT,
    PRIMARY KEY (from_code, to_code, day)
);
-- Catalogues as their TOML text, by id@version.
CREATE TABLE catalogues (
    reference TEXT PRIMARY KEY,
    toml TEXT NOT NULL
);
-- One report per unit and period; entries keep their order.
CREATE TABLE reports (
    unit_code TEXT NOT NULL,
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
    PRIMARY KEY (unit_code, period, position)
);
CREATE TABLE status_changes (
    id BIGSERIAL PRIMARY KEY,
    unit_code TEXT NOT NULL,
    period TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    action TEXT NOT NULL,
    by_user TEXT NOT NULL,
    at TEXT NOT NULL,
    reason TEXT
);
CREATE TABLE users (
    username TEXT PRIMARY KEY,
    full_name TEXT NOT NULL,
    role TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    active BIGINT NOT NULL
);
-- Audit log: who, when, what, old value, new value.
CREATE TABLE audit (
    id BIGSERIAL PRIMARY KEY,
    at TEXT NOT NULL,
    by_user TEXT NOT NULL,
    unit_code TEXT,
    period TEXT,
    action TEXT NOT NULL,
    item TEXT,
    old_value TEXT,
    new_value TEXT
);
