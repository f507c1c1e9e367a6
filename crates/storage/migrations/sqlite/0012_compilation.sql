-- A compiled report (báo cáo tổng hợp) keeps what it was compiled from: when and by whom, the
-- reports counted with their versions, the units missing, and the unit's own statements that the
-- compiled figures replaced (cchc_report::Compilation as JSON; NULL for a report not compiled).
ALTER TABLE reports ADD COLUMN compilation_json TEXT;
