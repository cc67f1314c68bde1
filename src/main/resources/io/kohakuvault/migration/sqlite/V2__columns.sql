-- KohakuVault schema version 2: the columns (ColumnVault). Layout in docs/FORMAT.md.

-- One row per column. `element_size` is the bytes of one element, or 0 for a column of
-- variable-size elements (bytes, str). `revision` counts the column's committed writes: a reader
-- that cached chunks compares it to tell whether another connection changed the column.
-- Chunk capacities grow from `min_chunk_bytes`, doubling per chunk, up to `max_chunk_bytes`.
-- AUTOINCREMENT: an id is never reused, so the object of a deleted column never finds another
-- column under its id.
CREATE TABLE vault_column (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    name            TEXT    NOT NULL UNIQUE,
    dtype           TEXT    NOT NULL,
    element_size    INTEGER NOT NULL CHECK (element_size >= 0),
    length          BIGINT  NOT NULL DEFAULT 0 CHECK (length >= 0),
    min_chunk_bytes INTEGER NOT NULL,
    max_chunk_bytes INTEGER NOT NULL,
    revision        BIGINT  NOT NULL DEFAULT 0
);

-- The element array of a column, cut into chunks numbered by `seq` (0, 1, ...). Elements are
-- packed little-endian, `element_size` bytes each (12 bytes per index entry for variable-size
-- columns: heap seq i32, offset i32, length i32). Only the last chunk may be short.
CREATE TABLE vault_column_chunk (
    column_id INTEGER NOT NULL REFERENCES vault_column (id),
    seq       INTEGER NOT NULL,
    data      BLOB    NOT NULL,
    PRIMARY KEY (column_id, seq)
) WITHOUT ROWID;

-- The bytes of a variable-size column's elements, which its index entries point into. An element
-- never spans two heap chunks; one larger than a chunk's capacity gets a chunk of its own.
CREATE TABLE vault_column_heap (
    column_id INTEGER NOT NULL REFERENCES vault_column (id),
    seq       INTEGER NOT NULL,
    data      BLOB    NOT NULL,
    PRIMARY KEY (column_id, seq)
) WITHOUT ROWID;

-- Deleting a column frees its chunks in the same statement.
CREATE TRIGGER vault_column_free_chunks
AFTER DELETE ON vault_column
FOR EACH ROW
BEGIN
    DELETE FROM vault_column_chunk WHERE column_id = OLD.id;
    DELETE FROM vault_column_heap WHERE column_id = OLD.id;
END;

UPDATE vault_meta SET schema_version = 2;
