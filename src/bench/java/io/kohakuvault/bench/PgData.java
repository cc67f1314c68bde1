package io.kohakuvault.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The data of the PostgreSQL benchmark: the shapes benchmark's key-value data ({@link ShapeData}:
 * random 12-byte keys for the puts, 12-character String keys for the fixture that the gets and
 * {@code getAll} read, 100-byte values, 1 MiB values), a few larger values that the vault stores
 * in chunks, and the column's longs ({@link ColumnData}). Every side gets the same data in the
 * same orders.
 */
final class PgData {
    final ShapeData shapes;
    final byte[][] hugeKeys;
    final byte[][] hugeValues;
    final int hugeSize;
    /** The vault's chunk size at the defaults: raw cuts the chunked values the same way. */
    final int chunkSize = 1 << 20;

    final ColumnData longs;

    PgData(PostgresBenchmark.Config cfg) {
        shapes = new ShapeData(cfg.keys(), cfg.large(), 42);
        hugeSize = cfg.hugeMiB() << 20;
        hugeKeys = new byte[cfg.huge()][];
        hugeValues = new byte[cfg.huge()][];
        SplittableRandom random = new SplittableRandom(43);
        for (int i = 0; i < hugeKeys.length; i++) {
            hugeKeys[i] = ("huge-" + i).getBytes(StandardCharsets.UTF_8);
            hugeValues[i] = new byte[hugeSize];
            random.nextBytes(hugeValues[i]);
        }
        longs = new ColumnData(cfg.longs(), 1_000_000, 42);
    }

    /** @return the first {@code n} of the round's random order of the fixture's keys */
    int[] order(int round, int n) {
        return Arrays.copyOf(shapes.permutation(round, shapes.keys.length), n);
    }
}
