package io.kohakuvault.bench;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The keys and values every side works on: the same sets, in the same orders, for all of them.
 * Keys are 16-character strings made from random 64-bit numbers, so they arrive in random (not
 * sorted) order; values are 100 random bytes, taken from a pool of 1024.
 */
final class BenchData {
    private static final int VALUE_POOL = 1024;

    /** Keys in random order; the first {@code keys} are the stored set of the get workload. */
    final String[] keys;

    private final byte[][] values;
    private int permutationRound = -1;
    private int[] permutation = new int[0];

    BenchData(int keyCount, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        keys = new String[keyCount];
        Set<String> seen = new HashSet<>(keyCount * 2);
        for (int i = 0; i < keyCount; ) {
            String key = String.format("%016x", random.nextLong());
            if (seen.add(key)) {
                keys[i++] = key;
            }
        }
        values = new byte[VALUE_POOL][BenchConfig.VALUE_SIZE];
        for (byte[] value : values) {
            for (int j = 0; j < value.length; j++) {
                value[j] = (byte) random.nextInt(256);
            }
        }
    }

    /** @return the value stored under {@code keys[i]} */
    byte[] value(int i) {
        return values[i & (VALUE_POOL - 1)];
    }

    /** @return the UTF-8 bytes of a key, as every SQLite-backed side stores it */
    static byte[] utf8(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A random order of the indices {@code 0..n-1} for one round: the same for every side of that
     * round (computed once, outside any timing), different between rounds.
     */
    synchronized int[] permutation(int round, int n) {
        if (round != permutationRound || permutation.length != n) {
            SplittableRandom random = new SplittableRandom(1_000_003L * (round + 1));
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
