package io.kohakuvault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;

/**
 * While a vault is open, this process keeps SQLite's lock on the {@code -shm} file that tells
 * other processes the WAL-index is in use. Regression: the commit watch closed its own descriptor
 * of the file right after mapping it, which on POSIX systems drops every lock the process holds
 * on the file; the next process to open the vault then rebuilt the {@code -shm} file under this
 * one's connections (a SIGBUS inside SQLite in ColumnMultiInstanceTest). Checked from a child
 * process, which tries to take that lock for itself.
 */
class ShmLockTest extends VaultTestBase {
    /** The "DMS" byte of SQLite's unix VFS: (22 + 8) * 4 + 8, after the eight WAL-index locks. */
    private static final long DMS_LOCK_OFFSET = 128;

    @Test
    void openVault_keepsSqlitesSharedMemoryLock_forOtherProcessesToSee() throws Exception {
        vault = Vault.open(dir.resolve("v.db"));
        vault.kv().put("k", VaultFixtures.utf8("v"));
        assertThat(otherProcessCouldTakeTheLock()).isFalse();
    }

    @Test
    void closingASecondVaultOnTheFile_keepsTheFirstVaultsLock() throws Exception {
        vault = Vault.open(dir.resolve("v.db"));
        vault.kv().put("k", VaultFixtures.utf8("v"));
        Vault.open(dir.resolve("v.db")).close();
        assertThat(otherProcessCouldTakeTheLock()).isFalse();
        assertThat(vault.kv().get("k")).isEqualTo(VaultFixtures.utf8("v"));
    }

    @Test
    void afterTheLastVaultCloses_theLockIsFree() throws Exception {
        Vault.open(dir.resolve("v.db")).close();
        // The child's own check must be able to succeed, or the two tests above prove nothing.
        java.nio.file.Files.write(dir.resolve("v.db-shm"), new byte[32768]);
        assertThat(otherProcessCouldTakeTheLock()).isTrue();
    }

    private boolean otherProcessCouldTakeTheLock() throws Exception {
        ChildJvm.Result result =
                ChildJvm.run(LockProbe.class, "64m", 60, dir.resolve("v.db-shm").toString());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).containsAnyOf("locked=true", "locked=false");
        return result.output().contains("locked=true");
    }

    /** The child: tries to take SQLite's DMS lock exclusively, without waiting, and says whether it could. */
    public static final class LockProbe {
        private LockProbe() {}

        /**
         * @param args the {@code -shm} file
         */
        public static void main(String[] args) throws Exception {
            try (FileChannel shm =
                    FileChannel.open(Path.of(args[0]), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                FileLock lock = shm.tryLock(DMS_LOCK_OFFSET, 1, false);
                System.out.println("locked=" + (lock != null));
                if (lock != null) {
                    lock.release();
                }
            }
        }
    }
}
