-- KohakuVault schema version 1: the vault's marker and the key-value stores.
-- The storage layout is described in docs/FORMAT.md; keep the two in step.

-- One row: which schema version this file holds. Read on every open, so an up-to-date file
-- never pays for a Flyway scan. Every later migration updates it.
CREATE TABLE vault_meta (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    schema_version INTEGER NOT NULL
);
INSERT INTO vault_meta (id, schema_version) VALUES (1, 1);

-- The named key-value stores of this file: vault.kv("media") is one row here.
CREATE TABLE vault_kv_store (
    id   INTEGER PRIMARY KEY,
    name TEXT    NOT NULL UNIQUE
);

-- One row per key. A value of at most one chunk lives inline in `value`; a larger one is a
-- blob of chunk rows, and `value` is NULL. WITHOUT ROWID: a lookup by key walks one B-tree.
CREATE TABLE vault_kv_entry (
    store_id INTEGER NOT NULL REFERENCES vault_kv_store (id),
    key      BLOB    NOT NULL,
    value    BLOB,
    blob_id  INTEGER REFERENCES vault_kv_blob (id),
    PRIMARY KEY (store_id, key),
    CHECK ((value IS NULL) <> (blob_id IS NULL))
) WITHOUT ROWID;

-- A value stored as chunk rows: its total size in bytes and how many chunks hold it.
-- A blob is written once and never changed; replacing a value writes a new blob. AUTOINCREMENT:
-- an id is never reused, so a reader streaming a replaced value finds its chunks gone, never
-- another value's chunks under the same id.
CREATE TABLE vault_kv_blob (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    size        BIGINT  NOT NULL,
    chunk_count INTEGER NOT NULL
);

-- The bytes of a blob, in order of `seq` (0, 1, ...). Every chunk but the last is full.
CREATE TABLE vault_kv_chunk (
    blob_id INTEGER NOT NULL REFERENCES vault_kv_blob (id),
    seq     INTEGER NOT NULL,
    data    BLOB    NOT NULL,
    PRIMARY KEY (blob_id, seq)
) WITHOUT ROWID;

-- A blob lives exactly as long as the entry that points at it: replacing or deleting the entry
-- frees its chunks in the same statement, so no write can leave an orphan behind.
CREATE TRIGGER vault_kv_entry_free_blob_on_update
AFTER UPDATE OF blob_id ON vault_kv_entry
FOR EACH ROW WHEN OLD.blob_id IS NOT NULL AND OLD.blob_id IS NOT NEW.blob_id
BEGIN
    DELETE FROM vault_kv_blob WHERE id = OLD.blob_id;
END;

CREATE TRIGGER vault_kv_entry_free_blob_on_delete
AFTER DELETE ON vault_kv_entry
FOR EACH ROW WHEN OLD.blob_id IS NOT NULL
BEGIN
    DELETE FROM vault_kv_blob WHERE id = OLD.blob_id;
END;

CREATE TRIGGER vault_kv_blob_free_chunks
AFTER DELETE ON vault_kv_blob
FOR EACH ROW
BEGIN
    DELETE FROM vault_kv_chunk WHERE blob_id = OLD.id;
END;
