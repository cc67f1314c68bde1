package io.kohakuvault.internal.kv;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;

/**
 * An iterator that reads a store in key order one page at a time, so memory stays bounded
 * whatever the store's size. Each page is its own short read that starts after the last key of
 * the page before: the iteration sees writes made meanwhile past that point, like the iterators
 * of {@code java.util.concurrent} maps, and never fails because of them.
 *
 * @param <T> what each step yields
 */
abstract class Pages<T> implements Iterator<T> {
    /** Most rows a page reads. */
    static final int PAGE_ROWS = 512;
    /** A page stops early once it holds this many bytes. */
    static final long PAGE_BYTES = 4L << 20;

    private final ArrayDeque<T> page = new ArrayDeque<>();
    private byte @Nullable [] lastKey;
    private boolean exhausted;

    /**
     * Reads the next page into {@code sink}.
     *
     * @param after the last key already returned, or null for the first page
     * @param sink where the page's items go, in key order
     * @return the last key of the page, or null when the page was empty
     */
    abstract byte @Nullable [] readPage(byte @Nullable [] after, ArrayDeque<T> sink);

    @Override
    public boolean hasNext() {
        if (page.isEmpty() && !exhausted) {
            byte[] last = readPage(lastKey, page);
            if (last == null || page.isEmpty()) {
                exhausted = true;
            } else {
                lastKey = last;
            }
        }
        return !page.isEmpty();
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return page.removeFirst();
    }

    /** Called by a page that found a key past its range: no further page is read. */
    void stop() {
        exhausted = true;
    }
}
