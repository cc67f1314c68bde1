package io.kohakuvault.internal.kv;

import java.util.Arrays;
import java.util.Comparator;
import java.util.function.Function;

/**
 * Sorts a batch of writes into the order SQLite keeps their keys (unsigned bytes), fast.
 *
 * <p>A comparison sort of objects scattered over the heap spends most of its time on cache misses.
 * So each key is first reduced to a number: the 44 bits that follow the prefix all keys of the
 * batch share, packed with the key's position into one {@code long}, and the array of those is
 * sorted as primitives. Only keys whose numbers tie are then compared in full. The sort is stable:
 * writes of the same key keep their arrival order.
 */
final class KeyOrder {
    private static final int INDEX_BITS = 20;
    private static final int MAX_PACKED = 1 << INDEX_BITS;

    private KeyOrder() {}

    /**
     * Sorts {@code items} by key, stably.
     *
     * @param <T> the item type
     * @param items the items, in arrival order; sorted in place
     * @param key each item's key
     */
    static <T> void sort(T[] items, Function<T, byte[]> key) {
        Comparator<T> full = (a, b) -> Arrays.compareUnsigned(key.apply(a), key.apply(b));
        int n = items.length;
        if (n < 2) {
            return;
        }
        if (n >= MAX_PACKED) {
            Arrays.sort(items, full);
            return;
        }
        int shared = sharedPrefix(items, key);
        long[] packed = new long[n];
        for (int i = 0; i < n; i++) {
            long bits = bytesAt(key.apply(items[i]), shared) >>> INDEX_BITS;
            // Flipping the sign bit makes the signed sort order the unsigned one.
            packed[i] = ((bits << INDEX_BITS) | i) ^ Long.MIN_VALUE;
        }
        Arrays.sort(packed);
        T[] original = items.clone();
        for (int i = 0; i < n; i++) {
            items[i] = original[(int) (packed[i] & (MAX_PACKED - 1))];
        }
        // Runs whose 44 bits tie still need a full comparison (stable, so arrival order stays).
        int start = 0;
        for (int i = 1; i <= n; i++) {
            if (i == n || (packed[i] >>> INDEX_BITS) != (packed[start] >>> INDEX_BITS)) {
                if (i - start > 1) {
                    Arrays.sort(items, start, i, full);
                }
                start = i;
            }
        }
    }

    private static <T> int sharedPrefix(T[] items, Function<T, byte[]> key) {
        byte[] first = key.apply(items[0]);
        int shared = first.length;
        for (int i = 1; i < items.length && shared > 0; i++) {
            byte[] k = key.apply(items[i]);
            int mismatch = Arrays.mismatch(first, 0, shared, k, 0, Math.min(shared, k.length));
            if (mismatch >= 0) {
                shared = mismatch;
            } else if (k.length < shared) {
                shared = k.length;
            }
        }
        return shared;
    }

    /** @return the 8 bytes of {@code key} from {@code offset}, big-endian, zero past its end */
    private static long bytesAt(byte[] key, int offset) {
        long bits = 0;
        for (int i = offset; i < offset + 8; i++) {
            bits = (bits << 8) | (i < key.length ? key[i] & 0xff : 0);
        }
        return bits;
    }
}
