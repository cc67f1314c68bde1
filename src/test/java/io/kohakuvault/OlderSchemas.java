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

    /** Undoes V3 (checksums): the file is what version 2 wrote. Its rows keep their data. */
    static void toVersion2(Path file) throws SQLException {
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
