-- What administrators change in the browser.
-- The yearly schedules of days off (cchc_calendar::YearSchedule as JSON), one row per year; a
-- stored year replaces the shipped default's entry for that year (data/calendar/vn.toml).
CREATE TABLE calendar_years (
    year BIGINT PRIMARY KEY,
    json TEXT NOT NULL
);
-- Settings of the installation, key → value, e.g. `catalogue.in-force` = the reference
-- (id@version) of the catalogue new reports follow.
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
-- Login sessions (tower-sessions records as JSON), so a restart of the server logs nobody out.
-- `expires_at` in Unix seconds; expired rows are never returned and are swept on writes.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
