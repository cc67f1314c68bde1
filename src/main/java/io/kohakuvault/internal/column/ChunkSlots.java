package io.kohakuvault.internal.column;

import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * A direct index, by chunk number, of the element chunks of one column in one epoch that the
 * {@link ChunkCache} holds: the hot path of a point read finds its chunk with one array read
 * instead of a hash lookup. It only mirrors the cache: the cache puts a chunk here when it keeps
 * it and takes it out when it lets it go, so the index never holds memory the cache gave up.
 */
final class ChunkSlots {
    /** Chunks past this number are not indexed (the cache still holds them): bounds the array. */
    static final long MAX_SEQ = 1 << 22;

    private final long epoch;
    private volatile AtomicReferenceArray<byte @Nullable []> chunks = new AtomicReferenceArray<>(16);

    ChunkSlots(long epoch) {
        this.epoch = epoch;
    }

    /** @return the epoch whose chunks this indexes */
    long epoch() {
        return epoch;
    }

    /** @return chunk {@code seq}, or null when it is not indexed; lock-free */
    byte @Nullable [] get(long seq) {
        AtomicReferenceArray<byte @Nullable []> now = chunks;
        return seq < now.length() ? now.get((int) seq) : null;
    }

    /** Indexes chunk {@code seq}; its data is what the cache holds under that number. */
    synchronized void put(long seq, byte[] data) {
        if (seq >= MAX_SEQ) {
            return;
        }
        AtomicReferenceArray<byte @Nullable []> now = chunks;
        if (seq >= now.length()) {
            AtomicReferenceArray<byte @Nullable []> grown =
                    new AtomicReferenceArray<>((int) Math.min(MAX_SEQ, Math.max(seq + 1, 2L * now.length())));
            for (int i = 0; i < now.length(); i++) {
                grown.set(i, now.get(i));
            }
            chunks = grown;
            now = grown;
        }
        now.set((int) seq, data);
    }

    /** Forgets chunk {@code seq} if it is still {@code data}. */
    synchronized void remove(long seq, byte[] data) {
        AtomicReferenceArray<byte @Nullable []> now = chunks;
        if (seq < now.length()) {
            now.compareAndSet((int) seq, data, null);
        }
    }
}
