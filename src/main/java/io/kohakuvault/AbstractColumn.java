package io.kohakuvault;

import io.kohakuvault.internal.column.ColumnStore;
import io.kohakuvault.internal.column.Elements;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What every column class shares: the {@link List} view over a {@link ColumnStore}, with each
 * class supplying how one element becomes bytes and back.
 *
 * @param <T> the boxed element type
 */
abstract class AbstractColumn<T> extends AbstractList<T> implements Column<T> {
    /** Elements shown by {@link #toString()}. */
    private static final int SHOWN = 10;

    final ColumnStore store;
    private final ColumnType<?> type;

    AbstractColumn(ColumnStore store, ColumnType<?> type) {
        this.store = store;
        this.type = type;
    }

    /**
     * @param value an element from the user
     * @return its bytes: a fresh array, {@link ColumnType#fixedSize()} long for a fixed-size type
     * @throws InvalidArgumentException when it is null or does not fit the column
     */
    abstract byte[] encode(@Nullable T value);

    /** @return the element stored as {@code bytes} */
    abstract T decode(byte[] bytes);

    @Override
    public final String name() {
        return store.name();
    }

    @Override
    public final ColumnType<?> type() {
        return type;
    }

    @Override
    public final long length() {
        return store.length();
    }

    /** @return the length, or {@link Integer#MAX_VALUE} when it is larger */
    @Override
    public final int size() {
        return (int) Math.min(Integer.MAX_VALUE, store.length());
    }

    /**
     * @return whether the stored element {@code stored} equals {@code value}; arrays compare by
     *     content in the array columns
     */
    boolean sameElement(@Nullable Object value, @Nullable T stored) {
        return Objects.equals(value, stored);
    }

    /** @return the hash of a stored element, consistent with {@link #sameElement} */
    int elementHash(@Nullable T stored) {
        return Objects.hashCode(stored);
    }

    /** @return the first element equal to {@code value} (arrays by content), or -1; a scan of the column */
    @Override
    public int indexOf(@Nullable Object value) {
        int i = 0;
        for (T stored : this) {
            if (sameElement(value, stored)) {
                return i;
            }
            i++;
        }
        return -1;
    }

    /** @return the last element equal to {@code value} (arrays by content), or -1; a scan of the column */
    @Override
    public int lastIndexOf(@Nullable Object value) {
        for (int i = size() - 1; i >= 0; i--) {
            if (sameElement(value, get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** @return whether an element equals {@code value} (arrays by content); a scan of the column */
    @Override
    public boolean contains(@Nullable Object value) {
        return indexOf(value) >= 0;
    }

    /**
     * @return whether {@code other} is a list of equal elements (arrays by content) in the same
     *     order; a scan of the column
     */
    @Override
    public boolean equals(@Nullable Object other) {
        if (other == this) {
            return true;
        }
        if (!(other instanceof List<?> list) || list.size() != size()) {
            return false;
        }
        Iterator<?> theirs = list.iterator();
        for (T stored : this) {
            if (!theirs.hasNext() || !sameElement(theirs.next(), stored)) {
                return false;
            }
        }
        return !theirs.hasNext();
    }

    /** @return a hash of the elements as {@link List#hashCode()} defines it (arrays by content) */
    @Override
    public int hashCode() {
        int hash = 1;
        for (T stored : this) {
            hash = 31 * hash + elementHash(stored);
        }
        return hash;
    }

    /**
     * Iterates the elements present when it starts, reading them a block at a time (up to 1 MiB or
     * 65,536 fixed-size elements, or 1,024 of variable size, per read) rather than one by one: a
     * scan, whatever the column's size. Its {@code remove()} removes the element it last returned.
     *
     * @return the iterator
     */
    @Override
    public Iterator<T> iterator() {
        return new BlockIterator();
    }

    /**
     * @return the elements {@code [from, to)}, decoded, for the iterator; the primitive columns
     *     read them as their primitive arrays
     */
    List<T> readBlock(long from, long to) {
        List<byte[]> raw = store.readRange(from, to);
        List<T> decoded = new ArrayList<>(raw.size());
        for (byte[] bytes : raw) {
            decoded.add(decode(bytes));
        }
        return decoded;
    }

    /** Reads ahead a block of decoded elements; see {@link #iterator()}. */
    private final class BlockIterator implements Iterator<T> {
        private final int blockSize =
                type.fixedSize() > 0 ? Math.max(1, Math.min(1 << 16, (1 << 20) / type.fixedSize())) : 1 << 10;
        private long length = store.length();
        /** The index of the element {@link #next()} returns next. */
        private long next;

        private long blockStart;
        private List<T> block = List.of();
        private long lastReturned = -1;

        @Override
        public boolean hasNext() {
            return next < length;
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException(store.describe() + " has no element " + next);
            }
            if (next < blockStart || next >= blockStart + block.size()) {
                blockStart = next;
                block = readBlock(next, Math.min(length, next + blockSize));
            }
            lastReturned = next;
            return block.get((int) (next++ - blockStart));
        }

        @Override
        public void remove() {
            if (lastReturned < 0) {
                throw new IllegalStateException("next() was not called since the last remove()");
            }
            store.remove(lastReturned);
            next = lastReturned;
            lastReturned = -1;
            length--;
            block = List.of(); // the elements after it moved: read them again
        }
    }

    /**
     * @throws IndexOutOfBoundsException when there is no such element
     */
    @Override
    public final T get(int index) {
        return decode(store.read(index));
    }

    /**
     * Replaces an element; rewrites its chunk.
     *
     * @return the element replaced
     * @throws IndexOutOfBoundsException when there is no such element
     * @throws InvalidArgumentException when the value is null or does not fit; nothing changes
     */
    @Override
    public final T set(int index, T value) {
        return decode(store.set(index, encode(value)));
    }

    /** Appends {@code value}, as {@link #append}; always returns true. */
    @Override
    public final boolean add(T value) {
        append(value);
        return true;
    }

    /**
     * Inserts an element, shifting the later ones: rewrites every chunk from {@code index} to the end.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= index <= size()}
     */
    @Override
    public final void add(int index, T value) {
        store.insert(index, encode(value));
    }

    /**
     * Removes an element, shifting the later ones: rewrites every chunk from {@code index} to the end.
     *
     * @return the element removed
     * @throws IndexOutOfBoundsException when there is no such element
     */
    @Override
    public final T remove(int index) {
        return decode(store.remove(index));
    }

    /** Removes every element and frees the column's chunks; the column itself stays. */
    @Override
    public final void clear() {
        store.clear();
    }

    @Override
    public final void append(T value) {
        store.append(pack(List.of(encode(value))));
    }

    /** Appends every element, all in one transaction; see {@link Column#extend}. */
    @Override
    public final boolean addAll(java.util.Collection<? extends T> values) {
        extend(values);
        return !values.isEmpty();
    }

    @Override
    public final void extend(Iterable<? extends T> values) {
        if (values == null) {
            throw new InvalidArgumentException(store.describe() + ": values to extend it with must not be null");
        }
        List<byte[]> encoded = new ArrayList<>();
        for (T value : values) {
            encoded.add(encode(value));
        }
        store.append(pack(encoded));
    }

    /** @return {@code values}, each owned by the result, packed as the store takes them */
    final Elements pack(List<byte[]> values) {
        if (!type.isFixedSize()) {
            return Elements.variable(values);
        }
        int size = type.fixedSize();
        byte[] data = new byte[Math.multiplyExact(values.size(), size)];
        for (int i = 0; i < values.size(); i++) {
            System.arraycopy(values.get(i), 0, data, i * size, size);
        }
        return Elements.fixed(size, data);
    }

    /** @return the {@link InvalidArgumentException} for a null element */
    final InvalidArgumentException nullValue() {
        return new InvalidArgumentException(store.describe() + " (" + type.dtype() + ") does not take null elements");
    }

    /** Checks {@code 0 <= from <= to <= length}. */
    final void checkRange(long from, long to) {
        store.checkRange(from, to, store.length());
    }

    /** @return the name, dtype, length and first elements, as {@code temps (f64, 3): [1.0, 2.0, 3.0]} */
    @Override
    public String toString() {
        long length = store.length();
        StringBuilder text = new StringBuilder(name())
                .append(" (")
                .append(type.dtype())
                .append(", ")
                .append(length)
                .append("): [");
        for (int i = 0; i < Math.min(length, SHOWN); i++) {
            text.append(i == 0 ? "" : ", ").append(get(i));
        }
        return text.append(length > SHOWN ? ", ...]" : "]").toString();
    }
}
