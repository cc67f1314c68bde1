package io.kohakuvault.internal.column;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Where a variable-size element's bytes lie in its column's heap: an index entry of
 * {@link #SIZE} bytes, little-endian: heap chunk number (i32), offset in that chunk (i32),
 * length (i32).
 *
 * @param seq the heap chunk
 * @param offset the first byte in that chunk
 * @param length how many bytes
 */
record HeapRef(int seq, int offset, int length) {
    /** Bytes of one index entry. */
    static final int SIZE = 12;

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** @return the entry at {@code at} in {@code entries} */
    static HeapRef read(byte[] entries, int at) {
        return new HeapRef((int) INT.get(entries, at), (int) INT.get(entries, at + 4), (int) INT.get(entries, at + 8));
    }

    /** Writes this entry at {@code at} in {@code entries}. */
    void write(byte[] entries, int at) {
        INT.set(entries, at, seq);
        INT.set(entries, at + 4, offset);
        INT.set(entries, at + 8, length);
    }

    /** @return this entry's {@link #SIZE} bytes */
    byte[] bytes() {
        byte[] entry = new byte[SIZE];
        write(entry, 0);
        return entry;
    }
}
