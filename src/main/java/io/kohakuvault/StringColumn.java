package io.kohakuvault;

import io.kohakuvault.internal.column.ColumnStore;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A column of strings of any length ({@code str}), stored as UTF-8 the way
 * {@link ColumnType#BYTES} stores byte arrays. A string that is not valid UTF-16 (an unpaired
 * surrogate) is refused rather than stored with a replacement character.
 *
 * <pre>{@code
 * StringColumn log = vault.column("log", ColumnType.STRING);
 * log.append("started");
 * String first = log.getString(0);
 * }</pre>
 *
 * <p>Thread-safe. See {@link Column} for what each operation costs.
 */
public final class StringColumn extends AbstractColumn<String> {

    StringColumn(ColumnStore store, ColumnType<StringColumn> type) {
        super(store, type);
    }

    /**
     * @param index the element, from 0
     * @return its value
     * @throws IndexOutOfBoundsException when there is no such element
     */
    public String getString(long index) {
        return decode(store.read(index));
    }

    /**
     * Replaces one element.
     *
     * @param index the element's index
     * @param value the new value
     * @throws IndexOutOfBoundsException when there is no such element
     * @throws InvalidArgumentException when the value is null or not valid UTF-16
     */
    public void setString(long index, String value) {
        store.set(index, encode(value));
    }

    /**
     * @param from the first element, inclusive
     * @param to the end, exclusive
     * @return the elements {@code [from, to)}
     * @throws IndexOutOfBoundsException unless {@code 0 <= from <= to <= length()}
     */
    public List<String> getRange(long from, long to) {
        List<byte[]> raw = store.readRange(from, to);
        List<String> values = new ArrayList<>(raw.size());
        for (byte[] bytes : raw) {
            values.add(decode(bytes));
        }
        return values;
    }

    @Override
    byte[] encode(@Nullable String value) {
        if (value == null) {
            throw nullValue();
        }
        try {
            ByteBuffer bytes = StandardCharsets.UTF_8
                    .newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(value));
            byte[] encoded = new byte[bytes.remaining()];
            bytes.get(encoded);
            return encoded;
        } catch (CharacterCodingException e) {
            throw new InvalidArgumentException(
                    store.describe() + " takes valid UTF-16 strings, but was given one with an"
                            + " unpaired surrogate: " + e.getMessage());
        }
    }

    @Override
    String decode(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
