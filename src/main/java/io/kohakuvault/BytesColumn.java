package io.kohakuvault;

import io.kohakuvault.internal.column.ColumnStore;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A column of byte arrays: of any length ({@link ColumnType#BYTES}, {@code bytes}), or of exactly
 * N bytes ({@link ColumnType#bytes(int)}, {@code bytes:N}), where a shorter value is padded with
 * zeros and a longer one refused. Values are copied in and out: changing an array afterwards
 * changes nothing stored. Arrays compare by content: {@code equals}, {@code contains} and
 * {@code indexOf} look at the bytes, not the array's identity.
 *
 * <pre>{@code
 * BytesColumn hashes = vault.column("hashes", ColumnType.bytes(32));
 * hashes.append(sha256);
 * byte[] first = hashes.getBytes(0);
 * }</pre>
 *
 * <p>Variable-size elements are stored one after another in heap chunks, with a 12-byte index
 * entry per element, so element i is found without a scan. Replacing one with a longer value
 * writes the new value at the heap's end; the old bytes stay until the column is cleared or
 * deleted. Thread-safe. See {@link Column} for what each operation costs.
 */
public final class BytesColumn extends AbstractColumn<byte[]> {

    BytesColumn(ColumnStore store, ColumnType<BytesColumn> type) {
        super(store, type);
    }

    /**
     * @param index the element, from 0
     * @return a copy of its bytes
     * @throws IndexOutOfBoundsException when there is no such element
     */
    public byte[] getBytes(long index) {
        return store.read(index);
    }

    /**
     * Replaces one element.
     *
     * @param index the element's index
     * @param value the new value
     * @throws IndexOutOfBoundsException when there is no such element
     * @throws InvalidArgumentException when the value is null or longer than a fixed size
     */
    public void setBytes(long index, byte[] value) {
        store.set(index, encode(value));
    }

    /**
     * @param from the first element, inclusive
     * @param to the end, exclusive
     * @return copies of the elements {@code [from, to)}
     * @throws IndexOutOfBoundsException unless {@code 0 <= from <= to <= length()}
     */
    public List<byte[]> getRange(long from, long to) {
        return store.readRange(from, to);
    }

    /** @return bytes per element, or -1 when elements have any length */
    public int fixedSize() {
        return type().fixedSize();
    }

    @Override
    byte[] encode(byte @Nullable [] value) {
        if (value == null) {
            throw nullValue();
        }
        int size = fixedSize();
        if (size < 0) {
            return value.clone();
        }
        if (value.length > size) {
            throw new InvalidArgumentException(store.describe() + " holds " + size + "-byte elements (" + type().dtype()
                    + "), but was given " + value.length + " bytes");
        }
        return Arrays.copyOf(value, size);
    }

    @Override
    byte[] decode(byte[] bytes) {
        return bytes;
    }

    @Override
    boolean sameElement(@Nullable Object value, byte @Nullable [] stored) {
        return value instanceof byte[] bytes && stored != null && Arrays.equals(bytes, stored);
    }

    @Override
    int elementHash(byte @Nullable [] stored) {
        return Arrays.hashCode(stored);
    }
}
