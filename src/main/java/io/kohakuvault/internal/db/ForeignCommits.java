package io.kohakuvault.internal.db;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Tells caches of file contents whether a connection other than this vault's writer (another
 * {@code Vault}, another process) may have committed: an <i>epoch</i> that changes whenever one may
 * have. What is cached under an epoch stays true while the epoch lasts, so a cache keys its entries
 * by epoch and never finds an older epoch's entries again.
 *
 * <p>Two facts keep it exact. The {@link CommitWatch} version changes with every commit, anyone's.
 * SQLite's {@code PRAGMA data_version} on the writer changes only with commits of other
 * connections. After each commit of its own, the writer checks the pragma: unchanged, the
 * version's change was its own and the epoch stays; changed, someone else committed too and the
 * epoch moves on. A read that finds the version changed before the writer could check it moves
 * the epoch on as well: a needless change costs cached entries, never a stale answer.
 *
 * <p>Cost: a few memory reads per read; one pragma per commit of the writer.
 */
public final class ForeignCommits {
    private static final String DATA_VERSION = "PRAGMA data_version";

    private final CommitWatch commits;
    /** The commit-watch version the epoch was last known good at; written under this, after the epoch. */
    private volatile long knownVersion;

    private volatile long epoch;
    /** The writer's data_version at its last check; -1 before the first. Guarded by this. */
    private long writerDataVersion = -1;

    ForeignCommits(CommitWatch commits) {
        this.commits = commits;
        this.knownVersion = commits.version();
    }

    /**
     * @return whether epochs last beyond one call: false when the commits of others cannot be
     *     watched (a server database, a file whose WAL-index cannot be mapped), where every call
     *     starts a new epoch and nothing cached under one is found again
     */
    public boolean tracksOthers() {
        return commits.watched();
    }

    /**
     * @return the epoch as of now: equal numbers mean no other connection committed in between.
     *     Call before reading the file; what the read finds may be cached under the result.
     */
    public long epoch() {
        long version = commits.version();
        if (version == knownVersion) { // read before the epoch, which is written before it
            return epoch;
        }
        synchronized (this) {
            if (version != knownVersion) {
                epoch = epoch + 1;
                knownVersion = version;
            }
            return epoch;
        }
    }

    /**
     * Call on the writer, under the write lock, right after each of its commits (or a checkpoint).
     *
     * @return the epoch the writer's commit belongs to when no other connection committed since the
     *     last check (what the commit wrote may be cached under it), or -1 when someone did (cache
     *     nothing of it: another commit may already have replaced it)
     */
    long afterOwnCommit(VaultConnection writer) {
        if (!commits.watched()) {
            synchronized (this) {
                epoch = epoch + 1;
                return -1;
            }
        }
        long version = commits.version();
        long dataVersion;
        try {
            PreparedStatement s = writer.prepared(DATA_VERSION);
            try (ResultSet rows = s.executeQuery()) {
                dataVersion = rows.next() ? rows.getLong(1) : -2;
            }
        } catch (SQLException e) {
            dataVersion = -2; // unknown: assume someone else committed
        }
        synchronized (this) {
            boolean clean = dataVersion == writerDataVersion && dataVersion >= 0;
            writerDataVersion = dataVersion;
            if (!clean) {
                epoch = epoch + 1;
            }
            knownVersion = version; // after the epoch: see epoch()
            return clean ? epoch : -1;
        }
    }
}
