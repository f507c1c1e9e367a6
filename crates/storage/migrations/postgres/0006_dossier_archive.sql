-- The archive of imported dossiers (cchc dossiers import): each import stores its dossiers in
-- compressed blocks of one receiving unit (crates/storage/src/archive.rs), and one key per
-- dossier names its block. A dossier is in exactly one place: a row of `dossiers` (written one
-- by one, e.g. at the counter) or a block; writing it again moves it out of its block.
CREATE TABLE dossier_blocks (
    id BIGSERIAL PRIMARY KEY,
    unit_code TEXT NOT NULL,
    received_from TEXT NOT NULL,
    received_to TEXT NOT NULL,
    directory BYTEA NOT NULL,
    data BYTEA NOT NULL
);
CREATE INDEX dossier_blocks_by_unit ON dossier_blocks (unit_code, received_from);
CREATE TABLE dossier_keys (
    id TEXT PRIMARY KEY,
    block BIGINT NOT NULL
);
