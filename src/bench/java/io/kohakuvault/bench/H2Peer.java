package io.kohakuvault.bench;

import java.nio.file.Path;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * Peer: H2's MVStore, an {@code MVMap<String, byte[]>} in one file, background auto-commit off so
 * that every write reaches the file at an explicit {@code commit()}. No target; for comparison.
 * Its {@code get} returns the stored array itself, not a copy.
 */
final class H2Peer {
    private H2Peer() {}

    static MVStore open(Path file) {
        return new MVStore.Builder()
                .fileName(file.toString())
                .autoCommitDisabled()
                .open();
    }

    /** Opens a store, writes and reads one key: throws when H2 does not work here. */
    static void probe(TempFiles tmp) throws Exception {
        Path dir = tmp.newDir("h2-probe");
        try (MVStore store = open(dir.resolve("h2.mv.db"))) {
            MVMap<String, byte[]> map = store.openMap("kv");
            map.put("probe", new byte[] {1});
            store.commit();
            if (map.get("probe") == null) {
                throw new IllegalStateException("H2 MVStore lost a key");
            }
        } finally {
            TempFiles.delete(dir);
        }
    }

    static Case gets(TempFiles tmp, BenchData data, int n) {
        return new Case("H2 MVStore get") {
            private Path dir;
            private MVStore store;
            private MVMap<String, byte[]> map;
            private int[] order;

            @Override
            void prepare() throws Exception {
                dir = tmp.newDir("h2-get");
                store = open(dir.resolve("h2.mv.db"));
                map = store.openMap("kv");
                for (int i = 0; i < n; i++) {
                    map.put(data.keys[i], data.value(i));
                }
                store.commit();
            }

            @Override
            void setUp(int round) {
                order = data.permutation(round, n);
            }

            @Override
            long run() {
                String[] keys = data.keys;
                for (int i : order) {
                    consume(map.get(keys[i]));
                }
                return order.length;
            }

            @Override
            void dispose() {
                store.close();
                TempFiles.delete(dir);
            }
        };
    }

    /** Puts, then one {@code commit()}; or, with {@code commitEach}, a commit after every put. */
    static Case puts(TempFiles tmp, BenchData data, int n, boolean commitEach) {
        return new Case(commitEach ? "H2 MVStore put + commit each" : "H2 MVStore put, 1 commit") {
            private Path dir;
            private MVStore store;
            private MVMap<String, byte[]> map;

            @Override
            void setUp(int round) throws Exception {
                dir = tmp.newDir("h2-put");
                store = open(dir.resolve("h2.mv.db"));
                map = store.openMap("kv");
            }

            @Override
            long run() {
                String[] keys = data.keys;
                for (int i = 0; i < n; i++) {
                    map.put(keys[i], data.value(i));
                    if (commitEach) {
                        store.commit();
                    }
                }
                store.commit();
                return n;
            }

            @Override
            void tearDown() {
                try {
                    if (map.size() != n) {
                        throw new IllegalStateException("H2 map holds " + map.size() + " keys, expected " + n);
                    }
                } finally {
                    store.close();
                    TempFiles.delete(dir);
                }
            }
        };
    }

    static Case reopen(TempFiles tmp, BenchData data, int stored, int n) {
        return new Case("H2 MVStore: open + get + close") {
            private Path dir;
            private Path file;

            @Override
            void prepare() throws Exception {
                dir = tmp.newDir("h2-open");
                file = dir.resolve("h2.mv.db");
                try (MVStore store = open(file)) {
                    MVMap<String, byte[]> map = store.openMap("kv");
                    for (int i = 0; i < stored; i++) {
                        map.put(data.keys[i], data.value(i));
                    }
                    store.commit();
                }
            }

            @Override
            long run() {
                for (int i = 0; i < n; i++) {
                    try (MVStore store = open(file)) {
                        MVMap<String, byte[]> map = store.openMap("kv");
                        consume(map.get(data.keys[i % stored]));
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
