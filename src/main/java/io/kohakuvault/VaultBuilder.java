package io.kohakuvault;

import io.kohakuvault.internal.db.ServerTarget;
import io.kohakuvault.internal.db.VaultOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Options for opening a {@link Vault}; made by {@link Vault#builder(Path)} for a file, or by
 * {@link Vault#builder(DataSource)} for a server database. Each option has the default its javadoc
 * gives; the file's own ({@code walEnabled}, {@code pageSize}, {@code mmapSize}, {@code cacheKb},
 * {@code synchronous}) are refused for a server vault. Values are checked by {@link #open()}, whose
 * {@link InvalidArgumentException} names the option and the value.
 *
 * <pre>{@code
 * Vault vault = Vault.builder(Path.of("data.db"))
 *         .chunkSize(1 << 20)
 *         .retries(4)
 *         .backoffBase(Duration.ofMillis(20))
 *         .open();
 * }</pre>
 */
public final class VaultBuilder {
    /** Smallest chunk size accepted, in bytes. */
    public static final int MIN_CHUNK_SIZE = 64;
    /** Largest chunk size accepted, in bytes (64 MiB): far below SQLite's per-BLOB limit. */
    public static final int MAX_CHUNK_SIZE = 64 << 20;
    /** Default of {@link #readCacheBytes(long)}: 64 MiB. */
    public static final long DEFAULT_READ_CACHE_BYTES = 64L << 20;
    /** Longest store or column name accepted, in characters. */
    public static final int MAX_NAME_LENGTH = 255;

    /** Default of {@link #schema(String)}: the database schema that holds a server vault's tables. */
    public static final String DEFAULT_SCHEMA = "kohakuvault";

    /** A schema name: what PostgreSQL takes unquoted, so that it never needs quoting. */
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final @Nullable Path file;
    /** The server database of a server vault, or null for a file or in-memory vault. */
    private final @Nullable DataSource dataSource;
    /** How messages name the server database, with no password. */
    private final String serverShownAs;

    private @Nullable String schema;
    /** The options only a file has that were set, in the order they were: a server vault refuses them. */
    private final Set<String> fileOptionsSet = new LinkedHashSet<>();

    private int chunkSize = 1 << 20;
    private int retries = 4;
    private Duration backoffBase = Duration.ofMillis(20);
    private String table = "kvault";
    private boolean walEnabled = true;
    private int pageSize = 4096;
    private long mmapSize = 256L << 20;
    private int cacheKb = 20_000;
    private boolean readOnly;
    private Synchronous synchronous = Synchronous.NORMAL;
    private int maxReaders = 4;
    private long readCacheBytes = DEFAULT_READ_CACHE_BYTES;
    private @Nullable ChunkSizes columnChunkSizes = ChunkSizes.DEFAULT;

    VaultBuilder(@Nullable Path file) {
        this.file = file;
        this.dataSource = null;
        this.serverShownAs = "";
    }

    /**
     * @param dataSource the server database
     * @param shownAs how messages name it, with no password
     */
    VaultBuilder(DataSource dataSource, String shownAs) {
        this.file = null;
        this.dataSource = dataSource;
        this.serverShownAs = shownAs;
    }

    /**
     * The database schema that holds a server vault's tables; Flyway creates it when missing (the
     * role then needs the right to create schemas), and the vault touches nothing outside it.
     * Several vaults may share one database in different schemas. Default {@value #DEFAULT_SCHEMA}.
     * Only for a server vault: {@link #open()} refuses it for a file.
     *
     * @param name 1 to 63 lower-case letters, digits or {@code _}, not starting with a digit
     * @return this builder
     */
    public VaultBuilder schema(String name) {
        this.schema = name;
        return this;
    }

    /**
     * Size of the pieces a large value is stored and streamed in. A value up to this size is one
     * row; a larger one is several chunk rows, so it may exceed SQLite's per-BLOB limit, and
     * streaming holds about two chunks in memory. Default 1 MiB.
     *
     * @param bytes between {@value #MIN_CHUNK_SIZE} and {@value #MAX_CHUNK_SIZE}
     * @return this builder
     */
    public VaultBuilder chunkSize(int bytes) {
        this.chunkSize = bytes;
        return this;
    }

    /**
     * How many times a write (or read) is retried while another connection or process holds the
     * database locked, before {@link DatabaseBusyException}. Default 4.
     *
     * @param retries zero or more
     * @return this builder
     */
    public VaultBuilder retries(int retries) {
        this.retries = retries;
        return this;
    }

    /**
     * Delay before the first retry of a busy database; each further retry waits twice as long
     * (plus up to a quarter of jitter). Default 20 ms, so the 4 default retries wait about 300 ms in all.
     *
     * @param delay zero or positive
     * @return this builder
     */
    public VaultBuilder backoffBase(Duration delay) {
        this.backoffBase = delay;
        return this;
    }

    /**
     * Name of the key-value store that {@link Vault#kv()} returns. Default {@code "kvault"}.
     *
     * @param name 1 to {@value #MAX_NAME_LENGTH} characters; any characters are safe
     * @return this builder
     */
    public VaultBuilder table(String name) {
        this.table = name;
        return this;
    }

    /**
     * Write-ahead logging: readers never wait for the writer, and writes are faster. With it off
     * the file uses a rollback journal and readers may have to retry while a write commits.
     * Default true.
     *
     * @param enabled whether to use WAL
     * @return this builder
     */
    public VaultBuilder walEnabled(boolean enabled) {
        fileOptionsSet.add("walEnabled");
        this.walEnabled = enabled;
        return this;
    }

    /**
     * SQLite page size in bytes. Only a new file takes it; an existing file keeps its own.
     * Default 4096.
     *
     * @param bytes a power of two from 512 to 65536
     * @return this builder
     */
    public VaultBuilder pageSize(int bytes) {
        fileOptionsSet.add("pageSize");
        this.pageSize = bytes;
        return this;
    }

    /**
     * How many bytes of the file SQLite may memory-map for reads, per connection. Default 256 MiB;
     * 0 turns memory-mapping off.
     *
     * @param bytes zero or more
     * @return this builder
     */
    public VaultBuilder mmapSize(long bytes) {
        fileOptionsSet.add("mmapSize");
        this.mmapSize = bytes;
        return this;
    }

    /**
     * SQLite's page cache per connection, in KiB. Default 20,000 (about 20 MB).
     *
     * @param kib zero or more
     * @return this builder
     */
    public VaultBuilder cacheKb(int kib) {
        fileOptionsSet.add("cacheKb");
        this.cacheKb = kib;
        return this;
    }

    /**
     * Opens the file without ever writing it: for inspection and for reader processes. Every
     * write then throws {@link KohakuVaultException}. The file must exist and be a vault of
     * this library's schema version. Default false.
     *
     * @param readOnly whether to open read-only
     * @return this builder
     */
    public VaultBuilder readOnly(boolean readOnly) {
        this.readOnly = readOnly;
        return this;
    }

    /**
     * How hard each commit is synced to disk; see {@link Synchronous}. Default
     * {@link Synchronous#NORMAL}: commits survive a crash or kill of the process.
     *
     * @param mode the sync mode
     * @return this builder
     */
    public VaultBuilder synchronous(Synchronous mode) {
        fileOptionsSet.add("synchronous");
        this.synchronous = mode;
        return this;
    }

    /**
     * Most reader connections kept open, so that this many threads can read at once while
     * another writes. They open on demand. Default 4.
     *
     * @param readers from 1 to 64
     * @return this builder
     */
    public VaultBuilder maxReaders(int readers) {
        this.maxReaders = readers;
        return this;
    }

    /**
     * Bytes of the vault's read cache: key-value values used twice lately, read or written (up to a
     * sixty-fourth of this each) and column chunks, shared by every store and column of the vault,
     * least useful first out (Caffeine). Each entry counts its bytes plus about 100. A column's
     * chunk is cached once it is read a second time, or read as part of a range, when the cache
     * can keep the column. Never stale: a commit by any other connection or process drops what it
     * may have changed before the next read answers. Default 64 MiB; 0 caches nothing, so every
     * read goes to SQLite.
     *
     * @param bytes zero or more
     * @return this builder
     */
    public VaultBuilder readCacheBytes(long bytes) {
        this.readCacheBytes = bytes;
        return this;
    }

    /**
     * Chunk sizes of columns created from now on, unless {@link ColumnVault#createColumn(String,
     * ColumnType, ChunkSizes)} gives others. Default {@link ChunkSizes#DEFAULT}.
     *
     * @param sizes the smallest and largest chunk
     * @return this builder
     */
    public VaultBuilder columnChunkSizes(ChunkSizes sizes) {
        this.columnChunkSizes = sizes;
        return this;
    }

    /**
     * Opens the vault: creates the file if missing and brings its schema up to date.
     *
     * @return the open vault
     * @throws InvalidArgumentException when an option is out of range, naming it and its value
     * @throws VaultIoException when the file cannot be opened or is not a SQLite database (the
     *     file is left unchanged)
     * @throws KohakuVaultException when the file's schema is newer than this library's
     */
    public Vault open() {
        return new Vault(options());
    }

    VaultOptions options() {
        check(
                chunkSize >= MIN_CHUNK_SIZE && chunkSize <= MAX_CHUNK_SIZE,
                "chunkSize",
                chunkSize,
                "between " + MIN_CHUNK_SIZE + " and " + MAX_CHUNK_SIZE + " bytes");
        check(retries >= 0, "retries", retries, "zero or more");
        check(backoffBase != null && !backoffBase.isNegative(), "backoffBase", backoffBase, "zero or positive");
        check(
                table != null && Names.isValid(table),
                "table",
                table == null ? null : "'" + table + "'",
                "1 to " + MAX_NAME_LENGTH + " characters");
        check(
                pageSize >= 512 && pageSize <= 65536 && Integer.bitCount(pageSize) == 1,
                "pageSize",
                pageSize,
                "a power of two from 512 to 65536");
        check(mmapSize >= 0, "mmapSize", mmapSize, "zero or more");
        check(cacheKb >= 0, "cacheKb", cacheKb, "zero or more");
        check(synchronous != null, "synchronous", null, "not null");
        check(maxReaders >= 1 && maxReaders <= 64, "maxReaders", maxReaders, "from 1 to 64");
        check(readCacheBytes >= 0, "readCacheBytes", readCacheBytes, "zero or more");
        check(columnChunkSizes != null, "columnChunkSizes", null, "not null");
        ServerTarget server = server();
        if (readOnly && file == null && server == null) {
            throw new InvalidArgumentException("readOnly: an in-memory vault cannot be opened read-only");
        }
        return new VaultOptions(
                file,
                chunkSize,
                retries,
                Objects.requireNonNull(backoffBase),
                table,
                walEnabled,
                pageSize,
                mmapSize,
                cacheKb,
                readOnly,
                synchronous,
                maxReaders,
                readCacheBytes,
                Objects.requireNonNull(columnChunkSizes).minBytes(),
                columnChunkSizes.maxBytes(),
                server);
    }

    /** Checks what a server vault takes and refuses; null for a file or in-memory vault. */
    private @Nullable ServerTarget server() {
        if (dataSource == null) {
            if (schema != null) {
                throw new InvalidArgumentException(
                        "schema: only a server vault (Vault.builder(DataSource) or a jdbc:postgresql: URL) has a schema,"
                                + " not " + (file == null ? ":memory:" : file));
            }
            return null;
        }
        if (!fileOptionsSet.isEmpty()) {
            String option = fileOptionsSet.iterator().next();
            throw new InvalidArgumentException(
                    option + ": only a vault file has this option, not the server vault " + serverShownAs);
        }
        String name = schema == null ? DEFAULT_SCHEMA : schema;
        check(
                SCHEMA_NAME.matcher(name).matches(),
                "schema",
                "'" + name + "'",
                "1 to 63 lower-case letters, digits or _, not starting with a digit");
        return new ServerTarget(dataSource, name, serverShownAs + " (schema " + name + ")");
    }

    private static void check(boolean ok, String option, @Nullable Object value, String expected) {
        if (!ok) {
            throw new InvalidArgumentException(option + " must be " + expected + ", but was " + value);
        }
    }
}
