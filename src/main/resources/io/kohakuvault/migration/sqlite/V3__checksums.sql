-- KohakuVault schema version 3: a checksum on every row that holds stored bytes, so that bytes
-- changed on disk (a flipped bit, a torn sector, another program's write) are found when read,
-- never returned as if they were the value. Layout and the exact bytes each covers: docs/FORMAT.md.
--
-- Each is a CRC-32C (an unsigned 32-bit value; BIGINT so the generated classes hold it in a long). Rows written before this version have NULL:
-- they are read unchecked until rewritten.

-- Over the key, then the inline value; or over the key, then the blob id (8 bytes, little-endian).
ALTER TABLE vault_kv_entry ADD COLUMN checksum BIGINT;

-- Over the blob id (8 bytes), the seq (4 bytes), both little-endian, then the chunk's data.
ALTER TABLE vault_kv_chunk ADD COLUMN checksum BIGINT;

-- Over the seq (8 bytes, little-endian), then the chunk's data.
ALTER TABLE vault_column_chunk ADD COLUMN checksum BIGINT;
ALTER TABLE vault_column_heap ADD COLUMN checksum BIGINT;

UPDATE vault_meta SET schema_version = 3;
