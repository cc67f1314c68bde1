package io.kohakuvault.bench;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The key-value data of the shapes benchmark ({@link ShapesBenchmark}), as DESIGN.md's harness
 * used it: {@code count} random 12-byte {@code byte[]} keys, in the random order they were drawn
 * (so inserts arrive unsorted), the same number of 12-character ASCII {@code String} keys (12 UTF-8
 * bytes, for the vault's {@code String} rows and {@code getAll}), 100-byte random values from a
 * pool of 1024, and a few 1 MiB values. Every side gets the same keys in the same orders.
 */
final class ShapeData {
    static final int KEY_BYTES = 12;
    static final int VALUE_SIZE = 100;
    static final int LARGE_VALUE_SIZE = 1 << 20;
    private static final int VALUE_POOL = 1024;
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();

    final byte[][] keys;
    final String[] stringKeys;
    /** The UTF-8 bytes of {@link #stringKeys}, for the sides that take {@code byte[]} keys only. */
    final byte[][] stringKeyBytes;

    private final byte[][] values;
    final byte[][] largeKeys;
    final byte[][] largeValues;
    private int permutationRound = -1;
    private int[] permutation = new int[0];

    ShapeData(int count, int largeCount, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        keys = new byte[count][];
        Set<String> seen = new HashSet<>(count * 2);
        for (int i = 0; i < count; ) {
            byte[] k = new byte[KEY_BYTES];
            random.nextBytes(k);
            if (seen.add(new String(k, StandardCharsets.ISO_8859_1))) {
                keys[i++] = k;
            }
        }
        stringKeys = new String[count];
        stringKeyBytes = new byte[count][];
        seen.clear();
        for (int i = 0; i < count; ) {
            char[] c = new char[KEY_BYTES];
            for (int j = 0; j < c.length; j++) {
                c[j] = ALPHABET[random.nextInt(ALPHABET.length)];
            }
            String s = new String(c);
            if (seen.add(s)) {
                stringKeyBytes[i] = s.getBytes(StandardCharsets.UTF_8);
                stringKeys[i++] = s;
            }
        }
        values = new byte[VALUE_POOL][VALUE_SIZE];
        for (byte[] v : values) {
            random.nextBytes(v);
        }
        largeKeys = new byte[largeCount][];
        largeValues = new byte[largeCount][];
        for (int i = 0; i < largeCount; i++) {
            largeKeys[i] = ("large-" + i).getBytes(StandardCharsets.UTF_8);
            largeValues[i] = new byte[LARGE_VALUE_SIZE];
            random.nextBytes(largeValues[i]);
        }
    }

    /** @return the 100-byte value stored under key number {@code i} */
    byte[] value(int i) {
        return values[i & (VALUE_POOL - 1)];
    }

    /** @return the large keys as Strings (their bytes are ASCII) */
    String largeStringKey(int i) {
        return new String(largeKeys[i], StandardCharsets.UTF_8);
    }

    /**
     * A random order of {@code 0..n-1} for one round, the same for every side of that round
     * (computed outside any timing), another one each round, and never the insertion order.
     */
    synchronized int[] permutation(int round, int n) {
        if (round != permutationRound || permutation.length != n) {
            SplittableRandom random = new SplittableRandom(2_000_003L * (round + 1));
            int[] p = new int[n];
            for (int i = 0; i < n; i++) {
                p[i] = i;
            }
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
            permutation = p;
            permutationRound = round;
        }
        return permutation;
    }
}
