package io.kohakuvault.bench;

import io.kohakuvault.ColumnType;
import io.kohakuvault.KVault;
import io.kohakuvault.LongColumn;
import io.kohakuvault.Vault;
import io.kohakuvault.VaultBuilder;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32C;
import javax.sql.DataSource;

/**
 * The cases of the PostgreSQL benchmark ({@link PostgresBenchmark}): the vault through its public
 * API on a server vault in schema {@value #VAULT_SCHEMA}, and raw JDBC on one connection with
 * reused prepared statements on tables of the vault's own layout in schema {@value #RAW_SCHEMA}
 * (made by the vault's own migration script), the same server, the same statements' shapes, the
 * CRC-32C the vault writes written and checked. Every case takes an {@link Env}: the server
 * directly (the timed pass) or through the counting relay ({@link PgRelay}, the untimed pass).
 */
final class PgCases {
    static final String VAULT_SCHEMA = "vault_bench";
    static final String RAW_SCHEMA = "raw_bench";

    /** Raw's store ids in {@code raw_bench.vault_kv_store}, one per store the vault side uses. */
    static final int FIXTURE = 1;

    static final int PUTS = 2;
    static final int TX_PUTS = 3;
    static final int LARGE = 4;
    static final int LARGE_PUTS = 5;
    static final int HUGE = 6;
    static final int HUGE_PUTS = 7;
    static final String[] STORES = {"fixture", "puts", "txputs", "large", "largeputs", "huge", "hugeputs"};

    /** Raw's column ids in {@code raw_bench.vault_column}. */
    static final int SCAN_COLUMN = 1;

    static final int APPEND_COLUMN = 2;
    static final String[] COLUMNS = {"scan", "append"};

    /** Raw's column chunks: 64 KiB, the vault's largest chunk at the defaults (it starts at 16 KiB and doubles). */
    static final int CHUNK_BYTES = 64 << 10;

    static final int LONGS_PER_CHUNK = CHUNK_BYTES / Long.BYTES;
    /** Raw commits an append run every 16 MiB, the vault's flush threshold in that row. */
    static final int CHUNKS_PER_COMMIT = (16 << 20) / CHUNK_BYTES;

    static final long CACHE_CAPACITY = 64L << 20;
    static final long CACHE_THRESHOLD = 16L << 20;

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    static final String UPSERT = "INSERT INTO vault_kv_entry (store_id, key, value, blob_id, checksum)"
            + " VALUES (?, ?, ?, NULL, ?) ON CONFLICT (store_id, key) DO UPDATE SET value = excluded.value,"
            + " blob_id = excluded.blob_id, checksum = excluded.checksum WHERE vault_kv_entry.blob_id IS NULL";
    static final String GET = "SELECT value, checksum FROM vault_kv_entry WHERE store_id = ? AND key = ?";
    static final String CREATE_BLOB =
            "INSERT INTO vault_kv_blob (store_id, size, chunk_count) VALUES (?, ?, ?) RETURNING id";
    static final String PUT_CHUNK =
            "INSERT INTO vault_kv_chunk (store_id, blob_id, seq, data, checksum) VALUES (?, ?, ?, ?, ?)";
    static final String PUT_BLOB_ENTRY = "INSERT INTO vault_kv_entry (store_id, key, value, blob_id, checksum)"
            + " VALUES (?, ?, NULL, ?, ?) ON CONFLICT (store_id, key) DO UPDATE SET value = excluded.value,"
            + " blob_id = excluded.blob_id, checksum = excluded.checksum WHERE vault_kv_entry.blob_id IS NULL";
    static final String GET_CHUNKED = "SELECT c.seq, c.data, c.checksum FROM vault_kv_entry e JOIN vault_kv_chunk c"
            + " ON c.store_id = e.store_id AND c.blob_id = e.blob_id WHERE e.store_id = ? AND e.key = ? ORDER BY c.seq";
    static final String PUT_COLUMN_CHUNK = "INSERT INTO vault_column_chunk (column_id, seq, data, checksum)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT (column_id, seq) DO UPDATE SET data = excluded.data,"
            + " checksum = excluded.checksum";
    static final String SET_COLUMN_STATE = "UPDATE vault_column SET length = ?, revision = ? WHERE id = ?";
    static final String SCAN_CHUNKS =
            "SELECT seq, data, checksum FROM vault_column_chunk WHERE column_id = ? ORDER BY seq";
    static final String CHUNK_PART =
            "SELECT substr(data, ?, ?) FROM vault_column_chunk WHERE column_id = ? AND seq = ?";

    private PgCases() {}

    /** Where a case connects: the server itself, or the counting relay in front of it. */
    record Env(DataSource source, PostgresBenchmark.Maintenance maintenance) {
        Vault vault() {
            return vault(b -> b);
        }

        Vault vault(UnaryOperator<VaultBuilder> options) {
            return options.apply(Vault.builder(source).schema(VAULT_SCHEMA)).open();
        }

        Connection raw() throws SQLException {
            Connection c = source.getConnection();
            c.setSchema(RAW_SCHEMA);
            return c;
        }
    }

    /** Makes one side's case for an environment and the sizes of a pass. */
    @FunctionalInterface
    interface Maker {
        Case make(Env env, PostgresBenchmark.Config cfg);
    }

    // ---- checksums, as the vault's (CRC-32C over what the row holds) -------------------------

    static long crc(byte[] a, byte[] b) {
        CRC32C crc = new CRC32C();
        crc.update(a);
        crc.update(b);
        return crc.getValue();
    }

    static long crc(long seq, byte[] data) {
        CRC32C crc = new CRC32C();
        for (int shift = 0; shift < Long.SIZE; shift += Byte.SIZE) {
            crc.update((int) (seq >>> shift));
        }
        crc.update(data);
        return crc.getValue();
    }

    static void verify(long stored, long computed, String what) {
        if (stored != computed) {
            throw new IllegalStateException(what + ": checksum mismatch");
        }
    }

    // ---- key-value puts -------------------------------------------------------------------------

    /** {@code n} puts of fresh keys, one autocommit {@code kv.put(byte[], byte[])} each. */
    static Case vaultPuts(Env env, PgData data, int n, boolean large) {
        String store = large ? STORES[LARGE_PUTS - 1] : STORES[PUTS - 1];
        return new VaultCase("KohakuVault put", env) {
            private KVault kv;

            @Override
            void opened(Vault v) {
                kv = v.kv(store);
            }

            @Override
            long run() {
                for (int i = 0; i < n; i++) {
                    if (large) {
                        kv.put(data.shapes.largeKeys[i], data.shapes.largeValues[i]);
                    } else {
                        kv.put(data.shapes.keys[i], data.shapes.value(i));
                    }
                }
                return n;
            }

            @Override
            void tearDown() throws Exception {
                expect(side(), kv.size(), n);
                kv.clear();
                env.maintenance().vacuum(VAULT_SCHEMA, "vault_kv_entry");
            }
        };
    }

    /** {@code n} puts of fresh keys, one autocommit INSERT ... ON CONFLICT each, as the vault's. */
    static Case rawPuts(Env env, PgData data, int n, boolean large) {
        int store = large ? LARGE_PUTS : PUTS;
        return new RawCase("raw JDBC", env) {
            private PreparedStatement upsert;

            @Override
            void connected(Connection c) throws SQLException {
                upsert = c.prepareStatement(UPSERT);
            }

            @Override
            long run() throws SQLException {
                for (int i = 0; i < n; i++) {
                    byte[] key = large ? data.shapes.largeKeys[i] : data.shapes.keys[i];
                    byte[] value = large ? data.shapes.largeValues[i] : data.shapes.value(i);
                    upsert.setInt(1, store);
                    upsert.setBytes(2, key);
                    upsert.setBytes(3, value);
                    upsert.setLong(4, crc(key, value));
                    upsert.executeUpdate();
                }
                return n;
            }

            @Override
            void tearDown() throws Exception {
                expect(side(), count(conn, "vault_kv_entry", "store_id", store), n);
                deleteAll(conn, "vault_kv_entry", "store_id", store);
                env.maintenance().vacuum(RAW_SCHEMA, "vault_kv_entry");
            }
        };
    }

    /** {@code n} puts of fresh keys in {@code vault.transaction} blocks of {@code size} puts each. */
    static Case vaultTransactionPuts(Env env, PgData data, int n, int size) {
        return new VaultCase("KohakuVault transaction", env) {
            private KVault kv;

            @Override
            void opened(Vault v) {
                kv = v.kv(STORES[TX_PUTS - 1]);
            }

            @Override
            long run() {
                for (int from = 0; from < n; from += size) {
                    int start = from;
                    int end = Math.min(n, from + size);
                    vault.transaction(() -> {
                        for (int i = start; i < end; i++) {
                            kv.put(data.shapes.keys[i], data.shapes.value(i));
                        }
                    });
                }
                return n;
            }

            @Override
            void tearDown() throws Exception {
                expect(side(), kv.size(), n);
                kv.clear();
                env.maintenance().vacuum(VAULT_SCHEMA, "vault_kv_entry");
            }
        };
    }

    /**
     * {@code n} puts of fresh keys, {@code size} per transaction (BEGIN, then COMMIT): with
     * {@code batch} one JDBC batch of the upserts per transaction (pgjdbc sends it in one go), else
     * one executeUpdate per put.
     */
    static Case rawTransactionPuts(Env env, PgData data, int n, int size, boolean batch) {
        return new RawCase(batch ? "raw JDBC, a batch per transaction" : "raw JDBC, a statement per put", env) {
            private PreparedStatement upsert;

            @Override
            void connected(Connection c) throws SQLException {
                upsert = c.prepareStatement(UPSERT);
            }

            @Override
            long run() throws SQLException {
                conn.setAutoCommit(false);
                try {
                    for (int from = 0; from < n; from += size) {
                        int end = Math.min(n, from + size);
                        for (int i = from; i < end; i++) {
                            byte[] key = data.shapes.keys[i];
                            byte[] value = data.shapes.value(i);
                            upsert.setInt(1, TX_PUTS);
                            upsert.setBytes(2, key);
                            upsert.setBytes(3, value);
                            upsert.setLong(4, crc(key, value));
                            if (batch) {
                                upsert.addBatch();
                            } else {
                                upsert.executeUpdate();
                            }
                        }
                        if (batch) {
                            upsert.executeBatch();
                        }
                        conn.commit();
                    }
                } finally {
                    conn.setAutoCommit(true);
                }
                return n;
            }

            @Override
            void tearDown() throws Exception {
                expect(side(), count(conn, "vault_kv_entry", "store_id", TX_PUTS), n);
                deleteAll(conn, "vault_kv_entry", "store_id", TX_PUTS);
                env.maintenance().vacuum(RAW_SCHEMA, "vault_kv_entry");
            }
        };
    }

    /** 4 MiB values, each its own {@code kv.put} (the vault chunks it: a transaction of its own). */
    static Case vaultHugePuts(Env env, PgData data, int n) {
        return new VaultCase("KohakuVault put", env) {
            private KVault kv;

            @Override
            void opened(Vault v) {
                kv = v.kv(STORES[HUGE_PUTS - 1]);
            }

            @Override
            long run() {
                for (int i = 0; i < n; i++) {
                    kv.put(data.hugeKeys[i], data.hugeValues[i]);
                }
                return n;
            }

            @Override
            void tearDown() throws Exception {
                expect(side(), kv.size(), n);
                kv.clear();
                env.maintenance().vacuum(VAULT_SCHEMA, "vault_kv_entry", "vault_kv_blob", "vault_kv_chunk");
            }
        };
    }

    /**
     * 4 MiB values by hand in the vault's layout, each in a transaction of its own: the blob's row
     * (INSERT ... RETURNING id), its chunks of 1 MiB in one JDBC batch, the entry pointing at it, COMMIT.
     */
    static Case rawHugePuts(Env env, PgData data, int n) {
        return new RawCase("raw JDBC", env) {
            private PreparedStatement blob;
            private PreparedStatement chunk;
            private PreparedStatement entry;

            @Override
            void connected(Connection c) throws SQLException {
                blob = c.prepareStatement(CREATE_BLOB);
                chunk = c.prepareStatement(PUT_CHUNK);
                entry = c.prepareStatement(PUT_BLOB_ENTRY);
            }

            @Override
            long run() throws SQLException {
                for (int i = 0; i < n; i++) {
                    putChunked(
                            conn, blob, chunk, entry, HUGE_PUTS, data.hugeKeys[i], data.hugeValues[i], data.chunkSize);
                }
                return n;
            }

            @Override
            void tearDown() throws Exception {
                expect(side(), count(conn, "vault_kv_entry", "store_id", HUGE_PUTS), n);
                deleteAll(conn, "vault_kv_chunk", "store_id", HUGE_PUTS);
                deleteAll(conn, "vault_kv_blob", "store_id", HUGE_PUTS);
                deleteAll(conn, "vault_kv_entry", "store_id", HUGE_PUTS);
                env.maintenance().vacuum(RAW_SCHEMA, "vault_kv_entry", "vault_kv_blob", "vault_kv_chunk");
            }
        };
    }

    static void putChunked(
            Connection conn,
            PreparedStatement blob,
            PreparedStatement chunk,
            PreparedStatement entry,
            int store,
            byte[] key,
            byte[] value,
            int chunkSize)
            throws SQLException {
        conn.setAutoCommit(false);
        try {
            int chunks = (value.length + chunkSize - 1) / chunkSize;
            blob.setInt(1, store);
            blob.setLong(2, value.length);
            blob.setInt(3, chunks);
            long id;
            try (ResultSet rows = blob.executeQuery()) {
                rows.next();
                id = rows.getLong(1);
            }
            for (int seq = 0; seq < chunks; seq++) {
                byte[] part = java.util.Arrays.copyOfRange(
                        value, seq * chunkSize, Math.min(value.length, (seq + 1) * chunkSize));
                chunk.setInt(1, store);
                chunk.setLong(2, id);
                chunk.setInt(3, seq);
                chunk.setBytes(4, part);
                chunk.setLong(5, crc(seq, part));
                chunk.addBatch();
            }
            chunk.executeBatch();
            chunk.clearParameters();
            entry.setInt(1, store);
            entry.setBytes(2, key);
            entry.setLong(3, id);
            entry.setLong(4, crc(key, Long.toString(id).getBytes(StandardCharsets.US_ASCII)));
            entry.executeUpdate();
            conn.commit();
        } finally {
            conn.setAutoCommit(true);
        }
    }

    // ---- key-value gets -------------------------------------------------------------------------

    /** Gets of {@code n} keys of the fixture store in the round's random order, on a fresh vault per sample. */
    static Case vaultGets(Env env, PgData data, int n) {
        return new FreshVaultCase("KohakuVault get", env, b -> b) {
            private KVault kv;
            private int[] order;

            @Override
            void opened(Vault v, int round) {
                kv = v.kv(STORES[FIXTURE - 1]);
                order = data.order(round, n);
            }

            @Override
            long run() {
                byte[][] keys = data.shapes.stringKeyBytes;
                for (int i : order) {
                    consume(kv.get(keys[i]));
                }
                return order.length;
            }
        };
    }

    /** The same gets: SELECT value, checksum by primary key, the CRC checked, a fresh connection per sample. */
    static Case rawGets(Env env, PgData data, int n) {
        return new FreshRawCase("raw JDBC", env) {
            private PreparedStatement get;
            private int[] order;

            @Override
            void connected(Connection c, int round) throws SQLException {
                get = c.prepareStatement(GET);
                order = data.order(round, n);
            }

            @Override
            long run() throws SQLException {
                byte[][] keys = data.shapes.stringKeyBytes;
                for (int i : order) {
                    consume(getInline(get, FIXTURE, keys[i]));
                }
                return order.length;
            }
        };
    }

    static byte[] getInline(PreparedStatement get, int store, byte[] key) throws SQLException {
        get.setInt(1, store);
        get.setBytes(2, key);
        try (ResultSet rows = get.executeQuery()) {
            if (!rows.next()) {
                return null;
            }
            byte[] value = rows.getBytes(1);
            verify(rows.getLong(2), crc(key, value), "raw get");
            return value;
        }
    }

    /** {@code getAll} of {@code batch} String keys at a time over {@code n} keys, a fresh vault per sample. */
    static Case vaultGetAll(Env env, PgData data, int n, int batch) {
        return new FreshVaultCase("KohakuVault getAll", env, b -> b) {
            private KVault kv;
            private List<List<String>> batches;

            @Override
            void opened(Vault v, int round) {
                kv = v.kv(STORES[FIXTURE - 1]);
                int[] order = data.order(round, n);
                batches = new ArrayList<>();
                for (int from = 0; from < order.length; from += batch) {
                    List<String> b = new ArrayList<>(batch);
                    for (int i = from; i < Math.min(order.length, from + batch); i++) {
                        b.add(data.shapes.stringKeys[order[i]]);
                    }
                    batches.add(b);
                }
            }

            @Override
            long run() {
                long bytes = 0;
                for (List<String> b : batches) {
                    for (byte[] v : kv.getAll(b).values()) {
                        bytes += v.length;
                    }
                }
                expect(side(), bytes, (long) n * ShapeData.VALUE_SIZE);
                return n;
            }
        };
    }

    /** The same: one SELECT key, value, checksum ... WHERE key IN ({@code batch} ?s) per batch, into a map. */
    static Case rawGetAll(Env env, PgData data, int n, int batch) {
        return new FreshRawCase("raw JDBC", env) {
            private PreparedStatement get;
            private int[] order;

            @Override
            void connected(Connection c, int round) throws SQLException {
                StringBuilder sql = new StringBuilder(
                        "SELECT key, value, checksum FROM vault_kv_entry WHERE store_id = ? AND key IN (");
                for (int i = 0; i < batch; i++) {
                    sql.append(i == 0 ? "?" : ", ?");
                }
                get = c.prepareStatement(sql.append(')').toString());
                order = data.order(round, n);
            }

            @Override
            long run() throws SQLException {
                long bytes = 0;
                for (int from = 0; from < order.length; from += batch) {
                    int size = Math.min(batch, order.length - from);
                    get.setInt(1, FIXTURE);
                    for (int i = 0; i < batch; i++) {
                        get.setBytes(2 + i, data.shapes.stringKeyBytes[order[from + Math.min(i, size - 1)]]);
                    }
                    Map<String, byte[]> found = new HashMap<>(batch * 2);
                    try (ResultSet rows = get.executeQuery()) {
                        while (rows.next()) {
                            byte[] key = rows.getBytes(1);
                            byte[] value = rows.getBytes(2);
                            verify(rows.getLong(3), crc(key, value), "raw getAll");
                            found.put(new String(key, StandardCharsets.UTF_8), value);
                        }
                    }
                    for (byte[] v : found.values()) {
                        bytes += v.length;
                    }
                }
                expect(side(), bytes, (long) n * ShapeData.VALUE_SIZE);
                return n;
            }
        };
    }

    /** Gets of the 1 MiB (or, with {@code huge}, 4 MiB) values in random order, a fresh vault per sample. */
    static Case vaultLargeGets(Env env, PgData data, int n, boolean huge) {
        return new FreshVaultCase("KohakuVault get", env, b -> b) {
            private KVault kv;
            private int[] order;

            @Override
            void opened(Vault v, int round) {
                kv = v.kv(STORES[(huge ? HUGE : LARGE) - 1]);
                order = data.shapes.permutation(round, n);
            }

            @Override
            long run() {
                long bytes = 0;
                for (int i : order) {
                    byte[] v = kv.get(huge ? data.hugeKeys[i] : data.shapes.largeKeys[i]);
                    consume(v);
                    bytes += v.length;
                }
                expect(side(), bytes, (long) n * (huge ? data.hugeSize : ShapeData.LARGE_VALUE_SIZE));
                return n;
            }
        };
    }

    /**
     * The same gets by hand: a 1 MiB value's row by primary key; a 4 MiB value's chunks in one
     * SELECT joining the entry to its chunks, each chunk's CRC checked, copied into one array.
     */
    static Case rawLargeGets(Env env, PgData data, int n, boolean huge) {
        return new FreshRawCase("raw JDBC", env) {
            private PreparedStatement get;
            private int[] order;

            @Override
            void connected(Connection c, int round) throws SQLException {
                get = c.prepareStatement(huge ? GET_CHUNKED : GET);
                order = data.shapes.permutation(round, n);
            }

            @Override
            long run() throws SQLException {
                long bytes = 0;
                for (int i : order) {
                    byte[] v = huge
                            ? getChunked(get, HUGE, data.hugeKeys[i])
                            : getInline(get, LARGE, data.shapes.largeKeys[i]);
                    consume(v);
                    bytes += v.length;
                }
                expect(side(), bytes, (long) n * (huge ? data.hugeSize : ShapeData.LARGE_VALUE_SIZE));
                return n;
            }
        };
    }

    static byte[] getChunked(PreparedStatement get, int store, byte[] key) throws SQLException {
        get.setInt(1, store);
        get.setBytes(2, key);
        List<byte[]> parts = new ArrayList<>();
        int total = 0;
        try (ResultSet rows = get.executeQuery()) {
            while (rows.next()) {
                int seq = rows.getInt(1);
                byte[] data = rows.getBytes(2);
                verify(rows.getLong(3), crc(seq, data), "raw chunked get");
                parts.add(data);
                total += data.length;
            }
        }
        if (parts.isEmpty()) {
            return null;
        }
        byte[] value = new byte[total];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, value, at, p.length);
            at += p.length;
        }
        return value;
    }

    // ---- columns --------------------------------------------------------------------------------

    /** {@code append(long)} of every long, one call each, {@code columns().enableCache(64 MiB, 16 MiB)}, then {@code flushCache()}. */
    static Case vaultAppend(Env env, PgData data) {
        return new VaultCase("KohakuVault append(long), cache on", env) {
            private LongColumn column;

            @Override
            void opened(Vault v) {}

            @Override
            void setUp(int round) {
                vault.columns().enableCache(CACHE_CAPACITY, CACHE_THRESHOLD);
                column = vault.column(COLUMNS[APPEND_COLUMN - 1], ColumnType.I64);
            }

            @Override
            long run() {
                LongColumn c = column;
                for (long[] batch : data.longs.batches) {
                    for (long v : batch) {
                        c.append(v);
                    }
                }
                vault.columns().flushCache();
                return data.longs.count;
            }

            @Override
            void tearDown() throws Exception {
                expect(side(), column.length(), data.longs.count);
                RawColumns.checkValue(side(), data.longs.count - 1, column.getLong(data.longs.count - 1), data.longs);
                vault.columns().deleteColumn(COLUMNS[APPEND_COLUMN - 1]);
                env.maintenance().vacuum(VAULT_SCHEMA, "vault_column_chunk", "vault_column");
            }
        };
    }

    /**
     * The same longs packed one at a time into 64 KiB chunks, each full chunk added to a JDBC batch
     * of the vault's chunk upsert (or, without {@code batch}, executed at once, a round trip each);
     * every 16 MiB the batch, the column's length row, COMMIT.
     */
    static Case rawAppend(Env env, PgData data, boolean batch) {
        return new RawCase(batch ? "raw JDBC" : "raw JDBC, a statement per chunk", env) {
            private PreparedStatement put;
            private PreparedStatement state;

            @Override
            void connected(Connection c) throws SQLException {
                put = c.prepareStatement(PUT_COLUMN_CHUNK);
                state = c.prepareStatement(SET_COLUMN_STATE);
            }

            @Override
            long run() throws SQLException {
                conn.setAutoCommit(false);
                try {
                    byte[] chunk = new byte[CHUNK_BYTES];
                    int at = 0;
                    int seq = 0;
                    int inBatch = 0;
                    long length = 0;
                    long revision = 0;
                    for (long[] batch : data.longs.batches) {
                        for (long v : batch) {
                            LONG.set(chunk, at, v);
                            at += Long.BYTES;
                            length++;
                            if (at == CHUNK_BYTES) {
                                addChunk(seq++, chunk, at);
                                chunk = new byte[CHUNK_BYTES];
                                at = 0;
                                if (++inBatch == CHUNKS_PER_COMMIT) {
                                    commit(length, ++revision);
                                    inBatch = 0;
                                }
                            }
                        }
                    }
                    if (at > 0) {
                        addChunk(seq, chunk, at);
                    }
                    commit(length, ++revision);
                } finally {
                    conn.setAutoCommit(true);
                }
                return data.longs.count;
            }

            private void addChunk(int seq, byte[] chunk, int bytes) throws SQLException {
                byte[] data = bytes == chunk.length ? chunk : java.util.Arrays.copyOf(chunk, bytes);
                put.setInt(1, APPEND_COLUMN);
                put.setInt(2, seq);
                put.setBytes(3, data);
                put.setLong(4, crc(seq, data));
                if (batch) {
                    put.addBatch();
                } else {
                    put.executeUpdate();
                }
            }

            private void commit(long length, long revision) throws SQLException {
                if (batch) {
                    put.executeBatch();
                }
                put.clearParameters();
                state.setLong(1, length);
                state.setLong(2, revision);
                state.setInt(3, APPEND_COLUMN);
                state.executeUpdate();
                conn.commit();
            }

            @Override
            void tearDown() throws Exception {
                long chunks = count(conn, "vault_column_chunk", "column_id", APPEND_COLUMN);
                expect(side(), chunks, (data.longs.count + LONGS_PER_CHUNK - 1) / LONGS_PER_CHUNK);
                deleteAll(conn, "vault_column_chunk", "column_id", APPEND_COLUMN);
                env.maintenance().vacuum(RAW_SCHEMA, "vault_column_chunk", "vault_column");
            }
        };
    }

    /** How the vault's scan rows read the column. */
    enum Scan {
        BLOCKS,
        STREAM
    }

    /** The whole fixture column, summed, on a fresh vault per sample: getLongs in blocks, or longStream().sum(). */
    static Case vaultScan(Env env, PgData data, Scan how, int block, String label) {
        return new FreshVaultCase(label, env, b -> b) {
            private LongColumn column;

            @Override
            void opened(Vault v, int round) {
                column = v.column(COLUMNS[SCAN_COLUMN - 1], ColumnType.I64);
            }

            @Override
            long run() {
                long sum = how == Scan.BLOCKS
                        ? ColumnCases.readBlocks(column, block)
                        : column.longStream().sum();
                RawColumns.checkSum(side(), sum, data.longs.total);
                sink += sum;
                return data.longs.count;
            }
        };
    }

    /**
     * The same column's chunk rows by hand: one SELECT seq, data, checksum ... ORDER BY seq in a
     * transaction, fetched 32 rows (2 MiB, the vault's read-ahead window) at a time through a cursor,
     * each chunk's CRC checked, decoded in bulk (a little-endian LongBuffer) into fresh long[block]
     * arrays, summed.
     */
    static Case rawScan(Env env, PgData data, int block) {
        return new FreshRawCase("raw JDBC", env) {
            private PreparedStatement scan;

            @Override
            void connected(Connection c, int round) throws SQLException {
                scan = c.prepareStatement(SCAN_CHUNKS);
                scan.setFetchSize((2 << 20) / CHUNK_BYTES);
            }

            @Override
            long run() throws SQLException {
                long sum = 0;
                long count = 0;
                conn.setAutoCommit(false);
                try {
                    scan.setInt(1, SCAN_COLUMN);
                    long[] values = new long[block];
                    int filled = 0;
                    try (ResultSet rows = scan.executeQuery()) {
                        while (rows.next()) {
                            int seq = rows.getInt(1);
                            byte[] chunk = rows.getBytes(2);
                            verify(rows.getLong(3), crc(seq, chunk), "raw scan");
                            LongBuffer longs = ByteBuffer.wrap(chunk)
                                    .order(ByteOrder.LITTLE_ENDIAN)
                                    .asLongBuffer();
                            while (longs.hasRemaining()) {
                                int n = Math.min(longs.remaining(), block - filled);
                                longs.get(values, filled, n);
                                filled += n;
                                if (filled == block) {
                                    sum += ColumnData.sum(values, filled);
                                    count += filled;
                                    values = new long[block];
                                    filled = 0;
                                }
                            }
                        }
                    }
                    sum += ColumnData.sum(values, filled);
                    count += filled;
                    conn.commit();
                } finally {
                    conn.setAutoCommit(true);
                }
                expect(side(), count, data.longs.count);
                RawColumns.checkSum(side(), sum, data.longs.total);
                sink += sum;
                return count;
            }
        };
    }

    /** {@code n} uniform random getLong(i) over the fixture column, a fresh vault per sample. */
    static Case vaultRandomGets(Env env, PgData data, int n, long readCacheBytes, String label) {
        UnaryOperator<VaultBuilder> options = readCacheBytes < 0 ? b -> b : b -> b.readCacheBytes(readCacheBytes);
        return new FreshVaultCase(label, env, options) {
            private LongColumn column;
            private long[] positions;

            @Override
            void opened(Vault v, int round) {
                column = v.column(COLUMNS[SCAN_COLUMN - 1], ColumnType.I64);
                positions = data.longs.positions(round, n, data.longs.count);
            }

            @Override
            long run() {
                long sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += column.getLong(positions[i]);
                }
                RawColumns.checkSum(side(), sum, data.longs.sumAt(positions, n));
                sink += sum;
                return n;
            }
        };
    }

    /** The same gets by hand: SELECT substr(data, offset, 8) of the 64 KiB chunk row per get. */
    static Case rawRandomGets(Env env, PgData data, int n) {
        return new FreshRawCase("raw JDBC", env) {
            private PreparedStatement part;
            private long[] positions;

            @Override
            void connected(Connection c, int round) throws SQLException {
                part = c.prepareStatement(CHUNK_PART);
                positions = data.longs.positions(round, n, data.longs.count);
            }

            @Override
            long run() throws SQLException {
                long sum = 0;
                for (int i = 0; i < n; i++) {
                    long p = positions[i];
                    part.setInt(1, (int) (p % LONGS_PER_CHUNK) * Long.BYTES + 1);
                    part.setInt(2, Long.BYTES);
                    part.setInt(3, SCAN_COLUMN);
                    part.setInt(4, (int) (p / LONGS_PER_CHUNK));
                    try (ResultSet rows = part.executeQuery()) {
                        rows.next();
                        sum += (long) LONG.get(rows.getBytes(1), 0);
                    }
                }
                RawColumns.checkSum(side(), sum, data.longs.sumAt(positions, n));
                sink += sum;
                return n;
            }
        };
    }

    // ---- helpers --------------------------------------------------------------------------------

    static void expect(String side, long actual, long expected) {
        if (actual != expected) {
            throw new IllegalStateException(side + ": found " + actual + ", expected " + expected);
        }
    }

    static long count(Connection c, String table, String column, int id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM " + table + " WHERE " + column + " = ?")) {
            s.setInt(1, id);
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    static void deleteAll(Connection c, String table, String column, int id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE " + column + " = ?")) {
            s.setInt(1, id);
            s.executeUpdate();
        }
    }

    static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** A case on one vault, opened once for every sample. */
    abstract static class VaultCase extends Case {
        final Env env;
        Vault vault;

        VaultCase(String side, Env env) {
            super(side);
            this.env = env;
        }

        abstract void opened(Vault v);

        @Override
        void prepare() throws Exception {
            vault = env.vault();
            opened(vault);
        }

        @Override
        void dispose() {
            vault.close();
        }
    }

    /** A case on a vault opened fresh (untimed) for every sample: nothing of it cached in Java. */
    abstract static class FreshVaultCase extends Case {
        final Env env;
        private final UnaryOperator<VaultBuilder> options;
        Vault vault;

        FreshVaultCase(String side, Env env, UnaryOperator<VaultBuilder> options) {
            super(side);
            this.env = env;
            this.options = options;
        }

        abstract void opened(Vault v, int round) throws Exception;

        @Override
        final void setUp(int round) throws Exception {
            vault = env.vault(options);
            opened(vault, round);
        }

        @Override
        final void tearDown() {
            vault.close();
        }
    }

    /** A case on one raw connection, opened once for every sample. */
    abstract static class RawCase extends Case {
        final Env env;
        Connection conn;

        RawCase(String side, Env env) {
            super(side);
            this.env = env;
        }

        abstract void connected(Connection c) throws SQLException;

        @Override
        void prepare() throws Exception {
            conn = env.raw();
            connected(conn);
        }

        @Override
        void dispose() throws SQLException {
            conn.close();
        }
    }

    /** A case on a raw connection opened fresh (untimed) for every sample. */
    abstract static class FreshRawCase extends Case {
        final Env env;
        Connection conn;

        FreshRawCase(String side, Env env) {
            super(side);
            this.env = env;
        }

        abstract void connected(Connection c, int round) throws SQLException;

        @Override
        final void setUp(int round) throws Exception {
            conn = env.raw();
            connected(conn, round);
        }

        @Override
        final void tearDown() throws SQLException {
            conn.close();
        }
    }
}
