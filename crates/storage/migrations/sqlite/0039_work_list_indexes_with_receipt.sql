-- The work lists' counts on the dossier list (quá hạn, chờ bổ sung, …) take the list's window of
-- receipt too (`received_at` between its bounds) and stop at the count's cap (sql.rs
-- `search_rows`). Their indexes (migrations 0019, 0025) lacked the receipt moment, so each
-- dossier of a state was looked up in the table to compare it: 10.000 rows, a page of the file
-- each, for a tab of a province's 10.000.000 (0,9 s of the list's first request after a start
-- with the file out of the operating system's cache). With it, the index alone decides.
DROP INDEX dossiers_by_state;
CREATE INDEX dossiers_by_state ON dossiers (unit_code, state, due_at, received_at);
DROP INDEX dossiers_by_handling_state;
CREATE INDEX dossiers_by_handling_state ON dossiers (handling_unit, state, due_at, received_at) WHERE handling_unit <> unit_code;
