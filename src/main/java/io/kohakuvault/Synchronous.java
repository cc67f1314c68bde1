package io.kohakuvault;

/**
 * How hard SQLite makes a commit durable before the call that commits returns
 * (SQLite's {@code PRAGMA synchronous}); set with {@link VaultBuilder#synchronous(Synchronous)}.
 */
public enum Synchronous {
    /** No syncing: a crash of the operating system or a power loss may corrupt the file. Fastest. */
    OFF,
    /**
     * The default. With WAL, a commit survives any crash or kill of the process; a power loss or
     * operating-system crash may undo the last commits, but never corrupts the file.
     */
    NORMAL,
    /** Every commit is synced to disk before it returns: it survives a power loss too. Slowest. */
    FULL
}
