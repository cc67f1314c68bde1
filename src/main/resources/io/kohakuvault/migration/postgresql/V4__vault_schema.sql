-- The vault's tables on PostgreSQL, at schema version 4: the same tables and columns as the SQLite
-- file after its V1 to V4 (the jOOQ classes generated from the SQLite schema render for both), laid
-- out so that Citus can distribute them as they are (docs/SCALING.md):
--   * key-value tables are distributed by store_id, column tables by column_id, and every primary
--     key of a distributed table contains its distribution column;
--   * the catalogs (vault_meta, vault_kv_store, vault_column) are small reference tables;
--   * no triggers and no foreign keys: the engine frees blobs, chunks and a removed column's rows
--     itself, in the same transaction as the write that orphans them;
--   * ids come from sequences, never reused (a stream reading a blob across several statements must
--     never find a newer blob under its id).
-- The tables live in the schema the vault is opened with (VaultBuilder.schema, "kohakuvault" by
-- default), which Flyway creates and sets as the search path.

CREATE TABLE vault_meta (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    schema_version INTEGER NOT NULL
);

INSERT INTO vault_meta (id, schema_version) VALUES (1, 4);

CREATE SEQUENCE vault_kv_store_id_seq;

CREATE TABLE vault_kv_store (
    id   INTEGER PRIMARY KEY DEFAULT nextval('vault_kv_store_id_seq'),
    name TEXT    NOT NULL UNIQUE
);

CREATE TABLE vault_kv_entry (
    store_id INTEGER NOT NULL,
    key      BYTEA   NOT NULL,
    value    BYTEA,
    blob_id  BIGINT,
    checksum BIGINT,
    PRIMARY KEY (store_id, key),
    CHECK ((value IS NULL) <> (blob_id IS NULL))
);

CREATE SEQUENCE vault_kv_blob_id_seq;

CREATE TABLE vault_kv_blob (
    store_id    INTEGER NOT NULL,
    id          BIGINT  NOT NULL DEFAULT nextval('vault_kv_blob_id_seq'),
    size        BIGINT  NOT NULL,
    chunk_count INTEGER NOT NULL,
    PRIMARY KEY (store_id, id)
);

CREATE TABLE vault_kv_chunk (
    store_id INTEGER NOT NULL,
    blob_id  BIGINT  NOT NULL,
    seq      INTEGER NOT NULL,
    data     BYTEA   NOT NULL,
    checksum BIGINT,
    PRIMARY KEY (store_id, blob_id, seq)
);

CREATE SEQUENCE vault_column_id_seq;

CREATE TABLE vault_column (
    id              INTEGER PRIMARY KEY DEFAULT nextval('vault_column_id_seq'),
    name            TEXT    NOT NULL UNIQUE,
    dtype           TEXT    NOT NULL,
    element_size    INTEGER NOT NULL CHECK (element_size >= 0),
    length          BIGINT  NOT NULL DEFAULT 0 CHECK (length >= 0),
    min_chunk_bytes INTEGER NOT NULL,
    max_chunk_bytes INTEGER NOT NULL,
    revision        BIGINT  NOT NULL DEFAULT 0
);

CREATE TABLE vault_column_chunk (
    column_id INTEGER NOT NULL,
    seq       INTEGER NOT NULL,
    data      BYTEA   NOT NULL,
    checksum  BIGINT,
    PRIMARY KEY (column_id, seq)
);

CREATE TABLE vault_column_heap (
    column_id INTEGER NOT NULL,
    seq       INTEGER NOT NULL,
    data      BYTEA   NOT NULL,
    checksum  BIGINT,
    PRIMARY KEY (column_id, seq)
);

-- Chunks are at most 1 MiB and read in parts (substring of one element, of one range): stored
-- uncompressed out of line, PostgreSQL reads only the pages of the bytes asked for.
ALTER TABLE vault_kv_chunk ALTER COLUMN data SET STORAGE EXTERNAL;
ALTER TABLE vault_column_chunk ALTER COLUMN data SET STORAGE EXTERNAL;
ALTER TABLE vault_column_heap ALTER COLUMN data SET STORAGE EXTERNAL;
