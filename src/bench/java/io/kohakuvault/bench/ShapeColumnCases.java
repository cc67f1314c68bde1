package io.kohakuvault.bench;

import io.kohakuvault.ColumnType;
import io.kohakuvault.LongColumn;
import io.kohakuvault.Vault;
import java.nio.file.Path;

/**
 * The column cases of the shapes benchmark: the vault's (public API only, every option at its
 * default unless the case says so) and the generic ones that run a {@link ColumnEngine}.
 */
final class ShapeColumnCases {
    private ShapeColumnCases() {}

    // ---- the vault ------------------------------------------------------------------------------

    /** {@code append(long)} of every long, one call each, with {@code columns().enableCache(64 MiB, 16 MiB)}, then {@code flushCache()}. */
    static Case vaultAppend(TempFiles tmp, ColumnData data) {
        return new Case("KohakuVault append(long), cache on") {
            private Path dir;
            private Vault vault;
            private LongColumn column;

            @Override
            void setUp(int round) throws Exception {
                dir = tmp.newDir("vault-append");
                vault = Vault.open(dir.resolve("vault.db"));
                vault.columns().enableCache(KvEngine.CACHE_CAPACITY, KvEngine.CACHE_THRESHOLD);
                column = vault.column(ColumnCases.LONGS, ColumnType.I64);
            }

            @Override
            long run() {
                LongColumn c = column;
                for (long[] batch : data.batches) {
                    for (long v : batch) {
                        c.append(v);
                    }
                }
                vault.columns().flushCache();
                return data.count;
            }

            @Override
            void tearDown() {
                try {
                    vault.close();
                    try (Vault reopened = Vault.open(dir.resolve("vault.db"))) {
                        ColumnCases.checkLongs(side(), reopened.column(ColumnCases.LONGS, ColumnType.I64), data);
                    }
                } finally {
                    vault.close();
                    TempFiles.delete(dir);
                }
            }
        };
    }

    /** How the vault's sequential rows read the column. */
    enum Scan {
        BLOCKS,
        STREAM,
        BOXED
    }

    /** The whole column on a freshly opened vault (defaults), per sample. */
    static Case vaultScan(Path file, ColumnData data, Scan how, int block, String label) {
        return vaultScan(file, data, how, block, false, label);
    }

    /**
     * The whole column on a freshly opened vault (defaults) per sample, or, with {@code again}, on one
     * vault open for every sample, the column scanned once before the first: the scan a long-running
     * program makes again and again.
     */
    static Case vaultScan(Path file, ColumnData data, Scan how, int block, boolean again, String label) {
        return new Case(label) {
            private Vault vault;
            private LongColumn column;

            @Override
            void prepare() {
                if (again) {
                    vault = Vault.open(file);
                    column = vault.column(ColumnCases.LONGS, ColumnType.I64);
                    sink += ColumnCases.readBlocks(column, block);
                }
            }

            @Override
            void setUp(int round) {
                if (!again) {
                    vault = Vault.open(file);
                    column = vault.column(ColumnCases.LONGS, ColumnType.I64);
                }
            }

            @Override
            long run() {
                long sum = 0;
                switch (how) {
                    case BLOCKS -> sum = ColumnCases.readBlocks(column, block);
                    case STREAM -> sum = column.longStream().sum();
                    case BOXED -> {
                        for (Long v : column) {
                            sum += v;
                        }
                    }
                }
                RawColumns.checkSum(side(), sum, data.total);
                sink += sum;
                return data.count;
            }

            @Override
            void tearDown() {
                if (!again) {
                    vault.close();
                }
            }

            @Override
            void dispose() {
                if (again) {
                    vault.close();
                }
            }
        };
    }

    /**
     * Random {@code getLong} at the round's positions (the first {@code n}). Cold: a fresh vault
     * per sample with every option at its default (64 MiB read cache, smaller than the column).
     * Warm: one vault with {@code readCacheBytes(warmCacheBytes)}, the column read through once first.
     */
    static Case vaultGets(
            Path file, ColumnData data, int gets, int n, boolean cold, long warmCacheBytes, int block, String label) {
        return new Case(label) {
            private Vault vault;
            private LongColumn column;
            private long[] positions;
            private long expected;

            @Override
            void prepare() {
                if (!cold) {
                    vault = Vault.builder(file).readCacheBytes(warmCacheBytes).open();
                    column = vault.column(ColumnCases.LONGS, ColumnType.I64);
                    RawColumns.checkSum(
                            side() + ", reading through", ColumnCases.readBlocks(column, block), data.total);
                }
            }

            @Override
            void setUp(int round) {
                positions = data.positions(round, gets, data.count);
                expected = data.sumAt(positions, n);
                if (cold) {
                    vault = Vault.open(file);
                    column = vault.column(ColumnCases.LONGS, ColumnType.I64);
                }
            }

            @Override
            long run() {
                LongColumn c = column;
                long[] p = positions;
                long sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += c.getLong(p[i]);
                }
                RawColumns.checkSum(side(), sum, expected);
                sink += sum;
                return n;
            }

            @Override
            void tearDown() {
                if (cold) {
                    vault.close();
                }
            }

            @Override
            void dispose() {
                if (!cold) {
                    vault.close();
                }
            }
        };
    }

    // ---- raw and the peers ----------------------------------------------------------------------

    /** Fills {@code dir} as the append row writes, then settles it. */
    static void fill(ColumnEngine engine, Path dir, ColumnData data) throws Exception {
        try (ColumnEngine.Handle h = engine.open(dir)) {
            h.appendAll(data);
            h.settle();
            RawColumns.checkSum(engine.name + " fill", h.scan(1 << 16), data.total);
        }
    }

    /** The append row on an engine: a fresh store per sample. */
    static Case append(ColumnEngine engine, TempFiles tmp, ColumnData data) {
        return new Case(engine.name) {
            private Path dir;
            private ColumnEngine.Handle h;

            @Override
            void setUp(int round) throws Exception {
                dir = tmp.newDir("append");
                h = engine.open(dir);
            }

            @Override
            long run() throws Exception {
                h.appendAll(data);
                return data.count;
            }

            @Override
            void tearDown() throws Exception {
                try {
                    RawColumns.checkSum(side(), h.scan(1 << 16), data.total);
                } finally {
                    h.close();
                    TempFiles.delete(dir);
                }
            }
        };
    }

    /** The sequential row on an engine: a fresh instance per sample, blocks of {@code block} longs. */
    static Case scan(ColumnEngine engine, Path fixture, ColumnData data, int block) {
        return new Case(engine.name) {
            private ColumnEngine.Handle h;

            @Override
            void setUp(int round) throws Exception {
                h = engine.open(fixture);
            }

            @Override
            long run() throws Exception {
                long sum = h.scan(block);
                RawColumns.checkSum(side(), sum, data.total);
                sink += sum;
                return data.count;
            }

            @Override
            void tearDown() throws Exception {
                h.close();
            }
        };
    }

    /** Random gets on an engine (the first {@code n} positions): cold = a fresh instance per sample, warm = one, read through first. */
    static Case gets(ColumnEngine engine, Path fixture, ColumnData data, int gets, int n, boolean cold) {
        return new Case(engine.name) {
            private ColumnEngine.Handle h;
            private long[] positions;
            private long expected;

            @Override
            void prepare() throws Exception {
                if (!cold) {
                    h = engine.open(fixture);
                    RawColumns.checkSum(side(), h.scan(1 << 16), data.total);
                }
            }

            @Override
            void setUp(int round) throws Exception {
                positions = data.positions(round, gets, data.count);
                expected = data.sumAt(positions, n);
                if (cold) {
                    h = engine.open(fixture);
                }
            }

            @Override
            long run() throws Exception {
                long sum = h.getLongs(positions, n);
                RawColumns.checkSum(side(), sum, expected);
                sink += sum;
                return n;
            }

            @Override
            void tearDown() throws Exception {
                if (cold) {
                    h.close();
                }
            }

            @Override
            void dispose() throws Exception {
                if (!cold) {
                    h.close();
                }
            }
        };
    }
}
