package io.kohakuvault;

import static io.kohakuvault.VaultFixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The {@code -wal} file stays bounded while one vault writes tens of MB, in many commits, and
 * other vaults on the same file read without pausing: every connection checkpoints automatically
 * ({@code wal_autocheckpoint}, 1000 pages) and truncates the WAL when it restarts
 * ({@code journal_size_limit}, 64 MiB). Afterwards {@code vault.checkpoint()} truncates it to 0.
 */
class WalGrowthTest extends VaultTestBase {
    private static final int PAGE = 4096;
    /** Bytes of one WAL frame: a page and its 24-byte header. */
    private static final long FRAME = PAGE + 24;

    private static final int AUTOCHECKPOINT_PAGES = 1000;
    private static final long JOURNAL_SIZE_LIMIT = 64L << 20;
    /** Each write commits at most this much: one 256 KiB value, or 32K longs. */
    private static final int WRITE_BYTES = 256 << 10;

    private Path file() {
        return dir.resolve("wal.db");
    }

    private long walSize() {
        try {
            return Files.size(Path.of(file() + "-wal"));
        } catch (java.nio.file.NoSuchFileException gone) {
            return 0;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void everyConnection_checkpointsAutomatically_andLimitsTheWal() {
        vault = Vault.open(file());
        vault.database().withWriter(c -> {
            assertThat(Long.parseLong(c.pragma("PRAGMA journal_size_limit"))).isEqualTo(JOURNAL_SIZE_LIMIT);
            assertThat(Long.parseLong(c.pragma("PRAGMA wal_autocheckpoint"))).isEqualTo(AUTOCHECKPOINT_PAGES);
            assertThat(c.pragma("PRAGMA journal_mode")).isEqualToIgnoringCase("wal");
            return null;
        });
    }

    @Test
    void appendingAlone_walStaysWithinOneAutomaticCheckpoint() {
        // The commit that takes the WAL past 1000 frames checkpoints it; the next one restarts it
        // from the beginning: at most 1000 frames plus one commit's (a 256 KiB write is 64 value
        // pages plus a few B-tree and free-list pages, under 128).
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            long largest = run(0, 12L << 20);
            assertThat(largest).isLessThanOrEqualTo((AUTOCHECKPOINT_PAGES + 2 * WRITE_BYTES / PAGE) * FRAME + 32);
        });
    }

    @Test
    void appendingWhileOthersReadWithoutPause_walStaysBounded_andCheckpointTruncatesIt() {
        // Readers that never pause starve the automatic (PASSIVE) checkpoints: without the
        // vault's RESTART checkpoint past 4000 frames the WAL held all 48 MB written. With it, the
        // WAL restarts once it holds 4000 frames plus the commit that crossed them; allow two more
        // automatic checkpoints' worth for restarts that had to wait for a slow reader (24.7 MB,
        // half of what is written).
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            long largest = run(2, 48L << 20);
            assertThat(largest).isLessThanOrEqualTo((4 * AUTOCHECKPOINT_PAGES + 2L * AUTOCHECKPOINT_PAGES) * FRAME);
        });
    }

    /**
     * Writes {@code totalBytes} in 256 KiB commits while {@code readers} other vaults read the same
     * file in a loop, then checkpoints.
     *
     * @return the largest size the {@code -wal} file had while the writes ran
     */
    private long run(int readers, long totalBytes) throws Exception {
        vault = Vault.open(file());
        KVault kv = vault.kv();
        LongColumn ids = vault.column("ids", ColumnType.I64);
        kv.put("v0", bytes(WRITE_BYTES, 0));
        ids.extend(1, 2, 3);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong maxWal = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            Thread t = new Thread(
                    () -> {
                        try (Vault other = Vault.open(file())) {
                            KVault okv = other.kv();
                            LongColumn oids = other.column("ids", ColumnType.I64);
                            while (!stop.get()) {
                                assertThat(okv.get("v0")).hasSize(WRITE_BYTES);
                                long n = oids.length();
                                assertThat(oids.getLongs(Math.max(0, n - 1000), n))
                                        .hasSize((int) Math.min(n, 1000));
                                maxWal.accumulateAndGet(walSize(), Math::max);
                                reads.incrementAndGet();
                            }
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    },
                    "wal-reader-" + r);
            t.start();
            threads.add(t);
        }
        long written = 0;
        long next = 0;
        for (int i = 0; written < totalBytes; i++) {
            if (i % 2 == 0) {
                kv.put("v" + (i / 2 % 8), bytes(WRITE_BYTES, i));
            } else {
                long start = next;
                ids.extend(LongStream.range(start, start + WRITE_BYTES / 8).toArray());
                next += WRITE_BYTES / 8;
            }
            written += WRITE_BYTES;
            maxWal.accumulateAndGet(walSize(), Math::max);
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join(30_000);
            assertThat(t.isAlive()).as("reader %s finished", t.getName()).isFalse();
        }
        assertThat(failures).isEmpty();
        assertThat(reads.get()).as("reads made while writing").isGreaterThanOrEqualTo(readers);
        System.out.printf(
                "WalGrowthTest: %d readers, %d MB written, %d reads, largest WAL %d bytes (%d frames)%n",
                readers, written >> 20, reads.get(), maxWal.get(), maxWal.get() / FRAME);
        assertThat(ids.length()).isEqualTo(3 + next);
        vault.checkpoint();
        assertThat(walSize()).isZero();
        assertThat(vault.kv().get("v0")).hasSize(WRITE_BYTES);
        return maxWal.get();
    }
}
