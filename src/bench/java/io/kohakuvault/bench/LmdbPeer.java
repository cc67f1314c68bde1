package io.kohakuvault.bench;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;

/**
 * Peer: LMDB through lmdbjava (its bundled native library), direct buffers, {@code MDB_NOSYNC}:
 * a commit reaches the OS but is not fsynced, as SQLite's WAL with {@code synchronous=NORMAL}.
 * Gets reuse one read transaction with {@code reset()/renew()} (each get sees the latest commit)
 * and copy the value out of the map into a fresh array, as the vault returns one. No target.
 */
final class LmdbPeer {
    private static final long MAP_SIZE = 1L << 30;

    private LmdbPeer() {}

    static Env<ByteBuffer> open(Path dir) {
        return Env.create().setMapSize(MAP_SIZE).setMaxDbs(1).open(dir.toFile(), EnvFlags.MDB_NOSYNC);
    }

    /** Loads the native library and writes and reads one key: throws when LMDB does not work here. */
    static void probe(TempFiles tmp) throws Exception {
        Path dir = tmp.newDir("lmdb-probe");
        try (Env<ByteBuffer> env = open(dir)) {
            Dbi<ByteBuffer> dbi = env.openDbi("kv", DbiFlags.MDB_CREATE);
            Buffers b = new Buffers();
            dbi.put(b.key("probe"), b.value(new byte[] {1}));
            try (Txn<ByteBuffer> txn = env.txnRead()) {
                if (dbi.get(txn, b.key("probe")) == null) {
                    throw new IllegalStateException("LMDB lost a key");
                }
            }
        } finally {
            TempFiles.delete(dir);
        }
    }

    /** Reused direct buffers for keys and values. */
    private static final class Buffers {
        final ByteBuffer key = ByteBuffer.allocateDirect(511);
        final ByteBuffer value = ByteBuffer.allocateDirect(BenchConfig.VALUE_SIZE);

        ByteBuffer key(String k) {
            key.clear();
            key.put(BenchData.utf8(k)).flip();
            return key;
        }

        ByteBuffer value(byte[] v) {
            value.clear();
            value.put(v).flip();
            return value;
        }
    }

    private static byte[] copy(ByteBuffer found) {
        if (found == null) {
            return null;
        }
        byte[] out = new byte[found.remaining()];
        found.get(out);
        return out;
    }

    private static void fill(Env<ByteBuffer> env, Dbi<ByteBuffer> dbi, BenchData data, int n, Buffers b) {
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            for (int i = 0; i < n; i++) {
                dbi.put(txn, b.key(data.keys[i]), b.value(data.value(i)));
            }
            txn.commit();
        }
    }

    static Case gets(TempFiles tmp, BenchData data, int n) {
        return new Case("LMDB get") {
            private final Buffers b = new Buffers();
            private Path dir;
            private Env<ByteBuffer> env;
            private Dbi<ByteBuffer> dbi;
            private Txn<ByteBuffer> txn;
            private int[] order;

            @Override
            void prepare() throws Exception {
                dir = tmp.newDir("lmdb-get");
                env = open(dir);
                dbi = env.openDbi("kv", DbiFlags.MDB_CREATE);
                fill(env, dbi, data, n, b);
                txn = env.txnRead();
                txn.reset();
            }

            @Override
            void setUp(int round) {
                order = data.permutation(round, n);
            }

            @Override
            long run() {
                String[] keys = data.keys;
                for (int i : order) {
                    txn.renew();
                    consume(copy(dbi.get(txn, b.key(keys[i]))));
                    txn.reset();
                }
                return order.length;
            }

            @Override
            void dispose() {
                txn.close();
                env.close();
                TempFiles.delete(dir);
            }
        };
    }

    /** Puts in one write transaction; or, with {@code commitEach}, a transaction per put. */
    static Case puts(TempFiles tmp, BenchData data, int n, boolean commitEach) {
        return new Case(commitEach ? "LMDB put, 1 txn each" : "LMDB put, 1 txn") {
            private final Buffers b = new Buffers();
            private Path dir;
            private Env<ByteBuffer> env;
            private Dbi<ByteBuffer> dbi;

            @Override
            void setUp(int round) throws Exception {
                dir = tmp.newDir("lmdb-put");
                env = open(dir);
                dbi = env.openDbi("kv", DbiFlags.MDB_CREATE);
            }

            @Override
            long run() {
                if (!commitEach) {
                    fill(env, dbi, data, n, b);
                    return n;
                }
                String[] keys = data.keys;
                for (int i = 0; i < n; i++) {
                    try (Txn<ByteBuffer> txn = env.txnWrite()) {
                        dbi.put(txn, b.key(keys[i]), b.value(data.value(i)));
                        txn.commit();
                    }
                }
                return n;
            }

            @Override
            void tearDown() {
                try (Txn<ByteBuffer> txn = env.txnRead()) {
                    long entries = dbi.stat(txn).entries;
                    if (entries != n) {
                        throw new IllegalStateException("LMDB holds " + entries + " keys, expected " + n);
                    }
                } finally {
                    env.close();
                    TempFiles.delete(dir);
                }
            }
        };
    }

    static Case reopen(TempFiles tmp, BenchData data, int stored, int n) {
        return new Case("LMDB: open env + dbi + get + close") {
            private final Buffers b = new Buffers();
            private Path dir;

            @Override
            void prepare() throws Exception {
                dir = tmp.newDir("lmdb-open");
                try (Env<ByteBuffer> env = open(dir)) {
                    fill(env, env.openDbi("kv", DbiFlags.MDB_CREATE), data, stored, b);
                }
            }

            @Override
            long run() {
                for (int i = 0; i < n; i++) {
                    try (Env<ByteBuffer> env = open(dir)) {
                        Dbi<ByteBuffer> dbi = env.openDbi("kv");
                        try (Txn<ByteBuffer> txn = env.txnRead()) {
                            consume(copy(dbi.get(txn, b.key(data.keys[i % stored]))));
                        }
                    }
                }
                return n;
            }

            @Override
            void dispose() {
                TempFiles.delete(dir);
            }
        };
    }
}
