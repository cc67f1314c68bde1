package io.kohakuvault.bench;

import io.kohakuvault.KVault;
import io.kohakuvault.Vault;
import java.nio.file.Path;

/** The KohakuVault side of every workload, through the public API only, every option at its default. */
final class VaultCases {
    /** The write-back cache of the cached-put workload: 64 MiB capacity, flush at 16 MiB. */
    static final long CACHE_CAPACITY = 64L << 20;

    static final long CACHE_THRESHOLD = 16L << 20;

    private VaultCases() {}

    /** Random {@code kv.get(key)} on a store filled once (in one transaction, the same order as raw). */
    static Case gets(TempFiles tmp, BenchData data, int n) {
        return new Case("KohakuVault kv.get") {
            private Path dir;
            private Vault vault;
            private KVault kv;
            private int[] order;

            @Override
            void prepare() throws Exception {
                dir = tmp.newDir("vault-get");
                vault = Vault.open(dir.resolve("vault.db"));
                kv = vault.kv();
                vault.transaction(() -> {
                    for (int i = 0; i < n; i++) {
                        kv.put(data.keys[i], data.value(i));
                    }
                });
                vault.checkpoint();
            }

            @Override
            void setUp(int round) {
                order = data.permutation(round, n);
            }

            @Override
            long run() {
                String[] keys = data.keys;
                KVault store = kv;
                for (int i : order) {
                    consume(store.get(keys[i]));
                }
                return order.length;
            }

            @Override
            void dispose() {
                vault.close();
                TempFiles.delete(dir);
            }
        };
    }

    /** Puts with the write-back cache on, then {@code flushCache()}: both timed. Fresh file per sample. */
    static Case cachedPuts(TempFiles tmp, BenchData data, int n) {
        return new FreshVaultPuts("KohakuVault put, cache on + flushCache", tmp, data, n) {
            @Override
            Vault open(Path file) {
                return Vault.open(file).withCache(CACHE_CAPACITY, CACHE_THRESHOLD);
            }

            @Override
            long run() {
                String[] keys = data.keys;
                for (int i = 0; i < n; i++) {
                    kv.put(keys[i], data.value(i));
                }
                kv.flushCache();
                return n;
            }
        };
    }

    /** Puts inside one {@code vault.transaction(...)}. Fresh file per sample. */
    static Case transactionPuts(TempFiles tmp, BenchData data, int n) {
        return new FreshVaultPuts("KohakuVault put in vault.transaction", tmp, data, n) {
            @Override
            long run() {
                String[] keys = data.keys;
                vault.transaction(() -> {
                    for (int i = 0; i < n; i++) {
                        kv.put(keys[i], data.value(i));
                    }
                });
                return n;
            }
        };
    }

    /** Puts with the cache off and no transaction: each put commits by itself. Fresh file per sample. */
    static Case autocommitPuts(TempFiles tmp, BenchData data, int n) {
        return new FreshVaultPuts("KohakuVault put, autocommit", tmp, data, n) {
            @Override
            long run() {
                String[] keys = data.keys;
                for (int i = 0; i < n; i++) {
                    kv.put(keys[i], data.value(i));
                }
                return n;
            }
        };
    }

    /** {@code Vault.open} of an existing, up-to-date file, {@code kv().get}, {@code close}. */
    static Case reopen(TempFiles tmp, BenchData data, int stored, int n) {
        return new Case("KohakuVault: Vault.open + kv().get + close") {
            private Path dir;
            private Path file;

            @Override
            void prepare() throws Exception {
                dir = tmp.newDir("vault-open");
                file = dir.resolve("vault.db");
                try (Vault vault = Vault.open(file)) {
                    KVault kv = vault.kv();
                    vault.transaction(() -> {
                        for (int i = 0; i < stored; i++) {
                            kv.put(data.keys[i], data.value(i));
                        }
                    });
                }
            }

            @Override
            long run() {
                for (int i = 0; i < n; i++) {
                    try (Vault vault = Vault.open(file)) {
                        consume(vault.kv().get(data.keys[i % stored]));
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

    /** A put workload on a new vault file per sample; the file is created and migrated untimed. */
    private abstract static class FreshVaultPuts extends Case {
        final BenchData data;
        final int n;
        private final TempFiles tmp;
        private Path dir;
        Vault vault;
        KVault kv;

        FreshVaultPuts(String side, TempFiles tmp, BenchData data, int n) {
            super(side);
            this.tmp = tmp;
            this.data = data;
            this.n = n;
        }

        Vault open(Path file) {
            return Vault.open(file);
        }

        @Override
        void setUp(int round) throws Exception {
            dir = tmp.newDir("vault-put");
            vault = open(dir.resolve("vault.db"));
            kv = vault.kv();
        }

        @Override
        void tearDown() {
            try {
                long size = kv.size();
                if (size != n) {
                    throw new IllegalStateException(side() + ": the store holds " + size + " keys, expected " + n);
                }
            } finally {
                vault.close();
                TempFiles.delete(dir);
            }
        }
    }
}
