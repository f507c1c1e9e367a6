-- Files uploaded as a task's evidence (minh chứng, issue 14 item 1): the bytes beside the task
-- that names them (`evidence_file` in its JSON). A replaced file stays, as the audit's history.
CREATE TABLE task_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id INTEGER NOT NULL REFERENCES plan_tasks (id),
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    data BLOB NOT NULL,
    uploaded_at TEXT NOT NULL,
    by_user TEXT NOT NULL
);
CREATE INDEX task_files_by_task ON task_files (task_id);
