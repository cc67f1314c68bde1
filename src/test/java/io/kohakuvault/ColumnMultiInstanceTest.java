package io.kohakuvault;

import static io.kohakuvault.ColumnFixtures.SMALL;
import static io.kohakuvault.ColumnFixtures.all;
import static io.kohakuvault.ColumnFixtures.column;
import static io.kohakuvault.ColumnFixtures.getPrimitive;
import static io.kohakuvault.ColumnFixtures.norm;
import static io.kohakuvault.ColumnFixtures.samples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kohakuvault.ColumnFixtures.Kind;
import io.kohakuvault.VaultFixtures.Storage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Several Vault instances on one file: in this process, each sees the others' column writes at
 * its next operation, whatever its chunk cache held; in another process, a reader sees a
 * consistent prefix of what a writer appends, and everything once it is done.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(
        value = Storage.class,
        names = {"FILE", "POSTGRES"})
class ColumnMultiInstanceTest {
    @TempDir
    Path dir;

    /** Where the vaults live: a file, or the test server's database. */
    @Parameter
    Storage storage;

    private final List<Vault> opened = new ArrayList<>();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "column-multi-instance");
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    void closeAll() {
        for (Vault vault : opened) {
            try {
                vault.close();
            } catch (RuntimeException ignored) {
                // a test about close failures checks its own vault
            }
        }
        pool.shutdownNow();
    }

    private Vault open(boolean readCache) {
        Vault vault = storage.builder(dir)
                .columnChunkSizes(SMALL)
                .readCacheBytes(readCache ? VaultBuilder.DEFAULT_READ_CACHE_BYTES : 0)
                .open();
        opened.add(vault);
        return vault;
    }

    /** Runs {@code call} on another thread, failing (and closing every vault, which ends it) after 20 s. */
    private <T> T within(Callable<T> call) throws Exception {
        Future<T> future = pool.submit(call);
        try {
            return future.get(20, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            closeAll();
            throw new AssertionError("the call did not return within 20 s (a read that never ends)", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    static Stream<Arguments> kindsAndReadCache() {
        return Stream.of(Kind.values()).flatMap(kind -> Stream.of(true, false).map(cache -> Arguments.of(kind, cache)));
    }

    @ParameterizedTest(name = "{0} read cache {1}")
    @MethodSource("kindsAndReadCache")
    void eachVault_seesTheOthersWrites_atItsNextOperation_evenWithWarmCaches(Kind kind, boolean readCache) {
        Vault a = open(readCache);
        Vault b = open(readCache);
        Column<Object> inA = column(a, "c", kind);
        Column<Object> inB = column(b, "c", kind);
        Random random = new Random(kind.ordinal());
        List<Object> model = new ArrayList<>();
        for (int step = 0; step < 14; step++) {
            boolean aWrites = step % 2 == 0;
            Column<Object> writer = aWrites ? inA : inB;
            Column<Object> reader = aWrites ? inB : inA;
            // warm the reader's chunk cache: a range read and repeated point reads
            assertThat(norm(all(reader))).as("reader before step %d", step).isEqualTo(norm(model));
            for (int i = 0; i < model.size(); i += 3) {
                reader.get(i);
                getPrimitive(reader, i);
            }
            Object value = kind.sample(random);
            String what;
            switch (step % 7) {
                case 0 -> {
                    List<Object> values = samples(kind, random, 25);
                    writer.extend(values);
                    model.addAll(values);
                    what = "extend";
                }
                case 1 -> {
                    writer.append(value);
                    model.add(value);
                    what = "append";
                }
                case 2 -> {
                    writer.set(model.size() / 2, value);
                    model.set(model.size() / 2, value);
                    ColumnFixtures.setPrimitive(writer, 0, value);
                    model.set(0, value);
                    what = "set";
                }
                case 3 -> {
                    writer.add(1, value);
                    model.add(1, value);
                    what = "insert";
                }
                case 4 -> {
                    writer.remove(2);
                    model.remove(2);
                    what = "remove";
                }
                case 5 -> {
                    writer.clear();
                    model.clear();
                    what = "clear";
                }
                default -> {
                    List<Object> values = samples(kind, random, 40);
                    writer.addAll(values);
                    model.addAll(values);
                    what = "addAll";
                }
            }
            assertThat(reader.length())
                    .as("length after %s (step %d)", what, step)
                    .isEqualTo(model.size());
            assertThat(reader.size()).isEqualTo(model.size());
            for (int i = 0; i < model.size(); i++) {
                assertThat(norm(reader.get(i)))
                        .as("get(%d) after %s (step %d)", i, what, step)
                        .isEqualTo(norm(model.get(i)));
                assertThat(norm(getPrimitive(reader, i)))
                        .as("primitive get(%d) after %s", i, what)
                        .isEqualTo(norm(model.get(i)));
            }
            assertThat(norm(all(reader)))
                    .as("range after %s (step %d)", what, step)
                    .isEqualTo(norm(model));
            assertThat(b.columns().listColumns()).containsExactly(new ColumnInfo("c", kind.type, model.size()));
        }
    }

    @Test
    void pointReadsOfAWarmChunk_seeASetByTheOtherVault() {
        Vault a = open(true);
        Vault b = open(true);
        LongColumn inA = a.column("c", ColumnType.I64);
        LongColumn inB = b.column("c", ColumnType.I64);
        inA.extend(LongStream.range(0, 100).toArray());
        for (int round = 0; round < 50; round++) {
            assertThat(inB.getLong(5)).isEqualTo(round == 0 ? 5 : round - 1);
            assertThat(inB.getLong(5)).isEqualTo(round == 0 ? 5 : round - 1); // served from the chunk cache
            inA.setLong(5, round);
            assertThat(inB.getLong(5)).as("round %d", round).isEqualTo(round);
            assertThat(inB.get(5)).isEqualTo(round);
        }
    }

    /**
     * The same file through another path (a symlink: like /tmp and /private/tmp on macOS). SQLite
     * shares the write-ahead log, so the writes are committed for both: each vault must see the
     * other's at its next operation, as if the path were the same.
     */
    @Test
    void aVaultOpenedThroughASymlink_seesTheOthersWrites_atItsNextOperation() throws Exception {
        assumeTrue(storage == Storage.FILE, "a file's own concern");
        java.nio.file.Files.createSymbolicLink(dir.resolve("link.db"), dir.resolve("v.db"));
        Vault a = open(true);
        Vault b = Vault.builder(dir.resolve("link.db")).columnChunkSizes(SMALL).open();
        opened.add(b);
        LongColumn inA = a.column("c", ColumnType.I64);
        LongColumn inB = b.column("c", ColumnType.I64);
        inA.extend(LongStream.range(0, 100).toArray());
        List<String> missed = new ArrayList<>();
        for (int round = 0; round < 100; round++) {
            long expected = round == 0 ? 5 : 1000 + round - 1;
            check(missed, "round " + round + ", warming: getLong(5)", () -> inB.getLong(5), expected);
            check(missed, "round " + round + ", warm: getLong(5)", () -> inB.getLong(5), expected);
            inA.setLong(5, 1000 + round);
            check(missed, "round " + round + ": getLong(5) after a's set", () -> inB.getLong(5), 1000L + round);
            inA.append(round);
            check(missed, "round " + round + ": length after a's append", inB::length, 101L + round);
        }
        assertThat(missed)
                .as("reads of b that did not see a's write just before")
                .isEmpty();
    }

    private static void check(List<String> missed, String what, Callable<Long> read, long expected) {
        try {
            long seen = read.call();
            if (seen != expected) {
                missed.add(what + " was " + seen + ", not " + expected);
            }
        } catch (Exception e) {
            missed.add(what + " threw " + e);
        }
    }

    @Test
    void aVaultWithCachedAppends_seesTheOthersAppendsBeforeItsOwn() {
        Vault a = open(true);
        Vault b = open(true);
        a.columns().enableCache(1 << 20, 1 << 20);
        LongColumn inA = a.column("c", ColumnType.I64);
        LongColumn inB = b.column("c", ColumnType.I64);
        inA.extend(100, 101);
        inB.extend(1, 2, 3);
        assertThat(inA.length()).isEqualTo(5);
        assertThat(inA.getLongs(0, 5)).containsExactly(1, 2, 3, 100, 101);
        assertThat(inB.getLongs(0, 3)).containsExactly(1, 2, 3);
        assertThat(a.flushCache()).isEqualTo(2);
        assertThat(inB).containsExactly(1L, 2L, 3L, 100L, 101L);
        assertThat(inA).containsExactly(1L, 2L, 3L, 100L, 101L);
    }

    @Test
    void aColumnDeletedByTheOtherVault_throwsNotFound_andCanBeMadeAgain() throws Exception {
        Vault a = open(true);
        Vault b = open(true);
        LongColumn keep = a.column("keep", ColumnType.I64); // so the deleted column's id is not the largest
        keep.append(0);
        LongColumn inA = a.column("x", ColumnType.I64);
        inA.extend(1, 2, 3);
        LongColumn spacer = a.column("spacer", ColumnType.I64);
        spacer.append(0);
        assertThat(inA.getLongs(0, 3)).containsExactly(1, 2, 3);
        assertThat(b.columns().deleteColumn("x")).isTrue();
        Throwable thrown = within(() -> catchThrowable(inA::length));
        assertThat(thrown).isInstanceOf(NotFoundException.class).hasMessageContaining("x");
        assertThat(a.columns().hasColumn("x")).isFalse();
        assertThat(a.columns().listColumns()).extracting(ColumnInfo::name).containsExactlyInAnyOrder("keep", "spacer");
        LongColumn again = b.column("x", ColumnType.I64);
        again.append(9);
        LongColumn reopened = within(() -> a.column("x", ColumnType.I64));
        assertThat(within(() -> new ArrayList<>(reopened))).containsExactly(9L);
    }

    /**
     * The other vault deletes a column and creates one of the same name (which may get the same
     * row id): this vault's old object must never show the old elements, nor loop forever, and
     * opening the name again gives the new column.
     */
    @Test
    void aColumnDeletedAndRemadeByTheOtherVault_isSeenAsTheNewColumn() throws Exception {
        Vault a = open(true);
        Vault b = open(true);
        LongColumn inA = a.column("x", ColumnType.I64);
        for (int i = 1; i <= 5; i++) {
            inA.append(i);
        }
        assertThat(inA.getLongs(0, 5)).containsExactly(1, 2, 3, 4, 5);
        assertThat(inA.getLong(4)).isEqualTo(5);
        b.columns().deleteColumn("x");
        LongColumn inB = b.column("x", ColumnType.I64);
        inB.append(42);

        LongColumn reopened = within(() -> a.column("x", ColumnType.I64));
        assertThat(within(() -> reopened.length()))
                .as("length of the remade column")
                .isEqualTo(1);
        assertThat(within(() -> reopened.getLongs(0, 1))).containsExactly(42);
        Throwable thrown = within(() -> catchThrowable(() -> {
            long length = inA.length();
            long[] values = inA.getLongs(0, length);
            assertThat(values).as("the old object").isIn(new long[] {42}, new long[0]);
        }));
        if (thrown != null) {
            assertThat(thrown).as("the old object").isInstanceOf(NotFoundException.class);
        }
    }

    @Test
    void close_flushesEveryColumn_evenWhenTheOtherVaultDeletedOneWithCachedAppends() {
        Vault a = open(true);
        Vault b = open(true);
        a.withCache(1 << 20, 1 << 20);
        List<String> names = List.of("d0", "d1", "d2", "keep", "d3", "d4", "d5", "d6");
        for (String name : names) {
            a.column(name, ColumnType.I64).extend(1, 2, 3);
        }
        a.flushCache();
        for (String name : names) {
            a.column(name, ColumnType.I64).extend(4, 5);
        }
        for (String name : names) {
            if (!name.equals("keep")) {
                b.columns().deleteColumn(name);
            }
        }
        catchThrowable(a::close); // the appends to deleted columns are lost; those to "keep" must not be
        assertThat(a.isClosed()).isTrue();
        assertThat(b.column("keep", ColumnType.I64)).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(b.columns().listColumns()).containsExactly(new ColumnInfo("keep", ColumnType.I64, 5));
    }

    @Test
    void readOnlyObserver_seesEveryWrite() {
        Vault writer = open(true);
        LongColumn column = writer.column("c", ColumnType.I64);
        column.extend(1, 2, 3);
        Vault reader = storage.builder(dir).readOnly(true).open();
        opened.add(reader);
        LongColumn seen = reader.column("c", ColumnType.I64);
        assertThat(seen.getLongs(0, 3)).containsExactly(1, 2, 3);
        column.add(0, 0L);
        assertThat(seen).containsExactly(0L, 1L, 2L, 3L);
        column.setLong(3, 30);
        assertThat(seen.getLong(3)).isEqualTo(30);
        column.remove(0);
        assertThat(seen.getLongs(0, 3)).containsExactly(1, 2, 30);
    }

    // ---- another process ------------------------------------------------------------------------

    /** The value the child appends at position {@code i}. */
    static long valueAt(long i) {
        return i * 7919 + 13;
    }

    /** The string the child appends at position {@code i}. */
    static String stringAt(long i) {
        return "s" + i + "-" + "é".repeat((int) (i % 5));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void readerInThisProcess_seesAConsistentPrefix_whileAChildProcessAppends() throws Exception {
        int total = 3000;
        Vault parent = open(true);
        LongColumn longs = parent.column("longs", ColumnType.I64);
        StringColumn strings = parent.column("strings", ColumnType.STRING);
        CompletableFuture<ChildJvm.Result> child = CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return ChildJvm.run(Appender.class, "128m", 100, storage.address(dir), Integer.toString(total));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                pool);
        long lastLength = 0;
        int reads = 0;
        while (!child.isDone() || lastLength < total) {
            long length = longs.length();
            assertThat(length).as("the length never shrinks").isGreaterThanOrEqualTo(lastLength);
            assertThat(length).isLessThanOrEqualTo(total);
            long[] values = longs.getLongs(0, length); // never more than it can read
            for (int i = 0; i < values.length; i++) {
                if (values[i] != valueAt(i)) {
                    throw new AssertionError("element " + i + " of " + length + " is " + values[i]
                            + ", a value the child never wrote there");
                }
            }
            if (length > 0) {
                assertThat(longs.getLong(length - 1)).isEqualTo(valueAt(length - 1));
                assertThat(longs.get((int) (length / 2))).isEqualTo(valueAt(length / 2));
            }
            long stringLength = strings.length();
            if (stringLength > 0) {
                long from = Math.max(0, stringLength - 20);
                List<String> tail = strings.getRange(from, stringLength);
                for (int i = 0; i < tail.size(); i++) {
                    assertThat(tail.get(i)).isEqualTo(stringAt(from + i));
                }
            }
            lastLength = length;
            reads++;
            if (child.isDone() && lastLength < total) {
                break;
            }
            Thread.sleep(2);
        }
        ChildJvm.Result result = child.get(100, TimeUnit.SECONDS);
        assertThat(result.output()).contains("appended=" + total);
        assertThat(result.exitCode()).isZero();
        assertThat(longs.length()).isEqualTo(total);
        assertThat(longs.getLongs(0, total))
                .containsExactly(LongStream.range(0, total).map(i -> valueAt(i)).toArray());
        assertThat(strings.length()).isEqualTo(total);
        assertThat(strings.getRange(0, total))
                .isEqualTo(LongStream.range(0, total)
                        .mapToObj(ColumnMultiInstanceTest::stringAt)
                        .toList());
        assertThat(reads).isPositive();
    }

    /**
     * A child process sets an element and appends one, then says so through a file; this process,
     * reading the column all the while, must see both at its next read after it learns of them:
     * "each sees what the others committed at its next operation", across processes too.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void readerInThisProcess_seesAChildProcesssWrite_atItsNextOperation() throws Exception {
        int rounds = 30;
        Vault parent = open(true);
        LongColumn column = parent.column("c", ColumnType.I64);
        column.extend(LongStream.range(0, 100).toArray());
        Path signals = java.nio.file.Files.createDirectory(dir.resolve("signals"));
        CompletableFuture<ChildJvm.Result> child = CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return ChildJvm.run(
                                Setter.class,
                                "128m",
                                100,
                                storage.address(dir),
                                signals.toString(),
                                Integer.toString(rounds));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                pool);
        List<String> missed = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            Path set = signals.resolve("set-" + round);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!java.nio.file.Files.exists(set)) { // keep reading, as a busy reader would
                column.getLong(5);
                column.length();
                if (child.isDone() || System.nanoTime() > deadline) {
                    throw new AssertionError("the child stopped before round " + round + ": "
                            + child.get().output());
                }
            }
            check(missed, "round " + round + ": getLong(5)", () -> column.getLong(5), 1000L + round);
            check(missed, "round " + round + ": length", column::length, 100L + round);
            java.nio.file.Files.createFile(signals.resolve("ack-" + round));
        }
        ChildJvm.Result result = child.get(100, TimeUnit.SECONDS);
        assertThat(result.output()).contains("rounds=" + rounds);
        assertThat(result.exitCode()).isZero();
        assertThat(missed)
                .as("reads right after the child's commit that did not see it")
                .isEmpty();
    }

    /** The child's side of the test above: a set and an append per round, each announced by a file. */
    public static final class Setter {
        private Setter() {}

        /**
         * @param args the vault's address (a file or a URL), the folder of signal files, the number of rounds
         */
        public static void main(String[] args) throws Exception {
            Path signals = Path.of(args[1]);
            int rounds = Integer.parseInt(args[2]);
            try (Vault vault = Vault.open(args[0])) {
                LongColumn column = vault.column("c", ColumnType.I64);
                for (int round = 1; round <= rounds; round++) {
                    column.setLong(5, 1000 + round);
                    column.append(round);
                    java.nio.file.Files.createFile(signals.resolve("set-" + round));
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (!java.nio.file.Files.exists(signals.resolve("ack-" + round))) {
                        if (System.nanoTime() > deadline) {
                            System.out.println("no ack for round " + round);
                            System.exit(2);
                        }
                        Thread.sleep(1);
                    }
                }
                System.out.println("rounds=" + rounds);
            }
        }
    }

    /** The child's side: appends to the columns in small batches, some through the write-back cache. */
    public static final class Appender {
        private Appender() {}

        /**
         * @param args the vault's address (a file or a URL), and how many elements to append to each column
         */
        public static void main(String[] args) {
            int total = Integer.parseInt(args[1]);
            try (Vault vault = Vault.builder(args[0]).columnChunkSizes(SMALL).open()) {
                LongColumn longs = vault.column("longs", ColumnType.I64);
                StringColumn strings = vault.column("strings", ColumnType.STRING);
                int i = 0;
                while (i < total) {
                    int batch = Math.min(total - i, 1 + i % 13);
                    long[] values = new long[batch];
                    List<String> texts = new ArrayList<>();
                    for (int k = 0; k < batch; k++) {
                        values[k] = valueAt(i + k);
                        texts.add(stringAt(i + k));
                    }
                    if (i % 5 == 0) {
                        for (long value : values) {
                            longs.append(value);
                        }
                    } else {
                        longs.extend(values);
                    }
                    strings.extend(texts);
                    i += batch;
                    if (i > total / 2 && !vault.columns().hasColumn("cached")) {
                        vault.column("cached", ColumnType.I64);
                        vault.columns().enableCache(4096, 512); // the second half goes through the cache
                    }
                }
                vault.flushCache();
                System.out.println("appended=" + longs.length());
            }
        }
    }
}
