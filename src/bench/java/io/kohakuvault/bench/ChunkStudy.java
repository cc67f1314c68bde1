package io.kohakuvault.bench;

import io.kohakuvault.ChunkSizes;
import io.kohakuvault.ColumnType;
import io.kohakuvault.LongColumn;
import io.kohakuvault.Vault;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The chunk-size study behind {@link ChunkSizes#DEFAULT}: the same four operations on columns
 * whose chunks grow from 16 KiB up to 64 KiB (the default), 256 KiB or 1 MiB, each compared with
 * the default in the same round. Part of the column benchmark ({@code ./mvnw -q -Pbench verify
 * -Dbench.only=columns}); {@code -Dbench.chunkStudy=false} leaves it out.
 *
 * <ul>
 *   <li>single {@code append(long)} calls with the write-back cache off: each is a transaction that
 *       rewrites the column's tail chunk, here a full-size chunk half full (a fresh file per sample);
 *   <li>{@code extend(long...)} of the study's longs in batches, a fresh file per sample;
 *   <li>cold random {@code getLong} with {@code readCacheBytes(0)}: every get reads its element from
 *       SQLite ({@code substr} of its chunk), which SQLite does by assembling the whole chunk;
 *   <li>a sequential read with {@code getLongs} in blocks, a freshly opened vault per sample.
 * </ul>
 */
final class ChunkStudy {
    /** The smallest chunk, fixed. */
    static final int MIN_BYTES = 16 << 10;
    /** The largest chunks compared; one of them is the default's. */
    static final int[] MAX_BYTES = {64 << 10, 256 << 10, 1 << 20};
    /** Where the default is in {@link #MAX_BYTES}. */
    private static final int DEFAULT_INDEX = java.util.stream.IntStream.range(0, MAX_BYTES.length)
            .filter(i -> MAX_BYTES[i] == ChunkSizes.DEFAULT.maxBytes())
            .findFirst()
            .orElseThrow();

    private ChunkStudy() {}

    /** The column of one chunk size, and the file that holds it. */
    private record Subject(ChunkSizes sizes, Path file) {
        String label() {
            int kib = sizes.maxBytes() >> 10;
            String max = kib >= 1024 ? (kib >> 10) + " MiB" : kib + " KiB";
            return "max " + max + (sizes.equals(ChunkSizes.DEFAULT) ? " (default)" : "");
        }
    }

    /**
     * One of the study's workloads, with what its operation is.
     *
     * @param workload the cases, one per chunk size, compared with the default's
     * @param op what one operation is, for the table
     * @param bytesPerOp bytes one operation moves, for the MB/s column; 0 for none
     */
    record Part(Workload workload, String op, double bytesPerOp) {}

    /** The study's four workloads, on files it fills first (untimed). */
    static List<Part> workloads(ColumnConfig cfg, TempFiles tmp, ColumnData data) throws Exception {
        List<Subject> subjects = new ArrayList<>();
        for (int max : MAX_BYTES) {
            ChunkSizes sizes = ChunkSizes.of(MIN_BYTES, max);
            Path file = tmp.newDir("study").resolve("vault.db");
            try (Vault vault = Vault.open(file)) {
                LongColumn column = vault.columns().createColumn(ColumnCases.LONGS, ColumnType.I64, sizes);
                ColumnCases.extendAll(column, data);
                ColumnCases.checkLongs("study " + sizes, column, data);
                vault.checkpoint();
            }
            subjects.add(new Subject(sizes, file));
        }
        List<Case> appends = new ArrayList<>();
        List<Case> bulk = new ArrayList<>();
        List<Case> gets = new ArrayList<>();
        List<Case> reads = new ArrayList<>();
        for (Subject s : subjects) {
            appends.add(appends(tmp, s, cfg.studyAppends()));
            bulk.add(extend(tmp, s, data));
            gets.add(coldGets(s, data, cfg.studyGets()));
            reads.add(sequentialRead(s, data, cfg.block()));
        }
        // Each case is compared with the default's (MAX_BYTES[DEFAULT_INDEX]) in the same round.
        return List.of(
                new Part(
                        new Workload(
                                "S1. append(long), cache off", appends, appends.get(DEFAULT_INDEX), null, List.of()),
                        "append",
                        0),
                new Part(
                        new Workload(
                                "S2. extend, batches of " + data.batch, bulk, bulk.get(DEFAULT_INDEX), null, List.of()),
                        "long",
                        Long.BYTES),
                new Part(
                        new Workload(
                                "S3. getLong, random, readCacheBytes(0)",
                                gets,
                                gets.get(DEFAULT_INDEX),
                                null,
                                List.of()),
                        "get",
                        0),
                new Part(
                        new Workload("S4. getLongs, sequential", reads, reads.get(DEFAULT_INDEX), null, List.of()),
                        "long",
                        Long.BYTES));
    }

    /**
     * @return how many longs to append first so that the tail chunk is a full-size chunk, half
     *     full: the growth chunks, two full chunks, half of a third
     */
    static int prefill(ChunkSizes sizes) {
        long bytes = 0;
        for (long capacity = sizes.minBytes(); capacity < sizes.maxBytes(); capacity *= 2) {
            bytes += capacity;
        }
        bytes += 2L * sizes.maxBytes() + sizes.maxBytes() / 2;
        return (int) (bytes / Long.BYTES);
    }

    private static Case appends(TempFiles tmp, Subject subject, int n) {
        int prefill = prefill(subject.sizes());
        return new Case(subject.label()) {
            private Path dir;
            private Vault vault;
            private LongColumn column;

            @Override
            void setUp(int round) throws Exception {
                dir = tmp.newDir("study-append");
                vault = Vault.open(dir.resolve("vault.db"));
                column = vault.columns().createColumn("tail", ColumnType.I64, subject.sizes());
                long[] first = new long[prefill];
                for (int i = 0; i < prefill; i++) {
                    first[i] = i;
                }
                column.extend(first);
            }

            @Override
            long run() {
                for (int i = 0; i < n; i++) {
                    column.append(prefill + i);
                }
                return n;
            }

            @Override
            void tearDown() {
                try {
                    long last = prefill + n - 1;
                    if (column.length() != prefill + n || column.getLong(last) != last) {
                        throw new IllegalStateException(side() + ": appends read back wrong");
                    }
                } finally {
                    vault.close();
                    TempFiles.delete(dir);
                }
            }
        };
    }

    private static Case extend(TempFiles tmp, Subject subject, ColumnData data) {
        return new Case(subject.label()) {
            private Path dir;
            private Vault vault;
            private LongColumn column;

            @Override
            void setUp(int round) throws Exception {
                dir = tmp.newDir("study-extend");
                vault = Vault.open(dir.resolve("vault.db"));
                column = vault.columns().createColumn(ColumnCases.LONGS, ColumnType.I64, subject.sizes());
            }

            @Override
            long run() {
                ColumnCases.extendAll(column, data);
                return data.count;
            }

            @Override
            void tearDown() {
                try {
                    ColumnCases.checkLongs(side(), column, data);
                } finally {
                    vault.close();
                    TempFiles.delete(dir);
                }
            }
        };
    }

    private static Case coldGets(Subject subject, ColumnData data, int gets) {
        return new Case(subject.label()) {
            private Vault vault;
            private LongColumn column;
            private long[] positions;
            private long expected;

            @Override
            void prepare() {
                vault = Vault.builder(subject.file()).readCacheBytes(0).open();
                column = vault.column(ColumnCases.LONGS, ColumnType.I64);
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
                    sum += column.getLong(p);
                }
                RawColumns.checkSum(side(), sum, expected);
                sink += sum;
                return gets;
            }

            @Override
            void dispose() {
                vault.close();
            }
        };
    }

    private static Case sequentialRead(Subject subject, ColumnData data, int block) {
        return new Case(subject.label()) {
            private Vault vault;
            private LongColumn column;

            @Override
            void setUp(int round) {
                vault = Vault.open(subject.file());
                column = vault.column(ColumnCases.LONGS, ColumnType.I64);
            }

            @Override
            long run() {
                long sum = ColumnCases.readBlocks(column, block);
                RawColumns.checkSum(side(), sum, data.total);
                sink += sum;
                return data.count;
            }

            @Override
            void tearDown() {
                vault.close();
            }
        };
    }
}
