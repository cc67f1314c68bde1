package io.kohakuvault;

import java.util.List;
import java.util.RandomAccess;

/**
 * A typed, list-like sequence stored in a vault file: a full {@link List} (boxed elements) with
 * {@link RandomAccess}, plus {@code long} lengths and batch appends. Each column class adds
 * primitive methods that never box (for example {@link LongColumn#getLong(long)}). Thread-safe.
 *
 * <p>Costs: {@code get} is a cache lookup when its chunk was read recently, otherwise one SQLite
 * read of at most two chunk rows' parts; an append rewrites the column's last chunk (or, with the
 * write-back cache on, waits in memory); {@code set} rewrites one chunk; {@code add(i, x)} and
 * {@code remove(i)} in the middle rewrite every chunk from {@code i} to the end. Each write is
 * atomic and, with the write-back cache off, durable when it returns.
 *
 * <p>Indices past {@link Integer#MAX_VALUE} are reachable through the {@code long} methods;
 * {@link #size()} then reports {@code Integer.MAX_VALUE}.
 *
 * @param <T> the boxed element type
 */
public interface Column<T> extends List<T>, RandomAccess {
    /** @return the column's name */
    String name();

    /** @return its element type */
    ColumnType<?> type();

    /**
     * @return its number of elements, as a {@code long}
     * @throws NotFoundException when the column was deleted
     * @throws VaultIoException when the vault is closed
     */
    long length();

    /**
     * Appends one element. Amortised O(1).
     *
     * @param value the element
     * @throws InvalidArgumentException when it is null or of the wrong size for this column
     */
    void append(T value);

    /**
     * Appends every element of {@code values}, atomically: all of them or none.
     *
     * @param values the elements
     * @throws InvalidArgumentException when one is null or of the wrong size; nothing is appended
     */
    void extend(Iterable<? extends T> values);
}
