package io.kohakuvault.bench;

import io.kohakuvault.KVault;
import io.kohakuvault.Vault;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.Txn;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * One store of the shapes benchmark's key-value rows, behind one small interface so that every
 * shape runs the same loop on every side: the vault through its public API ({@code byte[]} or
 * {@code String} keys), raw sqlite-jdbc on the vault's own table layout, LMDB, RocksDB and H2
 * MVStore. Calls cost microseconds, so the interface call is noise; the column rows, where a call
 * costs nanoseconds, have loops of their own ({@link ColumnEngine}).
 *
 * @param <K> the key type: {@code byte[]} or {@code String}
 */
abstract class KvEngine<K> {
    /** The vault's write-back cache in the batched rows (as the rest of the benchmark): 64 MiB, flush at 16 MiB. */
    static final long CACHE_CAPACITY = VaultCases.CACHE_CAPACITY;

    static final long CACHE_THRESHOLD = VaultCases.CACHE_THRESHOLD;

    final String name;

    KvEngine(String name) {
        this.name = name;
    }

    /**
     * Opens (creating when missing) the store in {@code dir}.
     *
     * @param batched writes wait for {@link Handle#commit()} (the vault: cache on; raw: one
     *     transaction of batched INSERTs; LMDB: one write txn; RocksDB: a WriteBatch; H2: commit),
     *     or, when false, every put commits by itself
     */
    abstract Handle<K> open(Path dir, boolean batched) throws Exception;

    /** An open store. */
    interface Handle<K> extends AutoCloseable {
        void put(K key, byte[] value) throws Exception;

        /** Ends a batch of puts: the vault's {@code flushCache()}, raw's executeBatch + COMMIT, ... */
        void commit() throws Exception;

        /** @return a value the caller owns (a copy where the store hands out its own memory), or null */
        byte[] get(K key) throws Exception;

        /** Reads the values of {@code keys} (all present); @return how many bytes they hold */
        default long getAll(List<K> keys) throws Exception {
            long bytes = 0;
            for (K k : keys) {
                byte[] v = get(k);
                Case.consume(v);
                bytes += v.length;
            }
            return bytes;
        }

        /** Reads a value through the store's stream where it has one; @return its length */
        default long stream(K key) throws Exception {
            byte[] v = get(key);
            Case.consume(v);
            return v.length;
        }

        /** After a fill: fold logs into the main file (checkpoint, flush + compaction), untimed. */
        default void settle() throws Exception {}

        long count() throws Exception;

        @Override
        void close() throws Exception;
    }

    // ---- KohakuVault ----------------------------------------------------------------------------

    /** The vault's default store with {@code byte[]} keys. */
    static KvEngine<byte[]> vaultBytes() {
        return new KvEngine<>("KohakuVault byte[] keys") {
            @Override
            Handle<byte[]> open(Path dir, boolean batched) {
                VaultHandle h = new VaultHandle(dir, batched);
                return new Handle<>() {
                    @Override
                    public void put(byte[] key, byte[] value) {
                        h.kv.put(key, value);
                    }

                    @Override
                    public void commit() {
                        h.commit();
                    }

                    @Override
                    public byte[] get(byte[] key) {
                        return h.kv.get(key);
                    }

                    @Override
                    public void settle() {
                        h.vault.checkpoint();
                    }

                    @Override
                    public long count() {
                        return h.kv.size();
                    }

                    @Override
                    public void close() {
                        h.vault.close();
                    }
                };
            }
        };
    }

    /** The vault's default store with {@code String} keys ({@code getAll}, {@code openStream}). */
    static KvEngine<String> vaultStrings() {
        return new KvEngine<>("KohakuVault String keys") {
            @Override
            Handle<String> open(Path dir, boolean batched) {
                VaultHandle h = new VaultHandle(dir, batched);
                return new Handle<>() {
                    private final byte[] buffer = new byte[64 << 10];

                    @Override
                    public void put(String key, byte[] value) {
                        h.kv.put(key, value);
                    }

                    @Override
                    public void commit() {
                        h.commit();
                    }

                    @Override
                    public byte[] get(String key) {
                        return h.kv.get(key);
                    }

                    @Override
                    public long getAll(List<String> keys) {
                        Map<String, byte[]> found = h.kv.getAll(keys);
                        if (found.size() != keys.size()) {
                            throw new IllegalStateException("getAll found " + found.size() + " of " + keys.size());
                        }
                        long bytes = 0;
                        for (byte[] v : found.values()) {
                            Case.consume(v);
                            bytes += v.length;
                        }
                        return bytes;
                    }

                    @Override
                    public long stream(String key) throws Exception {
                        long n = 0;
                        try (InputStream in = h.kv.openStream(key)) {
                            for (int r; (r = in.read(buffer)) >= 0; ) {
                                n += r;
                            }
                        }
                        Case.sink += buffer[0];
                        return n;
                    }

                    @Override
                    public void settle() {
                        h.vault.checkpoint();
                    }

                    @Override
                    public long count() {
                        return h.kv.size();
                    }

                    @Override
                    public void close() {
                        h.vault.close();
                    }
                };
            }
        };
    }

    private static final class VaultHandle {
        final Vault vault;
        final KVault kv;
        final boolean batched;

        VaultHandle(Path dir, boolean batched) {
            Path file = dir.resolve("vault.db");
            this.batched = batched;
            this.vault = batched ? Vault.open(file).withCache(CACHE_CAPACITY, CACHE_THRESHOLD) : Vault.open(file);
            this.kv = vault.kv();
        }

        void commit() {
            if (batched) {
                kv.flushCache();
            }
        }
    }

    // ---- raw sqlite-jdbc on the vault's layout ---------------------------------------------------

    /** {@code vault_kv_entry} as schema version 3 has it (docs/FORMAT.md), the vault's default store id. */
    static final String RAW_CREATE = "CREATE TABLE entry (store_id INTEGER NOT NULL, key BLOB NOT NULL, value BLOB,"
            + " blob_id INTEGER, checksum BIGINT, PRIMARY KEY (store_id, key)) WITHOUT ROWID";

    static final String RAW_UPSERT =
            "INSERT OR REPLACE INTO entry (store_id, key, value, checksum) VALUES (1, ?, ?, ?)";
    static final String RAW_SELECT = "SELECT value, checksum FROM entry WHERE store_id = 1 AND key = ?";
    static final String RAW_COUNT = "SELECT count(*) FROM entry";

    /** CRC-32C over the key, then the value: the vault's entry checksum (docs/FORMAT.md). */
    static long checksum(CRC32C crc, byte[] key, byte[] value) {
        crc.reset();
        crc.update(key);
        crc.update(value);
        return crc.getValue();
    }

    static void verify(CRC32C crc, byte[] key, byte[] value, long stored) {
        if (checksum(crc, key, value) != stored) {
            throw new IllegalStateException("raw: checksum mismatch");
        }
    }

    /**
     * Raw sqlite-jdbc: one connection, the vault's PRAGMAs, reused statements, the vault's entry
     * table; a put writes the CRC-32C the vault writes and a get checks it, as the vault does.
     */
    static KvEngine<byte[]> raw() {
        return new KvEngine<>("raw sqlite-jdbc") {
            @Override
            Handle<byte[]> open(Path dir, boolean batched) throws SQLException {
                Path file = dir.resolve("raw.db");
                boolean fresh = !Files.exists(file);
                Connection c = RawSqlite.connect(file);
                if (fresh) {
                    try (Statement s = c.createStatement()) {
                        s.execute(RAW_CREATE);
                    }
                }
                if (batched) {
                    c.setAutoCommit(false);
                }
                return new Handle<>() {
                    private final CRC32C crc = new CRC32C();
                    private final Map<Integer, PreparedStatement> multi = new HashMap<>();
                    private PreparedStatement upsert;
                    private PreparedStatement select;
                    private int pending;

                    @Override
                    public void put(byte[] key, byte[] value) throws SQLException {
                        if (upsert == null) {
                            upsert = c.prepareStatement(RAW_UPSERT);
                        }
                        upsert.setBytes(1, key);
                        upsert.setBytes(2, value);
                        upsert.setLong(3, checksum(crc, key, value));
                        if (batched) {
                            upsert.addBatch();
                            pending++;
                        } else {
                            upsert.executeUpdate();
                        }
                    }

                    @Override
                    public void commit() throws SQLException {
                        if (batched) {
                            if (pending > 0) {
                                upsert.executeBatch();
                                pending = 0;
                            }
                            c.commit();
                        }
                    }

                    @Override
                    public byte[] get(byte[] key) throws SQLException {
                        if (select == null) {
                            select = c.prepareStatement(RAW_SELECT);
                        }
                        select.setBytes(1, key);
                        try (ResultSet rows = select.executeQuery()) {
                            if (!rows.next()) {
                                return null;
                            }
                            byte[] v = rows.getBytes(1);
                            verify(crc, key, v, rows.getLong(2));
                            return v;
                        }
                    }

                    /** One {@code SELECT key, value, checksum ... WHERE key IN (?, ...)} for the whole list. */
                    @Override
                    public long getAll(List<byte[]> keys) throws SQLException {
                        PreparedStatement s = multi.get(keys.size());
                        if (s == null) {
                            StringBuilder sql = new StringBuilder(
                                    "SELECT key, value, checksum FROM entry WHERE store_id = 1 AND key IN (");
                            for (int i = 0; i < keys.size(); i++) {
                                sql.append(i == 0 ? "?" : ", ?");
                            }
                            s = c.prepareStatement(sql.append(')').toString());
                            multi.put(keys.size(), s);
                        }
                        for (int i = 0; i < keys.size(); i++) {
                            s.setBytes(i + 1, keys.get(i));
                        }
                        long bytes = 0;
                        int found = 0;
                        try (ResultSet rows = s.executeQuery()) {
                            while (rows.next()) {
                                byte[] v = rows.getBytes(2);
                                verify(crc, rows.getBytes(1), v, rows.getLong(3));
                                Case.consume(v);
                                bytes += v.length;
                                found++;
                            }
                        }
                        if (found != keys.size()) {
                            throw new IllegalStateException("raw IN found " + found + " of " + keys.size());
                        }
                        return bytes;
                    }

                    @Override
                    public void settle() throws SQLException {
                        RawSqlite.checkpoint(c);
                    }

                    @Override
                    public long count() throws SQLException {
                        try (Statement s = c.createStatement();
                                ResultSet rows = s.executeQuery(RAW_COUNT)) {
                            rows.next();
                            return rows.getLong(1);
                        }
                    }

                    @Override
                    public void close() throws SQLException {
                        try {
                            if (batched && pending > 0) {
                                commit();
                            }
                        } finally {
                            c.close();
                        }
                    }
                };
            }
        };
    }

    // ---- LMDB -----------------------------------------------------------------------------------

    /**
     * LMDB through lmdbjava ({@link LmdbPeer#open}: {@code MDB_NOSYNC}, 1 GiB map): a get renews a
     * reused read transaction (so it sees the latest commit) and copies the value out of the map,
     * as the vault returns a fresh array.
     */
    static KvEngine<byte[]> lmdb() {
        return new KvEngine<>("LMDB") {
            @Override
            Handle<byte[]> open(Path dir, boolean batched) {
                Env<ByteBuffer> env = LmdbPeer.open(dir);
                Dbi<ByteBuffer> dbi = env.openDbi("kv", DbiFlags.MDB_CREATE);
                return new Handle<>() {
                    private final ByteBuffer k = ByteBuffer.allocateDirect(511);
                    private ByteBuffer v = ByteBuffer.allocateDirect(ShapeData.VALUE_SIZE);
                    private Txn<ByteBuffer> write;
                    private Txn<ByteBuffer> read;

                    private ByteBuffer key(byte[] key) {
                        k.clear();
                        k.put(key).flip();
                        return k;
                    }

                    @Override
                    public void put(byte[] key, byte[] value) {
                        if (v.capacity() < value.length) {
                            v = ByteBuffer.allocateDirect(value.length);
                        }
                        v.clear();
                        v.put(value).flip();
                        if (batched) {
                            if (write == null) {
                                write = env.txnWrite();
                            }
                            dbi.put(write, key(key), v);
                        } else {
                            dbi.put(key(key), v);
                        }
                    }

                    @Override
                    public void commit() {
                        if (write != null) {
                            write.commit();
                            write.close();
                            write = null;
                        }
                    }

                    @Override
                    public byte[] get(byte[] key) {
                        if (read == null) {
                            read = env.txnRead();
                        } else {
                            read.renew();
                        }
                        try {
                            ByteBuffer found = dbi.get(read, key(key));
                            if (found == null) {
                                return null;
                            }
                            byte[] out = new byte[found.remaining()];
                            found.get(out);
                            return out;
                        } finally {
                            read.reset();
                        }
                    }

                    /** One read transaction for the whole list. */
                    @Override
                    public long getAll(List<byte[]> keys) {
                        long bytes = 0;
                        try (Txn<ByteBuffer> txn = env.txnRead()) {
                            for (byte[] key : keys) {
                                ByteBuffer found = dbi.get(txn, key(key));
                                byte[] out = new byte[found.remaining()];
                                found.get(out);
                                Case.consume(out);
                                bytes += out.length;
                            }
                        }
                        return bytes;
                    }

                    @Override
                    public long count() {
                        try (Txn<ByteBuffer> txn = env.txnRead()) {
                            return dbi.stat(txn).entries;
                        }
                    }

                    @Override
                    public void close() {
                        commit();
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

    private static Options rocksOptions;

    /** RocksDB's options here: defaults, but no compression (SQLite does not compress either). */
    static synchronized Options rocksOptions() {
        if (rocksOptions == null) {
            RocksDB.loadLibrary();
            rocksOptions = new Options().setCreateIfMissing(true).setCompressionType(CompressionType.NO_COMPRESSION);
        }
        return rocksOptions;
    }

    /**
     * RocksDB through rocksdbjni: default options without compression, WAL on and not synced
     * (as SQLite's WAL with {@code synchronous=NORMAL}); batched puts go into one {@code WriteBatch}
     * per commit; {@code getAll} is {@code multiGetAsList}. After a fill the memtable is flushed and
     * compacted, so that reads come from SST files.
     */
    static KvEngine<byte[]> rocks() {
        return new KvEngine<>("RocksDB") {
            @Override
            Handle<byte[]> open(Path dir, boolean batched) throws Exception {
                RocksDB db = RocksDB.open(rocksOptions(), dir.resolve("rocks").toString());
                return new Handle<>() {
                    private final WriteOptions writeOptions = new WriteOptions();
                    private final WriteBatch batch = new WriteBatch();

                    @Override
                    public void put(byte[] key, byte[] value) throws Exception {
                        if (batched) {
                            batch.put(key, value);
                        } else {
                            db.put(writeOptions, key, value);
                        }
                    }

                    @Override
                    public void commit() throws Exception {
                        if (batch.count() > 0) {
                            db.write(writeOptions, batch);
                            batch.clear();
                        }
                    }

                    @Override
                    public byte[] get(byte[] key) throws Exception {
                        return db.get(key);
                    }

                    @Override
                    public long getAll(List<byte[]> keys) throws Exception {
                        long bytes = 0;
                        for (byte[] v : db.multiGetAsList(keys)) {
                            Case.consume(v);
                            bytes += v.length;
                        }
                        return bytes;
                    }

                    @Override
                    public void settle() throws Exception {
                        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                            db.flush(flush);
                        }
                        db.compactRange();
                    }

                    @Override
                    public long count() throws Exception {
                        long n = 0;
                        try (var it = db.newIterator()) {
                            for (it.seekToFirst(); it.isValid(); it.next()) {
                                n++;
                            }
                        }
                        return n;
                    }

                    @Override
                    public void close() throws Exception {
                        commit();
                        batch.close();
                        writeOptions.close();
                        db.close();
                    }
                };
            }
        };
    }

    // ---- H2 MVStore -----------------------------------------------------------------------------

    /** H2 MVStore ({@link H2Peer#open}): an {@code MVMap<byte[], byte[]>}; its get returns the stored array. */
    static KvEngine<byte[]> h2() {
        return new KvEngine<>("H2 MVStore") {
            @Override
            Handle<byte[]> open(Path dir, boolean batched) {
                MVStore store = H2Peer.open(dir.resolve("h2.mv.db"));
                MVMap<byte[], byte[]> map = store.openMap("kv");
                return new Handle<>() {
                    @Override
                    public void put(byte[] key, byte[] value) {
                        map.put(key, value);
                        if (!batched) {
                            store.commit();
                        }
                    }

                    @Override
                    public void commit() {
                        store.commit();
                    }

                    @Override
                    public byte[] get(byte[] key) {
                        return map.get(key);
                    }

                    @Override
                    public long count() {
                        return map.size();
                    }

                    @Override
                    public void close() {
                        store.close();
                    }
                };
            }
        };
    }

    /** @return the peers that work on this machine (each probed with one put and get), in the table's order */
    static List<KvEngine<byte[]>> peers(TempFiles tmp, java.io.PrintStream log) {
        List<KvEngine<byte[]>> out = new ArrayList<>();
        for (KvEngine<byte[]> e : List.of(lmdb(), rocks(), h2())) {
            try {
                Path dir = tmp.newDir("probe");
                try (Handle<byte[]> h = e.open(dir, false)) {
                    h.put(new byte[] {1}, new byte[] {2});
                    if (h.get(new byte[] {1}) == null) {
                        throw new IllegalStateException("lost a key");
                    }
                } finally {
                    TempFiles.delete(dir);
                }
                out.add(e);
            } catch (Throwable t) {
                log.println(e.name + " does not work here, its rows are skipped: " + t);
            }
        }
        return out;
    }
}
