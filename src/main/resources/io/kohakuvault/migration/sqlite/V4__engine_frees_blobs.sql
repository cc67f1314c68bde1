-- KohakuVault schema version 4: the engine frees what a write orphans, in the same transaction as
-- that write, instead of triggers; and a blob and its chunks name the store they belong to. Both
-- so that the same tables work on a distributed PostgreSQL (Citus), where a distributed table takes
-- no trigger and every primary and unique key holds the distribution column (the store id for the
-- key-value tables, the column id for the column tables). Layout in docs/FORMAT.md.
--
-- The vault's connections run without foreign-key enforcement (SQLite's default), which the
-- rebuilds below rely on, as SQLite's documented way of changing a table does.

DROP TRIGGER vault_kv_entry_free_blob_on_update;
DROP TRIGGER vault_kv_entry_free_blob_on_delete;
DROP TRIGGER vault_kv_blob_free_chunks;
DROP TRIGGER vault_column_free_chunks;

-- Blobs gain the store of the entry that points at them. A blob no entry points at is an orphan
-- the triggers should never have left: it is not copied, and its chunks go with it. The id stays
-- an AUTOINCREMENT rowid: ids are never reused, so a stream reading a blob over several statements
-- finds its chunks gone once the value is replaced, never a newer blob's under the same id.
CREATE TABLE vault_kv_blob_v4 (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    store_id    INTEGER NOT NULL REFERENCES vault_kv_store (id),
    size        BIGINT  NOT NULL,
    chunk_count INTEGER NOT NULL
);
INSERT INTO vault_kv_blob_v4 (id, store_id, size, chunk_count)
SELECT b.id, min(e.store_id), b.size, b.chunk_count
FROM vault_kv_entry e JOIN vault_kv_blob b ON b.id = e.blob_id
GROUP BY b.id;
-- The new table goes on from the old one's highest id ever handed out, not from its highest id left.
DELETE FROM sqlite_sequence WHERE name = 'vault_kv_blob_v4';
INSERT INTO sqlite_sequence (name, seq) SELECT 'vault_kv_blob_v4', seq FROM sqlite_sequence WHERE name = 'vault_kv_blob';
DROP TABLE vault_kv_blob;
ALTER TABLE vault_kv_blob_v4 RENAME TO vault_kv_blob;

-- Chunks are keyed by store, blob and seq: the key PostgreSQL has, and clearing a store deletes one
-- key range. Chunks of a blob that is gone are not copied. The chunks are copied in 16 slices, each
-- deleted from the old table once copied, so that the pages it frees hold the next slice: the file
-- grows by about a 16th of its chunk data instead of doubling (the WAL still holds all of it until
-- the upgrade commits).
CREATE TABLE vault_kv_chunk_v4 (
    store_id INTEGER NOT NULL REFERENCES vault_kv_store (id),
    blob_id  INTEGER NOT NULL REFERENCES vault_kv_blob (id),
    seq      INTEGER NOT NULL,
    data     BLOB    NOT NULL,
    checksum BIGINT,
    PRIMARY KEY (store_id, blob_id, seq)
) WITHOUT ROWID;
INSERT INTO vault_kv_chunk_v4 (store_id, blob_id, seq, data, checksum)
SELECT b.store_id, c.blob_id, c.seq, c.data, c.checksum FROM vault_kv_chunk c JOIN vault_kv_blob b ON b.id = c.blob_id
WHERE c.blob_id % 16 = 0;
DELETE FROM vault_kv_chunk WHERE blob_id % 16 = 0;
INSERT INTO vault_kv_chunk_v4 (store_id, blob_id, seq, data, checksum)
SELECT b.store_id, c.blob_id, c.seq, c.data, c.checksum FROM vault_kv_chunk c JOIN vault_kv_blob b ON b.id = c.blob_id
WHERE c.blob_id % 16 = 1;
DELETE FROM vault_kv_chunk WHERE blob_id % 16 = 1;
INSERT INTO vault_kv_chunk_v4 (store_id, blob_id, seq, data, checksum)
SELECT b.store_id, c.blob_id, c.seq, c.data, c.checksum FROM vault_kv_chunk c JOIN vault_kv_blob b ON b.id = c.blob_id
WHERE c.blob_id % 16 = 2;
DELETE FROM vault_kv_chunk WHERE blob_id % 16 = 2;
INSERT INTO vault_kv_chunk_v4 (store_id, blob_id, seq, data, checksum)
SELECT b.store_id, c.blob_id, c.seq, c.data, c.checksum FROM vault_kv_chunk c JOIN vault_kv_blob b ON b.id = c.blob_id
WHERE c.blob_id % 16 = 3;
DELETE FROM vault_kv_chunk WHERE blob_id % 16 = 3;
INSERT INTO vault_kv_chunk_v4 (store_id, blob_id, seq, data, checksum)
SELECT b.store_id, c.blob_id, c.seq, c.data, c.checksum FROM vault_kv_chunk c JOIN vault_kv_blob b ON b.id = c.blob_id
WHERE c.blob_id % 16 = 4;
DELETE FROM vault_kv_chunk WHERE blob_id % 16 = 4;
INSERT INTO vault_kv_chunk_v4 (store_id, blob_id, seq, data, checksum)
SELECT b.store_id, c.blob_id, c.seq, c.data, c.checksum FROM vault_kv_chunk c JOIN vault_kv_blob b ON b.id = c.blob_id
WHERE c.blob_id % 16 = 5;
DELETE FROM vault_kv_chunk WHERE blob_id % 16 = 5;
INSERT INTO vault_kv_chunk_v4 (store_id, blob_id, seq, data, checksum)
SELECT b.store_id, c.blob_id, c.seq, c.data, c.checksum FROM vault_kv_chunk c JOIN vault_kv_blob b ON b.id = c.blob_id
WHERE c.blob_id % 16 = 6;
DELETE FROM vault_kv_chunk WHERE blob_id % 16 = 6;
INSERT INTO vault_kv_chunk_v4 (store_id, blob_id, seq, data, checksum)
SELECT b.store_id, c.blob_id, c.seq, c.data, c.checksum FROM vault_kv_chunk c JOIN vault_kv_blob b ON b.id = c.blob_id
WHERE c.blob_id % 16 = 7;
DELETE FROM vault_kv_chunk WHERE blob_id % 16 = 7;
INSERT INTO vault_kv_chunk_v4 (store_id, blob_id, seq, data, checksum)
SELECT b.store_id, c.blob_id, c.seq, c.data, c.checksum FROM vault_kv_chunk c JOIN vault_kv_blob b ON b.id = c.blob_id
WHERE c.blob_id % 16 = 8;
DELETE FROM vault_kv_chunk WHERE blob_id % 16 = 8;
INSERT INTO vault_kv_chunk_v4 (store_id, blob_id, seq, data, checksum)
SELECT b.store_id, c.blob_id, c.seq, c.data, c.checksum FROM vault_kv_chunk c JOIN vault_kv_blob b ON b.id = c.blob_id
WHERE c.blob_id % 16 = 9;
DELETE FROM vault_kv_chunk WHERE blob_id % 16 = 9;
INSERT INTO vault_kv_chunk_v4 (store_id, blob_id, seq, data, checksum)
SELECT b.store_id, c.blob_id, c.seq, c.data, c.checksum FROM vault_kv_chunk c JOIN vault_kv_blob b ON b.id = c.blob_id
WHERE c.blob_id % 16 = 10;
DELETE FROM vault_kv_chunk WHERE blob_id % 16 = 10;
INSERT INTO vault_kv_chunk_v4 (store_id, blob_id, seq, data, checksum)
SELECT b.store_id, c.blob_id, c.seq, c.data, c.checksum FROM vault_kv_chunk c JOIN vault_kv_blob b ON b.id = c.blob_id
WHERE c.blob_id % 16 = 11;
DELETE FROM vault_kv_chunk WHERE blob_id % 16 = 11;
INSERT INTO vault_kv_chunk_v4 (store_id, blob_id, seq, data, checksum)
SELECT b.store_id, c.blob_id, c.seq, c.data, c.checksum FROM vault_kv_chunk c JOIN vault_kv_blob b ON b.id = c.blob_id
WHERE c.blob_id % 16 = 12;
DELETE FROM vault_kv_chunk WHERE blob_id % 16 = 12;
INSERT INTO vault_kv_chunk_v4 (store_id, blob_id, seq, data, checksum)
SELECT b.store_id, c.blob_id, c.seq, c.data, c.checksum FROM vault_kv_chunk c JOIN vault_kv_blob b ON b.id = c.blob_id
WHERE c.blob_id % 16 = 13;
DELETE FROM vault_kv_chunk WHERE blob_id % 16 = 13;
INSERT INTO vault_kv_chunk_v4 (store_id, blob_id, seq, data, checksum)
SELECT b.store_id, c.blob_id, c.seq, c.data, c.checksum FROM vault_kv_chunk c JOIN vault_kv_blob b ON b.id = c.blob_id
WHERE c.blob_id % 16 = 14;
DELETE FROM vault_kv_chunk WHERE blob_id % 16 = 14;
INSERT INTO vault_kv_chunk_v4 (store_id, blob_id, seq, data, checksum)
SELECT b.store_id, c.blob_id, c.seq, c.data, c.checksum FROM vault_kv_chunk c JOIN vault_kv_blob b ON b.id = c.blob_id
WHERE c.blob_id % 16 = 15;
DELETE FROM vault_kv_chunk WHERE blob_id % 16 = 15;
DROP TABLE vault_kv_chunk;
ALTER TABLE vault_kv_chunk_v4 RENAME TO vault_kv_chunk;

-- Chunks of a column that is gone: orphans too.
DELETE FROM vault_column_chunk WHERE column_id NOT IN (SELECT id FROM vault_column);
DELETE FROM vault_column_heap WHERE column_id NOT IN (SELECT id FROM vault_column);

UPDATE vault_meta SET schema_version = 4;
