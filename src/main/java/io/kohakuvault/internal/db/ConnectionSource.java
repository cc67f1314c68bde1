package io.kohakuvault.internal.db;

import java.sql.SQLException;

/**
 * Opens the connections a {@link Database} reads through, besides its writer: SQLite's to the
 * vault's file ({@link ConnectionFactory}), PostgreSQL's from a data source
 * ({@code io.kohakuvault.internal.postgres.PostgresConnections}).
 */
public interface ConnectionSource {
    /**
     * @return a new connection that only reads, in autocommit mode, with every setting the vault needs
     * @throws SQLException when the database cannot be reached
     */
    VaultConnection openReader() throws SQLException;
}
