package io.kohakuvault.bench;

import io.kohakuvault.ChunkSizes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The raw sqlite-jdbc baselines of the column benchmark: one connection with the vault's PRAGMAs
 * ({@link Pragmas}), reused statements, hand-written SQL. Longs live in a table shaped like the
 * vault's {@code vault_column_chunk}, {@code chunk(column_id, seq, data)} {@code WITHOUT ROWID},
 * in rows of the vault's largest default chunk ({@link #ROW_LONGS} longs) from the first row on,
 * packed little-endian; variable-size elements live one per row in {@code element(idx, data)}.
 *
 * <p>Part of the column benchmark: {@code ./mvnw -q -Pbench verify -Dbench.only=columns} (see
 * {@link ColumnBenchmark}).
 */
final class RawColumns {
    static final String CREATE_CHUNKS = "CREATE TABLE chunk (column_id INTEGER NOT NULL, seq INTEGER NOT NULL,"
            + " data BLOB NOT NULL, PRIMARY KEY (column_id, seq)) WITHOUT ROWID";
    static final String UPSERT_CHUNK = "INSERT OR REPLACE INTO chunk (column_id, seq, data) VALUES (?, ?, ?)";
    static final String SCAN = "SELECT data FROM chunk WHERE column_id = ? ORDER BY seq";
    /** First byte (1-based), byte count, column id, seq: that part of one row, cut inside SQLite. */
    static final String PART = "SELECT substr(data, ?, ?) FROM chunk WHERE column_id = ? AND seq = ?";

    static final String CREATE_ELEMENTS = "CREATE TABLE element (idx INTEGER PRIMARY KEY, data BLOB NOT NULL)";
    static final String INSERT_ELEMENT = "INSERT INTO element (idx, data) VALUES (?, ?)";
    /** The column's id in {@code chunk}. */
    static final int COLUMN_ID = 1;
    /** Longs per chunk row: the vault's default largest chunk. */
    static final int ROW_LONGS = ChunkSizes.DEFAULT.maxBytes() / Long.BYTES;
    /** Reads a little-endian long out of a byte[]. */
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Rows per {@code executeBatch} of the element inserts (as the key-value baseline). */
    private static final int BATCH = 1000;

    private RawColumns() {}

    static Connection create(Path file, String ddl) throws SQLException {
        Connection c = RawSqlite.connect(file);
        try (Statement s = c.createStatement()) {
            s.execute(ddl);
        }
        return c;
    }

    /**
     * Writes the longs as chunk rows, one transaction per batch, one reused {@code INSERT OR
     * REPLACE}; a row cut by the end of a batch is written short and rewritten whole by the next
     * batch, as the vault rewrites its tail chunk.
     */
    static void writeChunks(Connection c, PreparedStatement upsert, ColumnData data) throws SQLException {
        c.setAutoCommit(false);
        try {
            for (long from = 0; from < data.count; from += data.batch) {
                long to = Math.min(data.count, from + data.batch);
                for (long row = from / ROW_LONGS; row * ROW_LONGS < to; row++) {
                    long start = row * ROW_LONGS;
                    upsert.setInt(1, COLUMN_ID);
                    upsert.setLong(2, row);
                    upsert.setBytes(3, data.encode(start, Math.min(to, start + ROW_LONGS)));
                    upsert.executeUpdate();
                }
                c.commit();
            }
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** @return the long at {@code index}: an 8-byte {@code substr} of its row */
    static long readLong(PreparedStatement part, long index) throws SQLException {
        part.setInt(1, (int) (index % ROW_LONGS) * Long.BYTES + 1);
        part.setInt(2, Long.BYTES);
        part.setInt(3, COLUMN_ID);
        part.setLong(4, index / ROW_LONGS);
        try (ResultSet rows = part.executeQuery()) {
            if (!rows.next()) {
                throw new IllegalStateException("raw: no chunk row for element " + index);
            }
            return ByteBuffer.wrap(rows.getBytes(1))
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .getLong();
        }
    }

    /** Checks the row count, the bytes stored and a sample of the longs. */
    static void checkChunks(Connection c, ColumnData data) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT count(*), sum(length(data)) FROM chunk")) {
            rows.next();
            long expectedRows = (data.count + ROW_LONGS - 1) / ROW_LONGS;
            if (rows.getLong(1) != expectedRows || rows.getLong(2) != data.count * Long.BYTES) {
                throw new IllegalStateException("raw: " + rows.getLong(1) + " rows of " + rows.getLong(2)
                        + " bytes, expected " + expectedRows + " rows of " + data.count * Long.BYTES);
            }
        }
        try (PreparedStatement part = c.prepareStatement(PART)) {
            for (long i = 0; i < data.count; i += Math.max(1, data.count / 1000)) {
                checkValue("raw", i, readLong(part, i), data);
            }
            checkValue("raw", data.count - 1, readLong(part, data.count - 1), data);
        }
    }

    static void checkValue(String side, long index, long actual, ColumnData data) {
        if (actual != data.value(index)) {
            throw new IllegalStateException(
                    side + ": element " + index + " reads " + actual + ", expected " + data.value(index));
        }
    }

    static void checkSum(String side, long actual, long expected) {
        if (actual != expected) {
            throw new IllegalStateException(side + ": the values read sum to " + actual + ", expected " + expected);
        }
    }

    /** Creates the raw file that the read workloads read: the same longs, written as workload 1 writes them. */
    static Path fill(Path dir, ColumnData data) throws SQLException {
        Path file = dir.resolve("raw.db");
        try (Connection c = create(file, CREATE_CHUNKS);
                PreparedStatement upsert = c.prepareStatement(UPSERT_CHUNK)) {
            writeChunks(c, upsert, data);
            checkChunks(c, data);
            RawSqlite.checkpoint(c);
        }
        return file;
    }

    /** Workload 1: the longs written as chunk rows into a fresh file per sample. */
    static Case extend(TempFiles tmp, ColumnData data) {
        return new Case("raw sqlite-jdbc: " + (ROW_LONGS * Long.BYTES >> 10) + " KiB chunk rows, 1 tx per batch") {
            private Path dir;
            private Connection conn;
            private PreparedStatement upsert;

            @Override
            void setUp(int round) throws Exception {
                dir = tmp.newDir("raw-extend");
                conn = create(dir.resolve("raw.db"), CREATE_CHUNKS);
                upsert = conn.prepareStatement(UPSERT_CHUNK);
            }

            @Override
            long run() throws SQLException {
                writeChunks(conn, upsert, data);
                return data.count;
            }

            @Override
            void tearDown() throws Exception {
                try {
                    upsert.close();
                    checkChunks(conn, data);
                } finally {
                    conn.close();
                    TempFiles.delete(dir);
                }
            }
        };
    }

    /**
     * Workload 2: every chunk row in order ({@code SELECT data ... ORDER BY seq}), decoded into
     * {@code long[]} blocks of {@code block} longs (a new array per block, as {@code getLongs}
     * returns one), each block summed. A fresh connection per sample.
     */
    static Case sequentialRead(Path file, ColumnData data, int block) {
        return new Case("raw sqlite-jdbc: SELECT data ORDER BY seq, decode") {
            private Connection conn;

            @Override
            void setUp(int round) throws SQLException {
                conn = RawSqlite.connect(file);
            }

            @Override
            long run() throws SQLException {
                long sum = 0;
                long[] values = new long[block];
                int filled = 0;
                try (PreparedStatement scan = conn.prepareStatement(SCAN)) {
                    scan.setInt(1, COLUMN_ID);
                    try (ResultSet rows = scan.executeQuery()) {
                        while (rows.next()) {
                            var longs = ByteBuffer.wrap(rows.getBytes(1))
                                    .order(ByteOrder.LITTLE_ENDIAN)
                                    .asLongBuffer();
                            while (longs.hasRemaining()) {
                                int n = Math.min(longs.remaining(), block - filled);
                                longs.get(values, filled, n);
                                filled += n;
                                if (filled == block) {
                                    sum += ColumnData.sum(values, block);
                                    values = new long[block];
                                    filled = 0;
                                }
                            }
                        }
                    }
                }
                sum += ColumnData.sum(values, filled);
                checkSum(side(), sum, data.total);
                sink += sum;
                return data.count;
            }

            @Override
            void tearDown() throws SQLException {
                conn.close();
            }
        };
    }

    /** Workload 3, for context: random 8-byte {@code substr} reads, one query each. */
    static Case randomGets(Path file, ColumnData data, int gets, int n) {
        return new Case("raw sqlite-jdbc: SELECT substr(data, off, 8)") {
            private Connection conn;
            private PreparedStatement part;
            private long[] positions;
            private long expected;

            @Override
            void prepare() throws SQLException {
                conn = RawSqlite.connect(file);
                part = conn.prepareStatement(PART);
            }

            @Override
            void setUp(int round) {
                positions = data.positions(round, gets, data.count);
                expected = data.sumAt(positions, n);
            }

            @Override
            long run() throws SQLException {
                long sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += readLong(part, positions[i]);
                }
                checkSum(side(), sum, expected);
                sink += sum;
                return n;
            }

            @Override
            void dispose() throws SQLException {
                part.close();
                conn.close();
            }
        };
    }

    /**
     * Workload 3, for context: the same random reads from the column's bytes held in a plain Java
     * array of {@code byte[]} chunks of the default size, no SQLite and no cache around it: the floor of what a
     * read served from memory costs on this machine (random positions in 160 MB miss the CPU caches).
     */
    static Case memoryGets(ColumnData data, int gets) {
        return new Case("context: byte[] chunks in a plain array, no store") {
            private byte[][] chunks;
            private long[] positions;
            private long expected;

            @Override
            void prepare() {
                chunks = new byte[(int) ((data.count + ROW_LONGS - 1) / ROW_LONGS)][];
                for (int i = 0; i < chunks.length; i++) {
                    long start = (long) i * ROW_LONGS;
                    chunks[i] = data.encode(start, Math.min(data.count, start + ROW_LONGS));
                }
            }

            @Override
            void setUp(int round) {
                positions = data.positions(round, gets, data.count);
                expected = data.sumAt(positions, gets);
            }

            @Override
            long run() {
                long sum = 0;
                for (long p : positions) {
                    sum += (long) LONG.get(chunks[(int) (p / ROW_LONGS)], (int) (p % ROW_LONGS) * Long.BYTES);
                }
                checkSum(side(), sum, expected);
                sink += sum;
                return gets;
            }

            @Override
            void dispose() {
                chunks = null;
            }
        };
    }

    /** Workload 4, for context: random slices, one {@code substr} per row they touch, decoded and summed. */
    static Case slices(Path file, ColumnData data, int slices, int n, int length) {
        return new Case("raw sqlite-jdbc: SELECT substr(data, off, " + length * Long.BYTES + ")") {
            private Connection conn;
            private PreparedStatement part;
            private long[] positions;
            private long expected;

            @Override
            void prepare() throws SQLException {
                conn = RawSqlite.connect(file);
                part = conn.prepareStatement(PART);
            }

            @Override
            void setUp(int round) {
                positions = data.positions(round, slices, data.count - length + 1);
                expected = data.sumSlices(positions, n, length);
            }

            @Override
            long run() throws SQLException {
                long sum = 0;
                for (int i = 0; i < n; i++) {
                    long[] values = new long[length];
                    int done = 0;
                    while (done < length) {
                        long index = positions[i] + done;
                        int offset = (int) (index % ROW_LONGS);
                        int take = Math.min(length - done, ROW_LONGS - offset);
                        part.setInt(1, offset * Long.BYTES + 1);
                        part.setInt(2, take * Long.BYTES);
                        part.setInt(3, COLUMN_ID);
                        part.setLong(4, index / ROW_LONGS);
                        try (ResultSet rows = part.executeQuery()) {
                            rows.next();
                            ByteBuffer.wrap(rows.getBytes(1))
                                    .order(ByteOrder.LITTLE_ENDIAN)
                                    .asLongBuffer()
                                    .get(values, done, take);
                        }
                        done += take;
                    }
                    sum += ColumnData.sum(values, length);
                }
                checkSum(side(), sum, expected);
                sink += sum;
                return n;
            }

            @Override
            void dispose() throws SQLException {
                part.close();
                conn.close();
            }
        };
    }

    /**
     * Workload 5: one row per element, {@code INSERT} on one reused statement, {@code executeBatch}
     * every 1000 rows, one transaction, into a fresh file per sample.
     */
    static Case appendElements(TempFiles tmp, ColumnData data, int n) {
        return new Case("raw sqlite-jdbc: row per element, batched INSERT in 1 tx") {
            private Path dir;
            private Connection conn;

            @Override
            void setUp(int round) throws Exception {
                dir = tmp.newDir("raw-append");
                conn = create(dir.resolve("raw.db"), CREATE_ELEMENTS);
            }

            @Override
            long run() throws SQLException {
                conn.setAutoCommit(false);
                try (PreparedStatement insert = conn.prepareStatement(INSERT_ELEMENT)) {
                    for (int i = 0; i < n; i++) {
                        insert.setLong(1, i);
                        insert.setBytes(2, data.element(i));
                        insert.addBatch();
                        if ((i + 1) % BATCH == 0) {
                            insert.executeBatch();
                        }
                    }
                    insert.executeBatch();
                    conn.commit();
                } finally {
                    conn.setAutoCommit(true);
                }
                return n;
            }

            @Override
            void tearDown() throws Exception {
                try (Statement s = conn.createStatement();
                        ResultSet rows = s.executeQuery("SELECT count(*), sum(length(data)) FROM element")) {
                    rows.next();
                    if (rows.getLong(1) != n || rows.getLong(2) != (long) n * ColumnConfig.ELEMENT_SIZE) {
                        throw new IllegalStateException("raw: " + rows.getLong(1) + " elements of " + rows.getLong(2)
                                + " bytes, expected " + n);
                    }
                } finally {
                    conn.close();
                    TempFiles.delete(dir);
                }
            }
        };
    }
}
