package io.kohakuvault.internal.column;

import io.kohakuvault.KohakuVaultException;
import io.kohakuvault.internal.db.CommitWatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Keeps one column's {@link ColumnState} in step with every writer of the file: the only place
 * the state is replaced. Thread-safe; reads of the state never lock.
 *
 * <p>What it guarantees:
 *
 * <ul>
 *   <li>{@link #current} returns a state that covers every commit made before it was called, by
 *       any connection: it asks the vault's {@link CommitWatch} whether anyone committed since the
 *       last check, and only then reads the column's row from the file. When nothing was
 *       committed it costs a few memory reads.
 *   <li>While this vault writes the column outside a transaction ({@link #beginWrite} to
 *       {@link #endWrite}), the state is not taken from the file, which may already hold the
 *       write: the pending appends it flushes would count twice. A reader waits for the write to
 *       {@link #publish} instead; the writing thread itself never waits.
 *   <li>A newer revision found in the file replaces the state with a new epoch, so nothing cached
 *       under the older one is used again; an older or equal one changes nothing.
 *   <li>No append lands in a pending buffer while it is being replaced: appends and replacements
 *       both take the append lock.
 * </ul>
 *
 * <p>Locks: the monitor of this object's {@code lock} guards the write in flight ({@code writes},
 * {@code writer}) and every replacement of the state, and is notified when a write ends; the
 * {@link AppendLock} is taken inside it by a replacement, and alone by an append.
 */
final class StateKeeper {
    private static final AtomicLong EPOCHS = new AtomicLong();

    private final CommitWatch commits;
    /** Names the column in messages. */
    private final Supplier<String> what;

    private final Object lock = new Object();
    /** Taken by appends to the pending buffer, and by whoever replaces it (inside {@link #lock}). */
    private final AppendLock appendLock = new AppendLock();

    private volatile ColumnState state;
    /** The {@link CommitWatch#version()} the state was last checked at. */
    private volatile long checkedVersion;
    /** Set when the state must be checked against the file at the next call whatever the watch says. */
    private volatile boolean recheck;
    /**
     * True while this vault writes the column outside a transaction: its outcome is published when
     * it commits, and the file may already hold it, so a read must not take the column's state
     * from the file meanwhile (the pending appends it flushes would count twice). Set and cleared
     * under lock, which is notified when it clears.
     */
    private volatile boolean writing;
    /** Counts the writes that set {@link #writing}. Guarded by lock. */
    private long writes;
    /** The thread of the write in flight. Guarded by lock. */
    private @Nullable Thread writer;

    /**
     * @param commits the vault's commit watch
     * @param meta the column's row, as read when the column was opened
     * @param what names the column in messages
     */
    StateKeeper(CommitWatch commits, ColumnMeta meta, Supplier<String> what) {
        this.commits = commits;
        this.what = what;
        this.checkedVersion = commits.version();
        // The row was read before this version was taken: a commit in between is in the version
        // but not in the row, and the watch would never report it. The first call reads the file.
        this.recheck = true;
        this.state = new ColumnState(meta.length(), meta.revision(), newEpoch(), new AppendBuffer(meta.elementSize()));
    }

    /** @return an epoch no column state has had yet */
    static long newEpoch() {
        return EPOCHS.incrementAndGet();
    }

    /** @return the state as last published, without checking the file */
    ColumnState latest() {
        return state;
    }

    /**
     * @param fromFile reads the column's length and revision from the file
     * @return the state, renewed first if any connection committed since it was last checked
     */
    ColumnState current(Supplier<StoredState> fromFile) {
        long version = commits.version();
        if ((version != checkedVersion || recheck) && writing) {
            // The write in flight took the column's state from the file inside its transaction, so
            // what it publishes covers every commit before this call: wait for that, not the file.
            awaitWrite();
        }
        if ((version != checkedVersion || recheck) && !writing) {
            recheck = false;
            adopt(fromFile.get());
            checkedVersion = version;
        }
        return state;
    }

    /** Makes the next {@link #current} read the file whatever the watch says: after a transaction wrote the column. */
    void renewAtNextCall() {
        recheck = true;
    }

    /** Takes a newer committed length and revision found in the file, with a new epoch. */
    void adopt(StoredState stored) {
        if (writing) {
            // Another thread's write of this column has committed what the file shows, and will
            // publish it with its pending appends cleared; adopting the file's length now would
            // count those appends twice until then.
            awaitWrite();
        }
        synchronized (lock) {
            ColumnState s = state;
            if (stored.revision() > s.revision()) {
                state = new ColumnState(stored.length(), stored.revision(), newEpoch(), s.pending());
            }
        }
    }

    /** Marks a write of the column by the calling thread, outside a transaction, as in flight. */
    void beginWrite() {
        synchronized (lock) {
            writing = true;
            writes++;
            writer = Thread.currentThread();
        }
    }

    /** Ends the write {@link #beginWrite} started, whether it committed or not, and wakes its waiters. */
    void endWrite() {
        synchronized (lock) {
            writing = false;
            writer = null;
            lock.notifyAll();
        }
    }

    /**
     * Publishes what a write committed.
     *
     * @param written the column's length and revision it recorded
     * @param epoch the epoch the new state's cached chunks are kept under
     * @param flushed how many of the pending appends it wrote: they leave the buffer
     */
    void publish(StoredState written, long epoch, int flushed) {
        synchronized (lock) {
            appendLock.lock(); // no append may land in the buffer being replaced
            try {
                state = new ColumnState(
                        written.length(),
                        written.revision(),
                        epoch,
                        state.pending().dropFirst(flushed));
            } finally {
                appendLock.unlock();
            }
        }
    }

    /** @return the bytes pending once {@code values} joined the pending appends */
    int appendPending(Elements values) {
        appendLock.lock();
        try {
            AppendBuffer pending = state.pending();
            pending.append(values);
            return pending.byteSize();
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * @param value the element, a long or (for {@code size} 4) an int
     * @param size 8 or 4, its bytes
     * @return the bytes pending once the element joined the pending appends
     */
    int appendPendingNumber(long value, int size) {
        appendLock.lock();
        try {
            AppendBuffer pending = state.pending();
            if (size == Long.BYTES) {
                pending.appendLong(value);
            } else {
                pending.appendInt((int) value);
            }
            return pending.byteSize();
        } finally {
            appendLock.unlock();
        }
    }

    /** Waits until the write of this column in flight now, if any, has published its outcome. */
    private void awaitWrite() {
        synchronized (lock) {
            long current = writes;
            while (writing && writes == current && writer != Thread.currentThread()) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new KohakuVaultException("interrupted while reading " + what.get(), e);
                }
            }
        }
    }
}
