package io.kohakuvault;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Turns a vault file back into what an older version of the library wrote, by undoing the newer
 * migrations (newest first), for the upgrade tests. Keep in step with src/main/resources/io/kohakuvault/migration/sqlite.
 */
final class OlderSchemas {
    private OlderSchemas() {}

    /**
     * Undoes V4 (store ids on blobs and chunks, freeing in code): the file is what version 3 wrote,
     * tables, keys and triggers as V1 to V3 made them. Its rows keep their data, and the blob ids
     * handed out so far stay used up.
     */
    static void toVersion3(Path file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("CREATE TABLE vault_kv_blob_v3 ("
                    + " id INTEGER PRIMARY KEY AUTOINCREMENT, size BIGINT NOT NULL, chunk_count INTEGER NOT NULL)");
            s.execute(
                    "INSERT INTO vault_kv_blob_v3 (id, size, chunk_count) SELECT id, size, chunk_count FROM vault_kv_blob");
            s.execute("DELETE FROM sqlite_sequence WHERE name = 'vault_kv_blob_v3'");
            s.execute("INSERT INTO sqlite_sequence (name, seq)"
                    + " SELECT 'vault_kv_blob_v3', seq FROM sqlite_sequence WHERE name = 'vault_kv_blob'");
            s.execute("DROP TABLE vault_kv_blob");
            s.execute("ALTER TABLE vault_kv_blob_v3 RENAME TO vault_kv_blob");
            s.execute("CREATE TABLE vault_kv_chunk_v3 ("
                    + " blob_id INTEGER NOT NULL REFERENCES vault_kv_blob (id), seq INTEGER NOT NULL,"
                    + " data BLOB NOT NULL, checksum BIGINT, PRIMARY KEY (blob_id, seq)) WITHOUT ROWID");
            s.execute("INSERT INTO vault_kv_chunk_v3 (blob_id, seq, data, checksum)"
                    + " SELECT blob_id, seq, data, checksum FROM vault_kv_chunk ORDER BY blob_id, seq");
            s.execute("DROP TABLE vault_kv_chunk");
            s.execute("ALTER TABLE vault_kv_chunk_v3 RENAME TO vault_kv_chunk");
            // The triggers of V1 and V2, as they wrote them.
            s.execute("CREATE TRIGGER vault_kv_entry_free_blob_on_update"
                    + " AFTER UPDATE OF blob_id ON vault_kv_entry"
                    + " FOR EACH ROW WHEN OLD.blob_id IS NOT NULL AND OLD.blob_id IS NOT NEW.blob_id"
                    + " BEGIN DELETE FROM vault_kv_blob WHERE id = OLD.blob_id; END");
            s.execute("CREATE TRIGGER vault_kv_entry_free_blob_on_delete"
                    + " AFTER DELETE ON vault_kv_entry"
                    + " FOR EACH ROW WHEN OLD.blob_id IS NOT NULL"
                    + " BEGIN DELETE FROM vault_kv_blob WHERE id = OLD.blob_id; END");
            s.execute("CREATE TRIGGER vault_kv_blob_free_chunks"
                    + " AFTER DELETE ON vault_kv_blob"
                    + " FOR EACH ROW BEGIN DELETE FROM vault_kv_chunk WHERE blob_id = OLD.id; END");
            s.execute("CREATE TRIGGER vault_column_free_chunks"
                    + " AFTER DELETE ON vault_column"
                    + " FOR EACH ROW BEGIN"
                    + " DELETE FROM vault_column_chunk WHERE column_id = OLD.id;"
                    + " DELETE FROM vault_column_heap WHERE column_id = OLD.id; END");
            s.execute("DELETE FROM vault_schema_history WHERE version = '4'");
            s.execute("UPDATE vault_meta SET schema_version = 3");
            c.commit();
        }
    }

    /** Undoes V4 and V3 (checksums): the file is what version 2 wrote. Its rows keep their data. */
    static void toVersion2(Path file) throws SQLException {
        toVersion3(file);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            for (String table :
                    new String[] {"vault_kv_entry", "vault_kv_chunk", "vault_column_chunk", "vault_column_heap"}) {
                s.execute("ALTER TABLE " + table + " DROP COLUMN checksum");
            }
            s.execute("DELETE FROM vault_schema_history WHERE version = '3'");
            s.execute("UPDATE vault_meta SET schema_version = 2");
        }
    }

    /** Undoes V3 and V2 (columns): the file is what version 1 wrote. Its key-value data is kept. */
    static void toVersion1(Path file) throws SQLException {
        toVersion2(file);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            s.execute("DROP TRIGGER vault_column_free_chunks");
            s.execute("DROP TABLE vault_column_heap");
            s.execute("DROP TABLE vault_column_chunk");
            s.execute("DROP TABLE vault_column");
            s.execute("DELETE FROM vault_schema_history WHERE version = '2'");
            s.execute("UPDATE vault_meta SET schema_version = 1");
        }
    }
}
