-- Foreign keys: the database itself refuses a report of an unknown unit, a figure or a workflow
-- step of an unknown report, and a dossier of an unknown unit or procedure. A database holding
-- one fails this migration with the foreign-key error and is left as it was (one transaction):
-- store the missing units, or procedures, first.
ALTER TABLE reports ADD CONSTRAINT reports_unit FOREIGN KEY (unit_code) REFERENCES units (code);
ALTER TABLE report_entries ADD CONSTRAINT report_entries_report FOREIGN KEY (unit_code, period) REFERENCES reports (unit_code, period);
ALTER TABLE status_changes ADD CONSTRAINT status_changes_report FOREIGN KEY (unit_code, period) REFERENCES reports (unit_code, period);
CREATE INDEX status_changes_by_report ON status_changes (unit_code, period);
ALTER TABLE dossiers ADD CONSTRAINT dossiers_unit FOREIGN KEY (unit_code) REFERENCES units (code);
ALTER TABLE dossiers ADD CONSTRAINT dossiers_procedure FOREIGN KEY (procedure_code) REFERENCES procedures (code);
