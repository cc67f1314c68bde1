package io.kohakuvault.bench;

import io.kohakuvault.BytesColumn;
import io.kohakuvault.ColumnType;
import io.kohakuvault.LongColumn;
import io.kohakuvault.Vault;
import io.kohakuvault.VaultBuilder;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The KohakuVault side of the column benchmark, through the public API only, every option at its
 * default unless the case says otherwise (the warm reads' {@code readCacheBytes}).
 *
 * <p>Part of the column benchmark: {@code ./mvnw -q -Pbench verify -Dbench.only=columns} (see
 * {@link ColumnBenchmark}).
 */
final class ColumnCases {
    /** The column every long workload writes and reads. */
    static final String LONGS = "longs";

    private ColumnCases() {}

    /** Checks the length and a sample of the longs, including the last. */
    static void checkLongs(String side, LongColumn column, ColumnData data) {
        if (column.length() != data.count) {
            throw new IllegalStateException(
                    side + ": the column holds " + column.length() + " longs, expected " + data.count);
        }
        for (long i = 0; i < data.count; i += Math.max(1, data.count / 1000)) {
            RawColumns.checkValue(side, i, column.getLong(i), data);
        }
        RawColumns.checkValue(side, data.count - 1, column.getLong(data.count - 1), data);
    }

    /** @return the sum of the whole column, read with {@code getLongs} in blocks of {@code block} longs */
    static long readBlocks(LongColumn column, int block) {
        long length = column.length();
        long sum = 0;
        for (long from = 0; from < length; from += block) {
            long[] values = column.getLongs(from, Math.min(length, from + block));
            sum += ColumnData.sum(values, values.length);
        }
        return sum;
    }

    /** Appends every batch with {@code extend(long...)}, each batch its own transaction. */
    static void extendAll(LongColumn column, ColumnData data) {
        for (long[] batch : data.batches) {
            column.extend(batch);
        }
    }

    /** Creates the vault file that the read workloads read: the same longs, written as workload 1 writes them. */
    static Path fill(Path dir, ColumnData data) {
        Path file = dir.resolve("vault.db");
        try (Vault vault = Vault.open(file)) {
            LongColumn column = vault.column(LONGS, ColumnType.I64);
            extendAll(column, data);
            checkLongs("vault", column, data);
            vault.checkpoint();
        }
        return file;
    }

    /** Workload 1: {@code extend(long...)} of every batch into a fresh file per sample. */
    static Case extend(TempFiles tmp, ColumnData data) {
        return new Case("KohakuVault LongColumn.extend, cache off") {
            private Path dir;
            private Vault vault;
            private LongColumn column;

            @Override
            void setUp(int round) throws Exception {
                dir = tmp.newDir("vault-extend");
                vault = Vault.open(dir.resolve("vault.db"));
                column = vault.column(LONGS, ColumnType.I64);
            }

            @Override
            long run() {
                extendAll(column, data);
                return data.count;
            }

            @Override
            void tearDown() {
                try {
                    vault.close();
                    try (Vault reopened = Vault.open(dir.resolve("vault.db"))) {
                        checkLongs(side(), reopened.column(LONGS, ColumnType.I64), data);
                    }
                } finally {
                    vault.close();
                    TempFiles.delete(dir);
                }
            }
        };
    }

    /** A read case on the filled file, with a freshly opened vault (empty chunk cache) per sample. */
    private abstract static class FreshVaultRead extends Case {
        final Path file;
        final ColumnData data;
        private final long readCacheBytes;
        Vault vault;
        LongColumn column;

        FreshVaultRead(String side, Path file, ColumnData data, long readCacheBytes) {
            super(side);
            this.file = file;
            this.data = data;
            this.readCacheBytes = readCacheBytes;
        }

        @Override
        void setUp(int round) throws Exception {
            vault = Vault.builder(file).readCacheBytes(readCacheBytes).open();
            column = vault.column(LONGS, ColumnType.I64);
        }

        @Override
        void tearDown() {
            vault.close();
        }
    }

    /** Workload 2: the whole column with {@code getLongs} in blocks, each block summed. */
    static Case sequentialRead(Path file, ColumnData data, int block) {
        return new FreshVaultRead(
                "KohakuVault getLongs, blocks of " + block, file, data, VaultBuilder.DEFAULT_READ_CACHE_BYTES) {
            @Override
            long run() {
                long sum = readBlocks(column, block);
                RawColumns.checkSum(side(), sum, data.total);
                sink += sum;
                return data.count;
            }
        };
    }

    /** Workload 2: the whole column with {@code longStream().sum()}. */
    static Case streamRead(Path file, ColumnData data) {
        return new FreshVaultRead("KohakuVault longStream().sum()", file, data, VaultBuilder.DEFAULT_READ_CACHE_BYTES) {
            @Override
            long run() {
                long sum = column.longStream().sum();
                RawColumns.checkSum(side(), sum, data.total);
                sink += sum;
                return data.count;
            }
        };
    }

    /**
     * Workload 3, cold: random {@code getLong} on a freshly opened vault (its chunk cache empty),
     * the first {@code n} of the round's {@code gets} positions.
     */
    static Case coldGets(Path file, ColumnData data, int gets, int n, long readCacheBytes, String label) {
        return new FreshVaultRead(label, file, data, readCacheBytes) {
            private long[] positions;
            private long expected;

            @Override
            void setUp(int round) throws Exception {
                positions = data.positions(round, gets, data.count);
                expected = data.sumAt(positions, n);
                super.setUp(round);
            }

            @Override
            long run() {
                long sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += column.getLong(positions[i]);
                }
                RawColumns.checkSum(side(), sum, expected);
                sink += sum;
                return n;
            }
        };
    }

    /** A read case on one vault whose chunk cache holds the whole column, read through once first. */
    private abstract static class WarmVaultRead extends Case {
        final Path file;
        final ColumnData data;
        private final long readCacheBytes;
        private final int block;
        private Vault vault;
        LongColumn column;

        WarmVaultRead(String side, Path file, ColumnData data, long readCacheBytes, int block) {
            super(side);
            this.file = file;
            this.data = data;
            this.readCacheBytes = readCacheBytes;
            this.block = block;
        }

        @Override
        void prepare() {
            vault = Vault.builder(file).readCacheBytes(readCacheBytes).open();
            column = vault.column(LONGS, ColumnType.I64);
            RawColumns.checkSum(side() + ", reading through", readBlocks(column, block), data.total);
        }

        @Override
        void dispose() {
            vault.close();
        }
    }

    /** Workload 3, warm: random {@code getLong} once the column was read through. */
    static Case warmGets(Path file, ColumnData data, int gets, long readCacheBytes, int block) {
        return new WarmVaultRead(
                "KohakuVault getLong, warm (cache holds the column)", file, data, readCacheBytes, block) {
            private long[] positions;
            private long expected;

            @Override
            void setUp(int round) {
                positions = data.positions(round, gets, data.count);
                expected = data.sumAt(positions, gets);
            }

            @Override
            long run() {
                long sum = 0;
                for (long p : positions) {
                    sum += column.getLong(p);
                }
                RawColumns.checkSum(side(), sum, expected);
                sink += sum;
                return gets;
            }
        };
    }

    /** Workload 4: {@code getLongs} slices at random offsets, on cached chunks, each slice summed. */
    static Case slices(Path file, ColumnData data, int slices, int length, long readCacheBytes, int block) {
        return new WarmVaultRead(
                "KohakuVault getLongs(i, i + " + length + "), warm", file, data, readCacheBytes, block) {
            private long[] positions;
            private long expected;

            @Override
            void setUp(int round) {
                positions = data.positions(round, slices, data.count - length + 1);
                expected = data.sumSlices(positions, slices, length);
            }

            @Override
            long run() {
                long sum = 0;
                for (long p : positions) {
                    long[] values = column.getLongs(p, p + length);
                    sum += ColumnData.sum(values, values.length);
                }
                RawColumns.checkSum(side(), sum, expected);
                sink += sum;
                return slices;
            }
        };
    }

    /**
     * Workload 5: one {@code append(byte[])} per 100-byte element with the write-back cache on
     * ({@code columns().enableCache(64 MiB, 16 MiB)}, as the key-value benchmark's cache), then
     * {@code flushCache()}, both timed. A fresh file per sample.
     */
    static Case appendElements(TempFiles tmp, ColumnData data, int n) {
        return new Case("KohakuVault BytesColumn.append, cache on + flushCache") {
            private Path dir;
            private Vault vault;
            private BytesColumn column;

            @Override
            void setUp(int round) throws Exception {
                dir = tmp.newDir("vault-append");
                vault = Vault.open(dir.resolve("vault.db"));
                vault.columns().enableCache(VaultCases.CACHE_CAPACITY, VaultCases.CACHE_THRESHOLD);
                column = vault.column("elements", ColumnType.BYTES);
            }

            @Override
            long run() {
                for (int i = 0; i < n; i++) {
                    column.append(data.element(i));
                }
                vault.columns().flushCache();
                return n;
            }

            @Override
            void tearDown() {
                try {
                    vault.close();
                    try (Vault reopened = Vault.open(dir.resolve("vault.db"))) {
                        BytesColumn stored = reopened.column("elements", ColumnType.BYTES);
                        if (stored.length() != n) {
                            throw new IllegalStateException(
                                    side() + ": the column holds " + stored.length() + " elements, expected " + n);
                        }
                        for (long i = 0; i < n; i += Math.max(1, n / 1000)) {
                            checkElement(stored, i);
                        }
                        checkElement(stored, n - 1);
                    }
                } finally {
                    vault.close();
                    TempFiles.delete(dir);
                }
            }

            private void checkElement(BytesColumn stored, long i) {
                if (!Arrays.equals(stored.getBytes(i), data.element(i))) {
                    throw new IllegalStateException(side() + ": element " + i + " reads back different bytes");
                }
            }
        };
    }
}
