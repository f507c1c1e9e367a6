-- What the store checked when it was opened, and after which migration (sql.rs
-- `second_halves`): the second halves of migrations look for rows stored before them, which
-- every writer since fills itself, so they look once after each migration rather than at every
-- open of the store (each look a query of its own; on PostgreSQL planned over every year's
-- partition: some 20 ms of every command).
CREATE TABLE store_checks (
    name TEXT PRIMARY KEY,
    version BIGINT NOT NULL
);
