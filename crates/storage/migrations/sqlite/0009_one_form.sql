-- One form of a dossier: every dossier is a row of `dossiers`, imported or written at the
-- counter. The archive of migration 0006 (`dossier_blocks`, `dossier_keys`) holds LZ4 blocks
-- that SQL cannot read: its dossiers are moved into rows, and both tables dropped, by the
-- store when it is opened (crates/storage/src/archive_0006.rs), once, in one transaction.
-- The counter's searches: by unit and receipt moment (`dossiers_by_unit`, migration 0002), by
-- procedure, and by receipt code (the primary key).
CREATE INDEX dossiers_by_procedure ON dossiers (procedure_code, received_at);
