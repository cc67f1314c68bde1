package io.kohakuvault.internal.kv;

import java.util.Arrays;

/**
 * A key's bytes as a map key: equal by content, ordered as SQLite orders BLOBs (unsigned bytes).
 * The array is never changed after construction.
 */
final class ByteKey implements Comparable<ByteKey> {
    final byte[] bytes;
    private final int hash;

    ByteKey(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ByteKey k && hash == k.hash && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(ByteKey other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }
}
