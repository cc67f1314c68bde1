package io.kohakuvault.internal.db;

import java.sql.SQLException;

/**
 * Keeps the write-ahead log from growing without bound while readers never pause. SQLite's
 * automatic checkpoints are PASSIVE: while readers keep reading without a pause, one of them is
 * nearly always inside a read that started before the last commit, so the log is never found free
 * to start again from its beginning and grows with every commit (measured: with two readers that
 * never pause, it held everything written). Past {@link #FRAMES} frames, a commit therefore runs
 * a RESTART checkpoint, which waits up to {@link #WAIT_MS} for the reads in flight to end (new
 * ones then read from the database file) and lets the next commit start the log afresh.
 *
 * <p>Cost: a read of one word of the memory-mapped WAL-index per commit; a checkpoint only when
 * the log is already four automatic checkpoints long.
 */
final class WalRestart {
    /** Four automatic checkpoints' worth of frames (16 MiB at 4 KiB pages). */
    static final long FRAMES = 4L * ConnectionFactory.WAL_AUTOCHECKPOINT_PAGES;
    /** How long a commit waits for readers so that the log can restart; the next commit tries again. */
    static final int WAIT_MS = 100;

    private final CommitWatch commits;
    private final boolean enabled;

    /**
     * @param commits the watch on the file's WAL-index, which counts the frames
     * @param enabled false for a read-only vault, which never checkpoints
     */
    WalRestart(CommitWatch commits, boolean enabled) {
        this.commits = commits;
        this.enabled = enabled;
    }

    /**
     * Call after each commit, on the writer, under its lock. Best effort: if readers are still
     * busy after {@link #WAIT_MS}, nothing happens and the next commit tries again.
     *
     * @param writer the writer connection, outside any transaction
     */
    void afterCommit(VaultConnection writer) {
        if (!enabled || commits.walFrames() <= FRAMES) {
            return;
        }
        try {
            writer.execute("PRAGMA busy_timeout = " + WAIT_MS);
            writer.pragma("PRAGMA wal_checkpoint(RESTART)");
        } catch (SQLException busy) {
            // still busy: the next commit tries again
        } finally {
            try {
                writer.execute("PRAGMA busy_timeout = 0");
            } catch (SQLException ignored) {
                // the connection is failing; its next statement will say so
            }
        }
    }
}
