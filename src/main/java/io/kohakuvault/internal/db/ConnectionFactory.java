package io.kohakuvault.internal.db;

import io.kohakuvault.Synchronous;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteOpenMode;

/**
 * Opens connections to a vault's file with the vault's PRAGMAs. The writer gets the settings
 * that change the file (journal mode, page size); every connection gets the per-connection ones.
 */
final class ConnectionFactory implements ConnectionSource {
    /** How long opening waits for another connection that is creating or migrating the file. */
    static final int OPEN_BUSY_TIMEOUT_MS = 30_000;

    /**
     * How many WAL pages a commit may leave before it checkpoints them into the file (PASSIVE,
     * never waiting for readers): SQLite's default, 1000 pages (4 MiB at the default page size),
     * set explicitly because the bound on the WAL's size below rests on it.
     */
    static final int WAL_AUTOCHECKPOINT_PAGES = 1000;

    /**
     * What SQLite truncates the {@code -wal} file (or a rollback journal) to when it restarts it
     * after a complete checkpoint: 64 MiB. Without a limit the file keeps the size of its largest
     * burst forever: a large transaction (a chunked value of gigabytes is one transaction) would
     * leave gigabytes behind. The WAL normally restarts at about {@link #WAL_AUTOCHECKPOINT_PAGES}
     * pages, far below this; 64 MiB keeps the file from being truncated and grown again on every
     * moderate burst, which costs a file extension and its syncs each time, while capping what a
     * rare big one leaves on disk.
     */
    static final long JOURNAL_SIZE_LIMIT_BYTES = 64L << 20;

    private final VaultOptions options;
    private final String url;
    /** Whether the writer's file is in WAL mode, when {@link #openWriter} read it from the header. */
    private @Nullable Boolean journalModeKnown;

    ConnectionFactory(VaultOptions options) {
        this.options = options;
        this.url = options.inMemory() ? "jdbc:sqlite::memory:" : "jdbc:sqlite:" + options.file();
    }

    /**
     * Opens the connection that writes, and sets the file-wide PRAGMAs. It stays in JDBC's
     * autocommit mode for Flyway; the {@link Database} takes over its transactions afterwards.
     */
    VaultConnection openWriter() throws SQLException {
        // Until the schema is known to be current, wait for other connections that are creating or
        // migrating the same file (switching to WAL and migrating take exclusive locks).
        // An existing file whose header already says the journal mode wanted needs neither the
        // page size (only a new file takes it) nor the journal-mode switch: two statements and a
        // lock fewer on every open.
        Path file = options.file();
        Boolean wal = file == null ? null : FileHeader.walMode(file);
        boolean current = wal != null && wal == options.walEnabled();
        journalModeKnown = current ? wal : null;
        VaultConnection c = open(OPEN_BUSY_TIMEOUT_MS);
        try {
            if (!options.readOnly() && !options.inMemory() && !current) {
                // Only takes effect on a new file; harmless on an existing one.
                c.execute("PRAGMA page_size = " + options.pageSize());
                setJournalMode(c);
            }
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /**
     * Sets the journal mode, waiting while other connections are opening the same file: SQLite
     * answers busy to a journal-mode change at once, without its busy timeout, while another
     * connection holds the file in a way that blocks the switch.
     */
    private void setJournalMode(VaultConnection c) throws SQLException {
        String pragma = "PRAGMA journal_mode = " + (options.walEnabled() ? "WAL" : "DELETE");
        long deadline = System.nanoTime() + OPEN_BUSY_TIMEOUT_MS * 1_000_000L;
        for (int attempt = 0; ; attempt++) {
            try {
                c.pragma(pragma);
                return;
            } catch (SQLException e) {
                if (!SqliteErrors.INSTANCE.isBusy(e) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(Math.min(100, 1L << Math.min(attempt, 6)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting to open " + options.location(), e);
            }
        }
    }

    /**
     * @return true or false when {@link #openWriter} found the file already in WAL or
     *     rollback-journal mode (as wanted) and left it so; null when the connection must be asked
     */
    @Nullable
    Boolean journalModeKnown() {
        return journalModeKnown;
    }

    /** Opens a connection that only reads. */
    @Override
    public VaultConnection openReader() throws SQLException {
        VaultConnection c = open(0);
        try {
            c.takeOverTransactions();
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private VaultConnection open(int busyTimeoutMs) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        // The vault hands each connection to one thread at a time, so SQLite's own mutex is not needed.
        config.setOpenMode(SQLiteOpenMode.NOMUTEX);
        config.setReadOnly(options.readOnly());
        // Once open, busy is handled by Retry, with the vault's own backoff (see Database.open).
        config.setBusyTimeout(busyTimeoutMs);
        // sqlite-jdbc would otherwise run "SELECT last_insert_rowid()" after every INSERT.
        config.setGetGeneratedKeys(false);
        Properties properties = config.toProperties();
        SQLiteConnection connection = (SQLiteConnection) new org.sqlite.JDBC().connect(url, properties);
        VaultConnection c = new VaultConnection(connection);
        try {
            String[] pragmas = {
                "PRAGMA cache_size = " + -(long) options.cacheKb(),
                "PRAGMA mmap_size = " + options.mmapSize(),
                "PRAGMA synchronous = " + synchronous(options.synchronous()),
                "PRAGMA temp_store = MEMORY",
                "PRAGMA journal_size_limit = " + JOURNAL_SIZE_LIMIT_BYTES,
                "PRAGMA wal_autocheckpoint = " + WAL_AUTOCHECKPOINT_PAGES,
            };
            // One call into SQLite for all of them (sqlite3_exec runs a list of statements); should
            // it fail, one at a time, so that the failing one is reported.
            if (connection.getDatabase()._exec(String.join("; ", pragmas)) != 0) {
                for (String pragma : pragmas) {
                    c.pragma(pragma);
                }
            }
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private static String synchronous(Synchronous s) {
        return switch (s) {
            case OFF -> "OFF";
            case NORMAL -> "NORMAL";
            case FULL -> "FULL";
        };
    }
}
