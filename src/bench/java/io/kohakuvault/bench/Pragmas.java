package io.kohakuvault.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PRAGMAs of the raw sqlite-jdbc baselines: the vault's defaults (VaultBuilder), so both sides
 * run SQLite configured alike.
 */
final class Pragmas {
    static final String[] ALL = {
        "PRAGMA page_size = 4096",
        "PRAGMA journal_mode = WAL",
        "PRAGMA synchronous = NORMAL",
        "PRAGMA cache_size = -20000",
        "PRAGMA mmap_size = " + (256L << 20),
        "PRAGMA temp_store = MEMORY",
    };

    private Pragmas() {}

    static void apply(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String pragma : ALL) {
                s.execute(pragma);
            }
        }
    }
}
