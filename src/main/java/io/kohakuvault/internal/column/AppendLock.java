package io.kohakuvault.internal.column;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The lock an append to a column's write-back cache takes: one compare-and-set to lock and a
 * plain release store to unlock, about half what an uncontended {@code synchronized} block costs
 * here, which is most of what an append of one number costs. Not reentrant; a thread that finds
 * it taken spins briefly, then parks a microsecond at a time. Hold it only for a memory copy, never across I/O or while
 * waiting for another lock.
 */
final class AppendLock {
    private static final VarHandle LOCKED;

    static {
        try {
            LOCKED = MethodHandles.lookup().findVarHandle(AppendLock.class, "locked", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through LOCKED
    private int locked;

    void lock() {
        int spins = 0;
        while (!LOCKED.compareAndSet(this, 0, 1)) {
            if (++spins < 100) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(1_000); // a flush is copying the buffer: let it finish
            }
        }
    }

    void unlock() {
        LOCKED.setRelease(this, 0);
    }
}
