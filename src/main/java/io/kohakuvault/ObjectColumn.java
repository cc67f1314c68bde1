package io.kohakuvault;

import io.kohakuvault.internal.column.ColumnStore;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A column of objects stored as JSON ({@code json}) or CBOR ({@code cbor}) through a Jackson 3
 * {@link Codec}: records, beans, maps, lists. Open one with {@link ColumnType#json(Class)} or
 * {@link ColumnType#cbor(Class)}; {@code ColumnType.parse("json")} (and what
 * {@link ColumnVault#column(String)} opens) is an {@code ObjectColumn<Object>} whose elements are
 * maps, lists, strings, numbers, booleans and null.
 *
 * <pre>{@code
 * ObjectColumn<Event> events = vault.column("events", ColumnType.json(Event.class));
 * events.append(new Event(now, "start"));
 * Event first = events.get(0);
 * }</pre>
 *
 * <p>Each element is stored encoded, as a variable-size element exactly like a {@code bytes}
 * column's (12-byte index entry, bytes in heap chunks; see docs/FORMAT.md), so every cost of a
 * {@link BytesColumn} holds, plus the codec's work per element: an element read decodes it, a
 * write encodes it. Elements are copies: changing a decoded object changes nothing stored.
 *
 * <p>Null elements are refused on write. An element stored as JSON or CBOR {@code null} by another
 * program decodes to null. Bytes the codec cannot decode throw {@link KohakuVaultException} naming
 * the column and the codec. Thread-safe.
 *
 * @param <T> the elements' type
 */
public final class ObjectColumn<T> extends AbstractColumn<T> {
    private final Codec<T> codec;

    ObjectColumn(ColumnStore store, ColumnType<ObjectColumn<T>> type, Codec<T> codec) {
        super(store, type);
        this.codec = codec;
    }

    /** @return the codec that turns elements into bytes */
    public Codec<T> codec() {
        return codec;
    }

    /**
     * @param index the element, from 0
     * @return it, decoded
     * @throws IndexOutOfBoundsException when there is no such element
     * @throws KohakuVaultException when its bytes cannot be decoded
     */
    public T getObject(long index) {
        return decode(store.read(index));
    }

    /**
     * Replaces one element.
     *
     * @param index the element, from 0
     * @param value the new value
     * @throws IndexOutOfBoundsException when there is no such element
     * @throws InvalidArgumentException when the value is null or cannot be encoded; nothing changes
     */
    public void setObject(long index, T value) {
        store.set(index, encode(value));
    }

    /**
     * @param from the first element, inclusive
     * @param to the end, exclusive
     * @return the elements {@code [from, to)}, decoded
     * @throws IndexOutOfBoundsException unless {@code 0 <= from <= to <= length()}
     */
    public List<T> getRange(long from, long to) {
        List<byte[]> raw = store.readRange(from, to);
        List<T> values = new ArrayList<>(raw.size());
        for (byte[] bytes : raw) {
            values.add(decode(bytes));
        }
        return values;
    }

    @Override
    byte[] encode(@Nullable T value) {
        if (value == null) {
            throw nullValue();
        }
        try {
            return codec.encode(value);
        } catch (RuntimeException e) {
            throw new InvalidArgumentException(
                    store.describe() + " (" + codec.name() + ") cannot encode a "
                            + value.getClass().getName() + ": " + e.getMessage(),
                    e);
        }
    }

    @Override
    T decode(byte[] bytes) {
        try {
            return codec.decode(bytes);
        } catch (RuntimeException e) {
            throw new KohakuVaultException(
                    "an element of " + store.describe() + " cannot be decoded by codec " + codec.name() + ": "
                            + e.getMessage(),
                    e);
        }
    }
}
