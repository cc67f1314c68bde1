package io.kohakuvault.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.zip.CRC32C;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.lmdbjava.CursorIterable;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.Txn;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * A long column stored without the vault, for the shapes benchmark's column rows: raw sqlite-jdbc
 * on the vault's {@code vault_column_chunk} layout, and the peers. Every side stores the longs the
 * same way: packed little-endian in chunks of {@link #CHUNK_LONGS} longs (64 KiB, the vault's
 * largest default chunk), one record per chunk, keyed by the chunk's number (LMDB and RocksDB: 8
 * bytes big-endian, so that key order is number order; H2: a {@code Long}). Appends take one long
 * at a time into a chunk buffer and write each full chunk, committing every {@link #COMMIT_LONGS}
 * longs (16 MiB, the vault's flush threshold in these rows). Each side has its own loops (no
 * interface call per long).
 */
abstract class ColumnEngine {
    static final int CHUNK_LONGS = RawColumns.ROW_LONGS;
    static final int CHUNK_BYTES = CHUNK_LONGS * Long.BYTES;
    static final long COMMIT_LONGS = KvEngine.CACHE_THRESHOLD / Long.BYTES;
    static final int COMMIT_CHUNKS = (int) (COMMIT_LONGS / CHUNK_LONGS);
    static final VarHandle LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    final String name;

    ColumnEngine(String name) {
        this.name = name;
    }

    abstract Handle open(Path dir) throws Exception;

    /** An open column. */
    interface Handle extends AutoCloseable {
        /** Appends every long of {@code data}, one at a time, committing every {@link #COMMIT_LONGS}, and the rest at the end. */
        void appendAll(ColumnData data) throws Exception;

        /** @return the sum of every long, read in order and handed out in fresh {@code long[block]} arrays */
        long scan(int block) throws Exception;

        /** @return the sum of the longs at {@code positions[0..n)} */
        long getLongs(long[] positions, int n) throws Exception;

        default void settle() throws Exception {}

        @Override
        void close() throws Exception;
    }

    /** Sums a chunk's longs into blocks of {@code block}; keeps the partial block between chunks. */
    static final class Blocks {
        private final int block;
        private long[] values;
        private int filled;
        long sum;

        Blocks(int block) {
            this.block = block;
            this.values = new long[block];
        }

        void add(ByteBuffer chunkLe) {
            var longs = chunkLe.order(ByteOrder.LITTLE_ENDIAN).asLongBuffer();
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

        long finish() {
            sum += ColumnData.sum(values, filled);
            filled = 0;
            return sum;
        }
    }

    static byte[] bigEndianKey(long chunk) {
        return ByteBuffer.allocate(Long.BYTES).putLong(chunk).array();
    }

    // ---- raw sqlite-jdbc ------------------------------------------------------------------------

    static final String RAW_CREATE = "CREATE TABLE chunk (column_id INTEGER NOT NULL, seq INTEGER NOT NULL,"
            + " data BLOB NOT NULL, checksum BIGINT, PRIMARY KEY (column_id, seq)) WITHOUT ROWID";
    static final String RAW_INSERT =
            "INSERT OR REPLACE INTO chunk (column_id, seq, data, checksum) VALUES (1, ?, ?, ?)";
    static final String RAW_SCAN = "SELECT seq, data, checksum FROM chunk WHERE column_id = 1 ORDER BY seq";

    /** CRC-32C over the seq (8 bytes, little-endian), then the data: the vault's chunk checksum. */
    static long chunkChecksum(CRC32C crc, long seq, byte[] data) {
        crc.reset();
        byte[] s = new byte[Long.BYTES];
        LE.set(s, 0, seq);
        crc.update(s);
        crc.update(data);
        return crc.getValue();
    }

    /**
     * Raw sqlite-jdbc on the vault's chunk table (with its checksum column): appends fill a 64 KiB
     * {@code byte[]} one long at a time, each full chunk goes into a batched INSERT with its CRC-32C,
     * executeBatch + COMMIT every 16 MiB; the scan is {@code SELECT seq, data, checksum ... ORDER BY
     * seq}, each chunk's checksum checked (as the vault checks every chunk it reads whole); a random
     * get is {@code SELECT substr(data, off, 8)} of its row, cut inside SQLite.
     */
    static ColumnEngine raw() {
        return new ColumnEngine("raw sqlite-jdbc") {
            @Override
            Handle open(Path dir) throws SQLException {
                Path file = dir.resolve("raw.db");
                boolean fresh = !Files.exists(file);
                Connection c = RawSqlite.connect(file);
                if (fresh) {
                    try (Statement s = c.createStatement()) {
                        s.execute(RAW_CREATE);
                    }
                }
                return new Handle() {
                    private final CRC32C crc = new CRC32C();
                    private PreparedStatement part;

                    @Override
                    public void appendAll(ColumnData data) throws SQLException {
                        c.setAutoCommit(false);
                        try (PreparedStatement insert = c.prepareStatement(RAW_INSERT)) {
                            byte[] chunk = new byte[CHUNK_BYTES];
                            int at = 0;
                            long seq = 0;
                            int pending = 0;
                            for (long[] batch : data.batches) {
                                for (long v : batch) {
                                    LE.set(chunk, at, v);
                                    at += Long.BYTES;
                                    if (at == CHUNK_BYTES) {
                                        insert.setLong(1, seq);
                                        insert.setBytes(2, chunk);
                                        insert.setLong(3, chunkChecksum(crc, seq, chunk));
                                        insert.addBatch();
                                        seq++;
                                        chunk = new byte[CHUNK_BYTES];
                                        at = 0;
                                        if (++pending == COMMIT_CHUNKS) {
                                            insert.executeBatch();
                                            c.commit();
                                            pending = 0;
                                        }
                                    }
                                }
                            }
                            if (at > 0) {
                                byte[] last = java.util.Arrays.copyOf(chunk, at);
                                insert.setLong(1, seq);
                                insert.setBytes(2, last);
                                insert.setLong(3, chunkChecksum(crc, seq, last));
                                insert.addBatch();
                            }
                            insert.executeBatch();
                            c.commit();
                        } finally {
                            c.setAutoCommit(true);
                        }
                    }

                    @Override
                    public long scan(int block) throws SQLException {
                        Blocks blocks = new Blocks(block);
                        try (PreparedStatement s = c.prepareStatement(RAW_SCAN);
                                ResultSet rows = s.executeQuery()) {
                            while (rows.next()) {
                                byte[] data = rows.getBytes(2);
                                if (chunkChecksum(crc, rows.getLong(1), data) != rows.getLong(3)) {
                                    throw new IllegalStateException("raw: chunk checksum mismatch");
                                }
                                blocks.add(ByteBuffer.wrap(data));
                            }
                        }
                        return blocks.finish();
                    }

                    @Override
                    public long getLongs(long[] positions, int n) throws SQLException {
                        if (part == null) {
                            part = c.prepareStatement(RawColumns.PART);
                        }
                        long sum = 0;
                        for (int i = 0; i < n; i++) {
                            sum += RawColumns.readLong(part, positions[i]);
                        }
                        return sum;
                    }

                    @Override
                    public void settle() throws SQLException {
                        RawSqlite.checkpoint(c);
                    }

                    @Override
                    public void close() throws SQLException {
                        c.close();
                    }
                };
            }
        };
    }

    // ---- LMDB -----------------------------------------------------------------------------------

    /**
     * LMDB: chunk number (8 bytes big-endian) to the packed chunk; appends fill a heap chunk one
     * long at a time and put each full chunk in the current write txn, committed every 16 MiB; the
     * scan is a cursor over the map (no copy before decoding); a random get renews a reused read
     * txn and reads the long straight out of the map.
     */
    static ColumnEngine lmdb() {
        return new ColumnEngine("LMDB") {
            @Override
            Handle open(Path dir) {
                Env<ByteBuffer> env = LmdbPeer.open(dir);
                Dbi<ByteBuffer> dbi = env.openDbi("chunks", DbiFlags.MDB_CREATE);
                return new Handle() {
                    private final ByteBuffer key = ByteBuffer.allocateDirect(Long.BYTES);
                    private final ByteBuffer value = ByteBuffer.allocateDirect(CHUNK_BYTES);
                    private Txn<ByteBuffer> read;

                    private ByteBuffer key(long chunk) {
                        key.clear();
                        key.putLong(chunk).flip();
                        return key;
                    }

                    @Override
                    public void appendAll(ColumnData data) {
                        Txn<ByteBuffer> txn = env.txnWrite();
                        try {
                            byte[] chunk = new byte[CHUNK_BYTES];
                            int at = 0;
                            long seq = 0;
                            for (long[] batch : data.batches) {
                                for (long v : batch) {
                                    LE.set(chunk, at, v);
                                    at += Long.BYTES;
                                    if (at == CHUNK_BYTES) {
                                        value.clear();
                                        value.put(chunk).flip();
                                        dbi.put(txn, key(seq), value);
                                        at = 0;
                                        if (++seq % COMMIT_CHUNKS == 0) {
                                            txn.commit();
                                            txn.close();
                                            txn = env.txnWrite();
                                        }
                                    }
                                }
                            }
                            if (at > 0) {
                                value.clear();
                                value.put(chunk, 0, at).flip();
                                dbi.put(txn, key(seq), value);
                            }
                            txn.commit();
                        } finally {
                            txn.close();
                        }
                    }

                    @Override
                    public long scan(int block) {
                        Blocks blocks = new Blocks(block);
                        try (Txn<ByteBuffer> txn = env.txnRead();
                                CursorIterable<ByteBuffer> it = dbi.iterate(txn)) {
                            for (CursorIterable.KeyVal<ByteBuffer> kv : it) {
                                blocks.add(kv.val());
                            }
                        }
                        return blocks.finish();
                    }

                    @Override
                    public long getLongs(long[] positions, int n) {
                        if (read == null) {
                            read = env.txnRead();
                            read.reset();
                        }
                        long sum = 0;
                        for (int i = 0; i < n; i++) {
                            long p = positions[i];
                            read.renew();
                            ByteBuffer found = dbi.get(read, key(p / CHUNK_LONGS));
                            sum += found.order(ByteOrder.LITTLE_ENDIAN)
                                    .getLong(found.position() + (int) (p % CHUNK_LONGS) * Long.BYTES);
                            read.reset();
                        }
                        return sum;
                    }

                    @Override
                    public void close() {
                        if (read != null) {
                            read.close();
                        }
                        env.close();
                    }
                };
            }
        };
    }

    // ---- RocksDB --------------------------------------------------------------------------------

    /**
     * RocksDB ({@link KvEngine#rocksOptions()}: no compression): chunk number (8 bytes big-endian) to
     * the packed chunk; appends put each full chunk in a {@code WriteBatch} written every 16 MiB; the
     * scan is an iterator ({@code value()} copies each chunk into a {@code byte[]}); a random get
     * reads its chunk into a reused direct buffer ({@code get(ReadOptions, ByteBuffer, ByteBuffer)}):
     * RocksDB has no read of part of a value.
     */
    static ColumnEngine rocks() {
        return new ColumnEngine("RocksDB") {
            @Override
            Handle open(Path dir) throws Exception {
                RocksDB db = RocksDB.open(
                        KvEngine.rocksOptions(), dir.resolve("rocks").toString());
                return new Handle() {
                    private final ByteBuffer key = ByteBuffer.allocateDirect(Long.BYTES);
                    private final ByteBuffer value =
                            ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                    private final ReadOptions readOptions = new ReadOptions();

                    @Override
                    public void appendAll(ColumnData data) throws Exception {
                        try (WriteOptions options = new WriteOptions();
                                WriteBatch batch = new WriteBatch()) {
                            byte[] chunk = new byte[CHUNK_BYTES];
                            int at = 0;
                            long seq = 0;
                            for (long[] values : data.batches) {
                                for (long v : values) {
                                    LE.set(chunk, at, v);
                                    at += Long.BYTES;
                                    if (at == CHUNK_BYTES) {
                                        batch.put(bigEndianKey(seq), chunk);
                                        at = 0;
                                        if (++seq % COMMIT_CHUNKS == 0) {
                                            db.write(options, batch);
                                            batch.clear();
                                        }
                                    }
                                }
                            }
                            if (at > 0) {
                                batch.put(bigEndianKey(seq), java.util.Arrays.copyOf(chunk, at));
                            }
                            db.write(options, batch);
                        }
                    }

                    @Override
                    public long scan(int block) {
                        Blocks blocks = new Blocks(block);
                        try (RocksIterator it = db.newIterator()) {
                            for (it.seekToFirst(); it.isValid(); it.next()) {
                                blocks.add(ByteBuffer.wrap(it.value()));
                            }
                        }
                        return blocks.finish();
                    }

                    @Override
                    public long getLongs(long[] positions, int n) throws Exception {
                        long sum = 0;
                        for (int i = 0; i < n; i++) {
                            long p = positions[i];
                            key.clear();
                            key.putLong(p / CHUNK_LONGS).flip();
                            value.clear();
                            if (db.get(readOptions, key, value) < 0) {
                                throw new IllegalStateException("RocksDB: no chunk for " + p);
                            }
                            sum += value.getLong(value.position() + (int) (p % CHUNK_LONGS) * Long.BYTES);
                        }
                        return sum;
                    }

                    @Override
                    public void settle() throws Exception {
                        try (var flush = new org.rocksdb.FlushOptions().setWaitForFlush(true)) {
                            db.flush(flush);
                        }
                        db.compactRange();
                    }

                    @Override
                    public void close() {
                        readOptions.close();
                        db.close();
                    }
                };
            }
        };
    }

    // ---- H2 MVStore -----------------------------------------------------------------------------

    /**
     * H2 MVStore: an {@code MVMap<Long, byte[]>} from chunk number to the packed chunk, a commit
     * every 16 MiB; the scan is a cursor; a random get reads the long out of the array that
     * {@code get} returns (the store's own, no copy).
     */
    static ColumnEngine h2() {
        return new ColumnEngine("H2 MVStore") {
            @Override
            Handle open(Path dir) {
                MVStore store = H2Peer.open(dir.resolve("h2.mv.db"));
                MVMap<Long, byte[]> map = store.openMap("chunks");
                return new Handle() {
                    @Override
                    public void appendAll(ColumnData data) {
                        byte[] chunk = new byte[CHUNK_BYTES];
                        int at = 0;
                        long seq = 0;
                        for (long[] values : data.batches) {
                            for (long v : values) {
                                LE.set(chunk, at, v);
                                at += Long.BYTES;
                                if (at == CHUNK_BYTES) {
                                    map.put(seq, chunk);
                                    chunk = new byte[CHUNK_BYTES];
                                    at = 0;
                                    if (++seq % COMMIT_CHUNKS == 0) {
                                        store.commit();
                                    }
                                }
                            }
                        }
                        if (at > 0) {
                            map.put(seq, java.util.Arrays.copyOf(chunk, at));
                        }
                        store.commit();
                    }

                    @Override
                    public long scan(int block) {
                        Blocks blocks = new Blocks(block);
                        Cursor<Long, byte[]> cursor = map.cursor(null);
                        while (cursor.hasNext()) {
                            cursor.next();
                            blocks.add(ByteBuffer.wrap(cursor.getValue()));
                        }
                        return blocks.finish();
                    }

                    @Override
                    public long getLongs(long[] positions, int n) {
                        long sum = 0;
                        for (int i = 0; i < n; i++) {
                            long p = positions[i];
                            sum += (long) LE.get(map.get(p / CHUNK_LONGS), (int) (p % CHUNK_LONGS) * Long.BYTES);
                        }
                        return sum;
                    }

                    @Override
                    public void close() {
                        store.close();
                    }
                };
            }
        };
    }
}
