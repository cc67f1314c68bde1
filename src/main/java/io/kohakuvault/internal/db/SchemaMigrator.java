package io.kohakuvault.internal.db;

import static io.kohakuvault.internal.schema.Tables.VAULT_META;

import io.kohakuvault.KohakuVaultException;
import io.kohakuvault.VaultIoException;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.migration.JavaMigration;
import org.jooq.impl.DSL;

/**
 * Brings a vault's schema, in a file or a server database, to the version this library knows. An
 * up-to-date one costs one indexed read of {@code vault_meta}; only a new or older one starts
 * Flyway. A newer one is refused.
 */
final class SchemaMigrator {
    /** Flyway's history table, named so it cannot collide with an application's own Flyway. */
    static final String HISTORY_TABLE = "vault_schema_history";

    private static final SqlText READ_VERSION = SqlText.of(
            Sql.dsl().select(VAULT_META.SCHEMA_VERSION).from(VAULT_META).where(VAULT_META.ID.eq(DSL.inline(1))));
    private static final int MIGRATION_ATTEMPTS = 5;

    private SchemaMigrator() {}

    /**
     * Makes sure the file on {@code writer} holds the latest schema, migrating it if allowed.
     *
     * @throws KohakuVaultException when the file is newer than this library, or older and read-only
     * @throws VaultIoException when a read-only file is not a vault at all
     */
    static void ensureCurrent(VaultConnection writer, VaultOptions options, Retry retry) throws SQLException {
        int version = readVersion(writer, retry.errors());
        if (version == Migrations.LATEST_VERSION) {
            return;
        }
        String location = options.location();
        if (version == FOREIGN) {
            throw new VaultIoException(location + " is not a KohakuVault file: it has a table vault_meta"
                    + " that KohakuVault did not write; its tables were left as they are");
        }
        if (version > Migrations.LATEST_VERSION) {
            throw new KohakuVaultException("vault " + location + " has schema version " + version
                    + ", newer than version " + Migrations.LATEST_VERSION
                    + " that this KohakuVault knows: open it with a newer KohakuVault");
        }
        if (options.readOnly()) {
            if (version < 0) {
                throw new VaultIoException(location + " is not a KohakuVault file (it has no vault tables)");
            }
            throw new KohakuVaultException("vault " + location + " has schema version " + version
                    + " and needs upgrading to " + Migrations.LATEST_VERSION
                    + ": open it once without readOnly");
        }
        migrate(writer, options, retry);
    }

    /** What {@link #readVersion} says of a file whose {@code vault_meta} table KohakuVault did not write. */
    static final int FOREIGN = -2;

    /** @return the file's schema version, -1 when it has no vault tables, or {@link #FOREIGN} */
    static int readVersion(VaultConnection c, DatabaseErrors errors) throws SQLException {
        try (ResultSet rows = c.prepared(READ_VERSION).executeQuery()) {
            Object version = rows.next() ? rows.getObject(1) : null;
            // A vault_meta of another program's (no row, no whole number from 1): not ours to migrate.
            return version instanceof Number n && n.longValue() >= 1 && n.longValue() <= Integer.MAX_VALUE
                    ? n.intValue()
                    : FOREIGN;
        } catch (SQLException e) {
            if (errors.isMissingTable(e)) {
                return -1;
            }
            throw e;
        }
    }

    private static void migrate(VaultConnection writer, VaultOptions options, Retry retry) throws SQLException {
        ServerTarget server = options.server();
        if (server != null) {
            ensureSchema(writer, server.schema(), options);
        }
        // Several connections may open a new file at once: the writer's busy timeout (still set
        // while opening) makes each wait for the other's migration, and one that fails anyway
        // re-reads the version before it tries again.
        for (int attempt = 0; ; attempt++) {
            try {
                flyway(writer, options).migrate();
            } catch (FlywayException e) {
                if (attempt + 1 >= MIGRATION_ATTEMPTS) {
                    throw new KohakuVaultException(
                            "could not migrate vault " + options.location() + " to schema version "
                                    + Migrations.LATEST_VERSION + ": " + e.getMessage(),
                            e);
                }
            }
            int version = readVersion(writer, retry.errors());
            if (version == Migrations.LATEST_VERSION) {
                return;
            }
            if (attempt + 1 >= MIGRATION_ATTEMPTS) {
                throw new KohakuVaultException("vault " + options.location() + " still has schema version " + version
                        + " after migrating to " + Migrations.LATEST_VERSION);
            }
            retry.pause(attempt, () -> "migrate vault " + options.location());
        }
    }

    /**
     * Creates a server vault's schema unless it exists, before Flyway runs: Flyway would retry a
     * creation it may not do (a role confined to a schema an administrator made) for ten seconds,
     * and PostgreSQL checks the right to create schemas before {@code IF NOT EXISTS}, so the
     * schema's presence is asked first, through the driver's metadata.
     *
     * @throws KohakuVaultException when the schema is missing and the role may not create it
     */
    private static void ensureSchema(VaultConnection writer, String schema, VaultOptions options) throws SQLException {
        try (ResultSet found = writer.jdbc().getMetaData().getSchemas(null, schema)) {
            if (found.next()) {
                return;
            }
        }
        try {
            writer.prepared(SqlText.postgresOnly(Sql.dsl().createSchemaIfNotExists(schema)))
                    .execute();
        } catch (SQLException e) {
            throw new KohakuVaultException(
                    "cannot create the schema " + schema + " of vault " + options.location() + ": " + e.getMessage()
                            + " (an administrator can create it: CREATE SCHEMA " + schema
                            + " AUTHORIZATION the vault's role)",
                    e);
        }
    }

    private static Flyway flyway(VaultConnection writer, VaultOptions options) throws SQLException {
        ServerTarget server = options.server();
        var config = Flyway.configure(SchemaMigrator.class.getClassLoader());
        if (server == null) {
            config.dataSource(new SingleConnectionDataSource(writer.jdbc())).resourceProvider(Migrations.SQLITE);
        } else {
            // The vault's schema is created when missing, and holds Flyway's table too.
            config.dataSource(server.dataSource()).schemas(server.schema()).resourceProvider(Migrations.POSTGRESQL);
        }
        return config.table(HISTORY_TABLE)
                .javaMigrationClassProvider(List::<Class<? extends JavaMigration>>of)
                .skipDefaultCallbacks(true)
                // Flyway's messages at debug level, never on the console (see FlywayLogs for why).
                .loggers(FlywayLogs.class.getName())
                // A file that already holds an application's own tables is adopted at version 0.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load();
    }

    /**
     * Hands Flyway the vault's own connection (an in-memory database exists only on it), and
     * ignores Flyway's {@code close()}, which would otherwise close it.
     */
    private static final class SingleConnectionDataSource implements DataSource {
        private final Connection connection;

        SingleConnectionDataSource(Connection target) {
            this.connection = (Connection) Proxy.newProxyInstance(
                    Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        if (method.getName().equals("close") && method.getParameterCount() == 0) {
                            return null;
                        }
                        try {
                            return method.invoke(target, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Override
        public Connection getConnection() {
            return connection;
        }

        @Override
        public Connection getConnection(String user, String password) {
            return connection;
        }

        @Override
        public PrintWriter getLogWriter() {
            return new PrintWriter(java.io.Writer.nullWriter());
        }

        @Override
        public void setLogWriter(PrintWriter out) {}

        @Override
        public void setLoginTimeout(int seconds) {}

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getLogger("io.kohakuvault");
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }
}
