package io.kohakuvault.internal.postgres;

import io.kohakuvault.InvalidArgumentException;
import io.kohakuvault.internal.db.ConnectionSource;
import io.kohakuvault.internal.db.ServerTarget;
import io.kohakuvault.internal.db.ServerUrls;
import io.kohakuvault.internal.db.VaultConnection;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jooq.SQLDialect;
import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Opens a server vault's connections from its data source, each set up the same way: the vault's
 * schema as the search path (the driver quotes the name; it is validated before) and autocommit on.
 * Each connection reopens itself the same way once it was found lost.
 */
public final class PostgresConnections implements ConnectionSource {
    private final ServerTarget target;

    /** @param target the database and schema */
    public PostgresConnections(ServerTarget target) {
        this.target = target;
    }

    /**
     * @return the connection that writes; it takes the vault's write lock in each transaction
     * @throws SQLException when the database cannot be reached
     */
    public VaultConnection openWriter() throws SQLException {
        return wrap(open());
    }

    @Override
    public VaultConnection openReader() throws SQLException {
        return wrap(open());
    }

    /**
     * @param url a {@code jdbc:postgresql:} URL, credentials and TLS settings in its parameters
     * @return the driver's own data source for it: a new connection per call (the vault keeps
     *     the few it uses open)
     * @throws InvalidArgumentException when the driver cannot read the URL; the message holds no password
     */
    public static DataSource dataSource(String url) {
        PGSimpleDataSource source = new PGSimpleDataSource();
        try {
            source.setURL(url);
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException(
                    "cannot read the URL " + ServerUrls.redacted(url) + " as a PostgreSQL database's");
        }
        return source;
    }

    /**
     * @param source a data source from {@link #dataSource(String)}
     * @return the schema its URL's {@code currentSchema} parameter names, or null when it names none
     */
    public static @Nullable String currentSchema(DataSource source) {
        String schema = source instanceof PGSimpleDataSource pg ? pg.getCurrentSchema() : null;
        return schema == null || schema.isEmpty() ? null : schema;
    }

    private VaultConnection wrap(Connection jdbc) {
        return new VaultConnection(jdbc, SQLDialect.POSTGRES, PostgresTransactions.INSTANCE, this::open);
    }

    private Connection open() throws SQLException {
        Connection jdbc = target.dataSource().getConnection();
        try {
            jdbc.setAutoCommit(true);
            jdbc.setSchema(target.schema());
            return jdbc;
        } catch (SQLException | RuntimeException e) {
            try {
                jdbc.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }
}
