package io.kohakuvault.internal.column;

import static org.assertj.core.api.Assertions.assertThat;

import io.kohakuvault.Synchronous;
import io.kohakuvault.internal.db.Database;
import io.kohakuvault.internal.db.VaultOptions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link StateKeeper} on its own: when it reads the column's row from the file, which revisions it
 * takes, what a publish keeps of the pending appends, and that a read waits for a write in flight
 * rather than take the file's state while the write's appends are still pending. On an in-memory database, whose commit watch never moves.
 */
class StateKeeperTest {
    private static final ColumnMeta META = new ColumnMeta(1, "c", "i64", 8, 10, 64, 1024, 5);

    private Database db;
    private StateKeeper keeper;
    private final AtomicInteger fileReads = new AtomicInteger();
    private final AtomicReference<StoredState> inFile = new AtomicReference<>(new StoredState(10, 5));
    private final Supplier<StoredState> fromFile = () -> {
        fileReads.incrementAndGet();
        return inFile.get();
    };

    @BeforeEach
    void open() {
        db = Database.open(new VaultOptions(
                null,
                1 << 20,
                0,
                Duration.ofMillis(1),
                "kvault",
                true,
                4096,
                0,
                2000,
                false,
                Synchronous.NORMAL,
                1,
                0,
                64,
                1024,
                null));
        keeper = new StateKeeper(db.commits(), META, () -> "column 'c'");
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void current_readsTheFileAtTheFirstCall_thenOnlyOnceRenewed() {
        keeper.current(fromFile);
        keeper.current(fromFile);
        assertThat(fileReads).hasValue(1);

        keeper.renewAtNextCall();
        inFile.set(new StoredState(12, 6));
        ColumnState s = keeper.current(fromFile);

        assertThat(fileReads).hasValue(2);
        assertThat(s.committed()).isEqualTo(12);
        assertThat(s.revision()).isEqualTo(6);
    }

    @Test
    void adopt_newerRevision_takesItWithANewEpoch_anOlderOneChangesNothing() {
        ColumnState before = keeper.latest();

        keeper.adopt(new StoredState(99, 4));
        assertThat(keeper.latest()).isSameAs(before);

        keeper.adopt(new StoredState(11, 6));
        assertThat(keeper.latest().committed()).isEqualTo(11);
        assertThat(keeper.latest().epoch()).isNotEqualTo(before.epoch());
    }

    @Test
    void publish_dropsTheFlushedAppends_andKeepsTheOnesAfterThem() {
        keeper.appendPendingNumber(1, Long.BYTES);
        keeper.appendPendingNumber(2, Long.BYTES);
        keeper.appendPendingNumber(3, Long.BYTES);

        keeper.publish(new StoredState(12, 6), 42, 2);

        ColumnState s = keeper.latest();
        assertThat(s.committed()).isEqualTo(12);
        assertThat(s.epoch()).isEqualTo(42);
        assertThat(s.pending().count()).isEqualTo(1);
        assertThat(s.length()).isEqualTo(13);
    }

    @Test
    void current_whileAnotherThreadWrites_waitsForItsPublish_andCountsItsAppendsOnce() throws Exception {
        keeper.current(fromFile); // the first check, done
        keeper.appendPendingNumber(7, Long.BYTES);
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch publish = new CountDownLatch(1);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            keeper.beginWrite();
            try {
                writing.countDown();
                await(publish);
                keeper.publish(new StoredState(11, 6), 43, 1);
            } finally {
                keeper.endWrite();
            }
        });
        writing.await();
        // The file already holds the write's commit: taken now, its length would count the pending append twice.
        inFile.set(new StoredState(11, 6));
        keeper.renewAtNextCall();

        CompletableFuture<ColumnState> reader = CompletableFuture.supplyAsync(() -> keeper.current(fromFile));
        Thread.sleep(50);
        assertThat(reader).isNotDone();
        publish.countDown();

        ColumnState s = reader.get(10, TimeUnit.SECONDS);
        writer.get(10, TimeUnit.SECONDS);
        assertThat(s.length()).isEqualTo(11);
        assertThat(s.epoch()).isEqualTo(43);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
