package io.kohakuvault.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The key-value cases of the shapes benchmark, one generic case per shape that runs on any
 * {@link KvEngine}: the same loop for the vault, raw sqlite-jdbc and the peers.
 */
final class ShapeKvCases {
    private ShapeKvCases() {}

    /** What one engine stores, with the keys it takes (same count and length on every side). */
    record Side<K>(KvEngine<K> engine, K[] keys) {
        String name() {
            return engine.name;
        }
    }

    /** Fills {@code dir} with {@code n} keys as the put shape writes them (commit every {@code commitEvery}), then settles it. */
    static <K> void fill(Side<K> side, Path dir, ShapeData data, int n, int commitEvery) throws Exception {
        try (KvEngine.Handle<K> h = side.engine().open(dir, true)) {
            putAll(h, side.keys(), data, n, commitEvery);
            h.settle();
            check(side.name(), h, n);
        }
    }

    private static <K> void putAll(KvEngine.Handle<K> h, K[] keys, ShapeData data, int n, int commitEvery)
            throws Exception {
        for (int i = 0; i < n; i++) {
            h.put(keys[i], data.value(i));
            if ((i + 1) % commitEvery == 0) {
                h.commit();
            }
        }
        h.commit();
    }

    private static void check(String side, KvEngine.Handle<?> h, long n) throws Exception {
        long count = h.count();
        if (count != n) {
            throw new IllegalStateException(side + ": holds " + count + " keys, expected " + n);
        }
    }

    /** Puts of {@code n} keys in their random order, a commit every {@code commitEvery}, into a fresh store per sample. */
    static <K> Case puts(Side<K> side, TempFiles tmp, ShapeData data, int n, int commitEvery) {
        return new Case(side.name()) {
            private Path dir;
            private KvEngine.Handle<K> h;

            @Override
            void setUp(int round) throws Exception {
                dir = tmp.newDir("put");
                h = side.engine().open(dir, true);
            }

            @Override
            long run() throws Exception {
                putAll(h, side.keys(), data, n, commitEvery);
                return n;
            }

            @Override
            void tearDown() throws Exception {
                try {
                    check(side(), h, n);
                } finally {
                    h.close();
                    TempFiles.delete(dir);
                }
            }
        };
    }

    /**
     * Gets of every key in the round's random order. Cold: a fresh instance of the store per
     * sample, opened untimed (the vault's Java-side caches, SQLite's page cache, RocksDB's block
     * cache, MVStore's page cache start empty; the OS page cache stays warm for everyone). Warm: one
     * instance for every sample, every key read once before the first.
     */
    static <K> Case gets(Side<K> side, Path fixture, ShapeData data, int n, boolean cold) {
        return new OnStore<K>(side.name(), side, fixture, n, cold) {
            private int[] order;

            @Override
            void setUpRound(int round) {
                order = data.permutation(round, n);
            }

            @Override
            long run() throws Exception {
                K[] keys = side.keys();
                KvEngine.Handle<K> store = h;
                for (int i : order) {
                    consume(store.get(keys[i]));
                }
                return order.length;
            }
        };
    }

    /**
     * {@code getAll} of {@code batch} keys at a time (or, with {@code single}, the same keys as
     * {@code batch} single gets), every key once per sample in the round's random order: on one warm
     * instance, or, with {@code cold}, on a fresh instance per sample (opened untimed, nothing read
     * before). Counts keys.
     */
    static <K> Case getAll(
            Side<K> side, Path fixture, ShapeData data, int n, int batch, boolean single, boolean cold, String label) {
        return new OnStore<K>(label, side, fixture, n, cold) {
            private List<List<K>> batches;

            @Override
            void setUpRound(int round) {
                int[] order = data.permutation(round, n);
                K[] keys = side.keys();
                batches = new ArrayList<>(n / batch + 1);
                for (int from = 0; from < n; from += batch) {
                    List<K> b = new ArrayList<>(batch);
                    for (int i = from; i < Math.min(n, from + batch); i++) {
                        b.add(keys[order[i]]);
                    }
                    batches.add(b);
                }
            }

            @Override
            long run() throws Exception {
                long bytes = 0;
                if (single) {
                    for (List<K> b : batches) {
                        for (K k : b) {
                            byte[] v = h.get(k);
                            consume(v);
                            bytes += v.length;
                        }
                    }
                } else {
                    for (List<K> b : batches) {
                        bytes += h.getAll(b);
                    }
                }
                if (bytes != (long) n * ShapeData.VALUE_SIZE) {
                    throw new IllegalStateException(
                            side() + ": read " + bytes + " bytes, expected " + n * ShapeData.VALUE_SIZE);
                }
                return n;
            }
        };
    }

    /** Puts of the 1 MiB values, each its own commit (the vault's cache off), into a fresh store per sample. */
    static <K> Case largePuts(Side<K> side, TempFiles tmp, ShapeData data) {
        return new Case(side.name()) {
            private Path dir;
            private KvEngine.Handle<K> h;

            @Override
            void setUp(int round) throws Exception {
                dir = tmp.newDir("large-put");
                h = side.engine().open(dir, false);
            }

            @Override
            long run() throws Exception {
                K[] keys = side.keys();
                for (int i = 0; i < keys.length; i++) {
                    h.put(keys[i], data.largeValues[i]);
                }
                return keys.length;
            }

            @Override
            void tearDown() throws Exception {
                try {
                    check(side(), h, side.keys().length);
                } finally {
                    h.close();
                    TempFiles.delete(dir);
                }
            }
        };
    }

    /** Fills {@code dir} with the 1 MiB values, each its own commit, and settles it. */
    static <K> void fillLarge(Side<K> side, Path dir, ShapeData data) throws Exception {
        try (KvEngine.Handle<K> h = side.engine().open(dir, false)) {
            K[] keys = side.keys();
            for (int i = 0; i < keys.length; i++) {
                h.put(keys[i], data.largeValues[i]);
            }
            h.settle();
            check(side.name(), h, keys.length);
        }
    }

    /** Gets (or, with {@code stream}, stream reads) of every 1 MiB value in random order, a fresh instance per sample. */
    static <K> Case largeGets(Side<K> side, Path fixture, ShapeData data, boolean stream, String label) {
        return new Case(label) {
            private KvEngine.Handle<K> h;
            private int[] order;

            @Override
            void setUp(int round) throws Exception {
                order = data.permutation(round, side.keys().length);
                h = side.engine().open(fixture, false);
            }

            @Override
            long run() throws Exception {
                K[] keys = side.keys();
                long bytes = 0;
                for (int i : order) {
                    if (stream) {
                        bytes += h.stream(keys[i]);
                    } else {
                        byte[] v = h.get(keys[i]);
                        consume(v);
                        bytes += v.length;
                    }
                }
                if (bytes != (long) order.length * ShapeData.LARGE_VALUE_SIZE) {
                    throw new IllegalStateException(side() + ": read " + bytes + " bytes");
                }
                return order.length;
            }

            @Override
            void tearDown() throws Exception {
                h.close();
            }
        };
    }

    /** Open of the existing store + one get + close, {@code n} times, the keys of the first {@code stored}. */
    static <K> Case opens(Side<K> side, Path fixture, int stored, int n, String label) {
        return new Case(label) {
            @Override
            long run() throws Exception {
                K[] keys = side.keys();
                for (int i = 0; i < n; i++) {
                    try (KvEngine.Handle<K> h = side.engine().open(fixture, false)) {
                        consume(h.get(keys[(i * 7919) % stored]));
                    }
                }
                return n;
            }
        };
    }

    /**
     * A case reading one store of {@code side}: cold, a fresh instance per sample, opened untimed
     * (the vault's Java-side caches, SQLite's page cache, RocksDB's block cache, MVStore's page cache
     * start empty; the OS page cache stays warm for everyone); warm, one instance for every sample,
     * the first {@code n} keys read once before the first.
     */
    private abstract static class OnStore<K> extends Case {
        private final Side<K> side;
        private final Path fixture;
        private final int n;
        private final boolean cold;
        /** The open store, for {@link #run}. */
        KvEngine.Handle<K> h;

        OnStore(String label, Side<K> side, Path fixture, int n, boolean cold) {
            super(label);
            this.side = side;
            this.fixture = fixture;
            this.n = n;
            this.cold = cold;
        }

        /** Prepares the round's work, untimed. */
        abstract void setUpRound(int round) throws Exception;

        @Override
        final void prepare() throws Exception {
            if (!cold) {
                h = side.engine().open(fixture, false);
                K[] keys = side.keys();
                for (int i = 0; i < n; i++) {
                    consume(h.get(keys[i]));
                }
            }
        }

        @Override
        final void setUp(int round) throws Exception {
            setUpRound(round);
            if (cold) {
                h = side.engine().open(fixture, false);
            }
        }

        @Override
        final void tearDown() throws Exception {
            if (cold) {
                h.close();
            }
        }

        @Override
        final void dispose() throws Exception {
            if (!cold) {
                h.close();
            }
        }
    }
}
