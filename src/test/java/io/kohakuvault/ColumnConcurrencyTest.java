package io.kohakuvault;

import static io.kohakuvault.ColumnFixtures.SMALL;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Many threads on one column: no lost append, no duplicate, no torn or foreign value, no deadlock. */
class ColumnConcurrencyTest {
    private static final int THREADS = 4;
    private static final int PER_THREAD = 250;

    @TempDir
    Path dir;

    private final List<Vault> opened = new ArrayList<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS + 2);

    @AfterEach
    void close() {
        pool.shutdownNow();
        opened.forEach(Vault::close);
    }

    private Vault open(boolean cached) {
        Vault vault =
                Vault.builder(dir.resolve("threads.db")).columnChunkSizes(SMALL).open();
        if (cached) {
            vault.withCache(4096, 512);
        }
        opened.add(vault);
        return vault;
    }

    /** Thread {@code t}'s {@code i}-th value. */
    private static long value(int t, int i) {
        return t * 1_000_000L + i;
    }

    private static boolean valid(long v) {
        long t = v / 1_000_000L;
        long i = v % 1_000_000L;
        return t >= 0 && t < THREADS && i >= 0 && i < PER_THREAD;
    }

    /** Checks that {@code values} holds every thread's values exactly once, each thread's in its order. */
    private static void assertEveryValueOnceInThreadOrder(long[] values) {
        assertThat(values).hasSize(THREADS * PER_THREAD);
        Set<Long> seen = new HashSet<>();
        Map<Long, Long> lastOfThread = new HashMap<>();
        for (long v : values) {
            assertThat(valid(v)).as("%d is a value some thread appended", v).isTrue();
            assertThat(seen.add(v)).as("%d appears once", v).isTrue();
            Long last = lastOfThread.put(v / 1_000_000L, v);
            assertThat(last == null || last < v)
                    .as("thread %d's appends stay in its order", v / 1_000_000L)
                    .isTrue();
        }
    }

    @ParameterizedTest(name = "write-back cache {0}")
    @ValueSource(booleans = {false, true})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void threadsAppending_withAReader_loseAndDuplicateNothing(boolean cached) throws Exception {
        Vault vault = open(cached);
        LongColumn column = vault.column("c", ColumnType.I64);
        StringColumn texts = vault.column("t", ColumnType.STRING);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            writers.add(pool.submit(() -> {
                start.await();
                int i = 0;
                while (i < PER_THREAD) {
                    if (i % 10 == 3 && i + 3 <= PER_THREAD) {
                        column.extend(value(id, i), value(id, i + 1), value(id, i + 2));
                        texts.extend(List.of(
                                Long.toString(value(id, i)),
                                Long.toString(value(id, i + 1)),
                                Long.toString(value(id, i + 2))));
                        i += 3;
                    } else if (i % 50 == 7) {
                        int at = i;
                        vault.transaction(() -> {
                            column.append(value(id, at));
                            texts.append(Long.toString(value(id, at)));
                        });
                        i++;
                    } else {
                        column.append(value(id, i));
                        texts.append(Long.toString(value(id, i)));
                        i++;
                    }
                }
                return null;
            }));
        }
        AtomicLong reads = new AtomicLong();
        Future<?> reader = pool.submit(() -> {
            start.await();
            long last = 0;
            do {
                long length = column.length();
                assertThat(length).isGreaterThanOrEqualTo(last).isLessThanOrEqualTo(THREADS * PER_THREAD);
                if (length > 0) {
                    assertThat(valid(column.getLong(length - 1))).isTrue();
                    for (long v : column.getLongs(Math.max(0, length - 40), length)) {
                        assertThat(valid(v))
                                .as("%d is a value some thread appended", v)
                                .isTrue();
                    }
                    long textLength = texts.length();
                    if (textLength > 0) {
                        assertThat(valid(Long.parseLong(texts.getString(textLength - 1))))
                                .isTrue();
                    }
                }
                last = length;
                reads.incrementAndGet();
            } while (writing.get());
            return null;
        });
        start.countDown();
        for (Future<?> writer : writers) {
            writer.get(50, TimeUnit.SECONDS);
        }
        writing.set(false);
        reader.get(10, TimeUnit.SECONDS);
        assertThat(reads.get()).isPositive();
        vault.flushCache();
        assertEveryValueOnceInThreadOrder(column.getLongs(0, column.length()));
        assertEveryValueOnceInThreadOrder(texts.getRange(0, texts.length()).stream()
                .mapToLong(Long::parseLong)
                .toArray());
        try (Vault other = Vault.open(dir.resolve("threads.db"))) {
            assertEveryValueOnceInThreadOrder(
                    other.column("c", ColumnType.I64).longStream().toArray());
        }
    }

    @ParameterizedTest(name = "write-back cache {0}")
    @ValueSource(booleans = {false, true})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void threadsSettingTheirOwnElementsOfSharedChunks_loseNoUpdate(boolean cached) throws Exception {
        Vault vault = open(cached);
        LongColumn column = vault.column("c", ColumnType.I64);
        int size = 120; // chunks of 8, 16, 32, 32, 32: each shared by every thread
        column.extend(new long[size]);
        int rounds = 12;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            writers.add(pool.submit(() -> {
                start.await();
                for (int round = 1; round <= rounds; round++) {
                    for (int i = id; i < size; i += THREADS * 3) {
                        if (round % 2 == 0) {
                            column.setLong(i, round * 1000L + i);
                        } else {
                            column.set(i, round * 1000L + i);
                        }
                    }
                    column.append(-1 - id); // appends in between, some cached
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> writer : writers) {
            writer.get(50, TimeUnit.SECONDS);
        }
        vault.flushCache();
        long[] values = column.getLongs(0, size);
        for (int i = 0; i < size; i++) {
            long expected = i % (THREADS * 3) < THREADS ? rounds * 1000L + i : 0;
            assertThat(values[i]).as("element %d", i).isEqualTo(expected);
        }
        assertThat(column.length()).isEqualTo(size + THREADS * rounds);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void threadsInsertingAndRemoving_keepEveryValueExactlyOnce() throws Exception {
        Vault vault = open(false);
        LongColumn column = vault.column("c", ColumnType.I64);
        column.extend(new long[] {-1, -2, -3});
        int perThread = 60;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            writers.add(pool.submit(() -> {
                start.await();
                java.util.Random random = new java.util.Random(id);
                for (int i = 0; i < perThread; i++) {
                    vault.transaction(() -> {
                        int at = random.nextInt(column.size() + 1);
                        column.add(at, 0L);
                    });
                    column.add(random.nextInt(2), value(id, i)); // near the front: every chunk shifts
                    vault.transaction(() -> column.remove(column.indexOf(0L)));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> writer : writers) {
            writer.get(50, TimeUnit.SECONDS);
        }
        long[] values = column.getLongs(0, column.length());
        assertThat(values).hasSize(3 + THREADS * perThread);
        Set<Long> expected = new HashSet<>(List.of(-1L, -2L, -3L));
        for (int t = 0; t < THREADS; t++) {
            for (int i = 0; i < perThread; i++) {
                expected.add(value(t, i));
            }
        }
        Set<Long> actual = new HashSet<>();
        for (long v : values) {
            actual.add(v);
        }
        assertThat(actual).isEqualTo(expected);
    }

    @ParameterizedTest(name = "second vault {0}")
    @ValueSource(booleans = {false, true})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void pointReads_whileAnotherThreadSets_neverGoBackInTime(boolean secondVault) throws Exception {
        Vault vault = open(false);
        LongColumn written = vault.column("c", ColumnType.I64);
        written.extend(new long[100]);
        LongColumn read = secondVault ? open(false).column("c", ColumnType.I64) : written;
        int last = 300;
        AtomicBoolean writing = new AtomicBoolean(true);
        CountDownLatch readersStarted = new CountDownLatch(2);
        Future<?> writer = pool.submit(() -> {
            readersStarted.await();
            try {
                for (int v = 1; v <= last; v++) {
                    written.setLong(42, v);
                    if (v % 10 == 0) {
                        written.setLong(41, v); // the same chunk, written again
                    }
                }
            } finally {
                writing.set(false);
            }
            return null;
        });
        List<Future<Long>> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            readers.add(pool.submit(() -> {
                long seen = 0;
                long reads = 0;
                readersStarted.countDown();
                do {
                    long[] now = {read.getLong(42), read.get(42), read.getLongs(40, 44)[2], read.getLong(42)};
                    for (long v : now) {
                        assertThat(v).as("a read after one that saw %d", seen).isGreaterThanOrEqualTo(seen);
                        seen = v;
                    }
                    reads++;
                } while (writing.get());
                return reads;
            }));
        }
        writer.get(50, TimeUnit.SECONDS);
        for (Future<Long> reader : readers) {
            assertThat(reader.get(10, TimeUnit.SECONDS)).isPositive();
        }
        assertThat(read.getLong(42)).isEqualTo(last);
        assertThat(read.getLong(41)).isEqualTo(last);
        assertThat(read.getLongs(40, 44)).containsExactly(0, last, last, 0);
    }

    /**
     * A writer keeps the column a run of consecutive numbers, descending: it inserts the next
     * number at the front, then removes the last. Every committed state is such a run, so every
     * range read, taken whole from one state, must be one too.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"i64", "str", "bytes"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void rangeReads_duringInsertsAndRemovesInAnotherThread_seeOneState(String dtype) throws Exception {
        Vault vault = open(false);
        Column<?> column = vault.columns().column("c", ColumnType.parse(dtype));
        int window = 20;
        java.util.function.LongFunction<Object> encode = n -> switch (dtype) {
            case "i64" -> n;
            case "str" -> Long.toString(n);
            default -> VaultFixtures.utf8(Long.toString(n));
        };
        java.util.function.Function<Object, Long> decode = o -> o instanceof Long n
                ? n
                : o instanceof String text ? Long.parseLong(text) : Long.parseLong(VaultFixtures.text((byte[]) o));
        @SuppressWarnings("unchecked")
        Column<Object> writable = (Column<Object>) column;
        for (long n = window - 1; n >= 0; n--) {
            writable.append(encode.apply(n));
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        Future<?> writer = pool.submit(() -> {
            try {
                for (long next = window; next < window + 300; next++) {
                    writable.add(0, encode.apply(next));
                    writable.remove(window);
                }
            } finally {
                writing.set(false);
            }
            return null;
        });
        List<String> torn = new ArrayList<>();
        int reads = 0;
        while (writing.get() || reads == 0) {
            List<Object> range = ColumnFixtures.range(column, 0, 10);
            for (int i = 1; i < range.size(); i++) {
                if (decode.apply(range.get(i)) != decode.apply(range.get(i - 1)) - 1) {
                    torn.add(ColumnFixtures.norm(range).toString());
                    break;
                }
            }
            reads++;
        }
        writer.get(50, TimeUnit.SECONDS);
        assertThat(torn).as("range reads that mixed two states, of %d", reads).isEmpty();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void twoVaultsInOneProcess_appendingToOneColumn_loseNothing() throws Exception {
        Vault a = open(false);
        Vault b = open(false);
        LongColumn inA = a.column("c", ColumnType.I64);
        LongColumn inB = b.column("c", ColumnType.I64);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            LongColumn column = t % 2 == 0 ? inA : inB;
            writers.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < PER_THREAD; i += 2) {
                    if (i % 4 == 0) {
                        column.extend(value(id, i), value(id, i + 1));
                    } else {
                        column.append(value(id, i));
                        column.append(value(id, i + 1));
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> writer : writers) {
            writer.get(50, TimeUnit.SECONDS);
        }
        assertEveryValueOnceInThreadOrder(inA.getLongs(0, inA.length()));
        assertEveryValueOnceInThreadOrder(inB.getLongs(0, inB.length()));
        assertThat(inA).isEqualTo(inB);
    }
}
