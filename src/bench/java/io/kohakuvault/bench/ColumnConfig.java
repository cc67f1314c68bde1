package io.kohakuvault.bench;

import java.nio.file.Path;

/**
 * The column benchmark's sizes, read from system properties (the {@code bench} Maven profile
 * passes them; override on the Maven command line, e.g. {@code ./mvnw -q -Pbench verify
 * -Dbench.only=columns -Dbench.columnLongs=5000000}).
 *
 * @param longs longs in the column written by workload 1 and read by workloads 2 to 4
 * @param batch longs per {@code extend} call (one transaction each) in workload 1
 * @param block longs per {@code getLongs} call of the sequential read
 * @param gets random {@code getLong} calls per timed sample (cold and warm)
 * @param slowGets random reads per timed sample of the rows where most reads run a SQL query (the raw
 *     point reads and slices, the vault's cold reads with the default read cache): context only
 * @param slices random {@code getLongs} slices per timed sample
 * @param sliceLength longs per slice
 * @param appends 100-byte elements appended per timed sample of the {@code BytesColumn} workload
 * @param readCacheMiB the warm vault's {@code readCacheBytes}, in MiB: enough to hold the whole column
 * @param warmup untimed rounds run first
 * @param rounds timed rounds; the table reports their median
 * @param study whether to run the chunk-size study
 * @param studyRounds timed rounds of the chunk-size study (after {@code warmup} untimed ones)
 * @param studyLongs longs in each column of the study
 * @param studyAppends single {@code append(long)} calls per timed sample of the study
 * @param studyGets cold random {@code getLong} calls per timed sample of the study
 * @param dir folder for the temporary files (a fresh sub-folder per run, deleted at the end)
 */
record ColumnConfig(
        int longs,
        int batch,
        int block,
        int gets,
        int slowGets,
        int slices,
        int sliceLength,
        int appends,
        int readCacheMiB,
        int warmup,
        int rounds,
        boolean study,
        int studyRounds,
        int studyLongs,
        int studyAppends,
        int studyGets,
        Path dir) {
    /** Size of every element of the {@code BytesColumn} workload, in bytes. */
    static final int ELEMENT_SIZE = 100;

    static ColumnConfig fromSystemProperties() {
        return new ColumnConfig(
                intProperty("bench.columnLongs", 20_000_000),
                intProperty("bench.columnBatch", 1_000_000),
                intProperty("bench.columnBlock", 1 << 20),
                intProperty("bench.columnGets", 1_000_000),
                intProperty("bench.columnSlowGets", 10_000),
                intProperty("bench.columnSlices", 1_000_000),
                intProperty("bench.columnSliceLength", 100),
                intProperty("bench.columnAppends", 1_000_000),
                intProperty("bench.columnReadCacheMiB", 256),
                intProperty("bench.columnWarmup", 1),
                intProperty("bench.columnRounds", 5),
                Boolean.parseBoolean(
                        System.getProperty("bench.chunkStudy", "true").trim()),
                intProperty("bench.chunkStudyRounds", 3),
                intProperty("bench.chunkStudyLongs", 4_000_000),
                intProperty("bench.chunkStudyAppends", 300),
                intProperty("bench.chunkStudyGets", 10_000),
                Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir"))));
    }

    private static int intProperty(String name, int fallback) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        int n = Integer.parseInt(value.trim().replace("_", ""));
        if (n < 0 || (n == 0 && !name.equals("bench.columnWarmup"))) {
            throw new IllegalArgumentException(name + " must be positive, but was " + value);
        }
        return n;
    }

    @Override
    public String toString() {
        return "longs=" + longs + " batch=" + batch + " block=" + block + " gets=" + gets + " slowGets=" + slowGets
                + " slices=" + slices + "x" + sliceLength + " appends=" + appends + "x" + ELEMENT_SIZE + "B"
                + " readCache=" + readCacheMiB + "MiB warmup=" + warmup + " rounds=" + rounds + " chunkStudy=" + study
                + (study
                        ? " (rounds=" + studyRounds + " longs=" + studyLongs + " appends=" + studyAppends + " gets="
                                + studyGets + ")"
                        : "");
    }
}
