package io.kohakuvault.internal.db;

import io.kohakuvault.KohakuVaultException;
import io.kohakuvault.VaultIoException;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small pool of reader connections, opened on demand up to a maximum. A JDBC connection runs one
 * statement at a time, so concurrent readers each need their own; in SQLite's WAL mode none of
 * them waits for the writer, and on a server none waits for a new connection once the pool is warm.
 */
final class ReaderPool {
    private final ConnectionSource source;
    private final DatabaseErrors errors;
    private final BlockingQueue<VaultConnection> idle;
    private final AtomicInteger open = new AtomicInteger();
    private final int max;
    private final String location;
    private volatile boolean closed;

    ReaderPool(ConnectionSource source, DatabaseErrors errors, int max, String location) {
        this.source = source;
        this.errors = errors;
        this.max = max;
        this.location = location;
        this.idle = new ArrayBlockingQueue<>(max);
    }

    /** Takes an idle reader, opens a new one, or waits for one to come back. */
    VaultConnection borrow() {
        VaultConnection c = idle.poll();
        if (c != null) {
            return c;
        }
        if (closed) {
            throw new VaultIoException("vault " + location + " is closed");
        }
        if (open.incrementAndGet() <= max) {
            try {
                return source.openReader();
            } catch (SQLException e) {
                open.decrementAndGet();
                throw errors.translate(e, "open a reader connection to " + location);
            }
        }
        open.decrementAndGet();
        try {
            while (true) {
                c = idle.poll(100, TimeUnit.MILLISECONDS);
                if (c != null) {
                    return c;
                }
                if (closed) {
                    throw new VaultIoException("vault " + location + " is closed");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KohakuVaultException("interrupted while waiting for a reader connection to " + location, e);
        }
    }

    /** Gives a reader back; after {@link #close()}, or when it was found lost, it is closed instead. */
    void release(VaultConnection c) {
        if (closed || c.isLost() || !idle.offer(c)) {
            open.decrementAndGet();
            c.close();
        }
    }

    /** Closes the idle readers now and every borrowed one when it comes back. */
    void close() {
        closed = true;
        VaultConnection c;
        while ((c = idle.poll()) != null) {
            open.decrementAndGet();
            c.close();
        }
    }
}
