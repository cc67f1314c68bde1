package io.kohakuvault;

import static org.assertj.core.api.Assertions.assertThat;

import io.kohakuvault.internal.column.ChunkCache;
import io.kohakuvault.internal.column.ColumnCatalog;
import io.kohakuvault.internal.column.ColumnMeta;
import io.kohakuvault.internal.column.ColumnStore;
import io.kohakuvault.internal.db.ReadCache;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several processes on one file, each a real JVM. One writer and several readers: every reader,
 * read-only or not, sees a consistent prefix of the writer's transactions at every read (never a
 * torn value, never a column longer than its data, never a gap) and never fails or waits busy
 * while the writer works. Two writers interleaving on one file, each with its own keys and both
 * appending to one shared column they race to create: nothing of either is lost. And, found by
 * the readers, a column opened just as another connection commits sees that commit.
 */
class MultiProcessTest {
    static final int CHUNK_SIZE = 4096;
    static final ChunkSizes COLUMN_CHUNKS = ChunkSizes.of(64, 256);
    static final String SEQ = "seq";
    static final String SHARED = "shared";

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void readers_whileAWriterProcessCommits_seeAConsistentPrefixAndNeverFail() throws Exception {
        Path file = dir.resolve("shared.db");
        try (Vault vault = open(file, false)) {
            vault.column(SEQ, ColumnType.I64); // read-only readers cannot create it
            vault.kv().put("created", new byte[0]);
        }
        Path go = dir.resolve("go");
        List<ChildJvm.Running> children = new ArrayList<>();
        try {
            ChildJvm.Running writer =
                    ChildJvm.start(TransactionWriter.class, "128m", file.toString(), go.toString(), "2000", "300");
            children.add(writer);
            List<ChildJvm.Running> readers = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                readers.add(ChildJvm.start(
                        ConsistencyReader.class,
                        "128m",
                        file.toString(),
                        go.toString(),
                        Boolean.toString(r % 2 == 0),
                        "60000",
                        Long.toString(r)));
            }
            children.addAll(readers);
            ChildJvm.releaseTogether(children, go);

            assertThat(writer.awaitExit(Duration.ofSeconds(90)))
                    .as("writer:\n%s", writer.output())
                    .isZero();
            String wrote = writer.awaitLine("WROTE ", Duration.ofSeconds(1));
            long transactions = Long.parseLong(wrote.split(" ")[1]);
            assertThat(transactions).isGreaterThanOrEqualTo(300);
            for (ChildJvm.Running reader : readers) {
                int exit = reader.awaitExit(Duration.ofSeconds(90));
                assertThat(exit)
                        .as("reader %d exit code; its output:\n%s", reader.pid(), reader.output())
                        .isZero();
                String saw = reader.awaitLine("SAW ", Duration.ofSeconds(1));
                System.out.println("MultiProcessTest reader " + saw);
                // "SAW last=L length=N reads=R distinct=D"
                String[] parts = saw.split(" ");
                assertThat(parts[1]).as(saw).isEqualTo("last=" + (transactions - 1));
                assertThat(parts[2]).as(saw).isEqualTo("length=" + transactions);
                assertThat(Long.parseLong(parts[4].substring("distinct=".length())))
                        .as("the reader saw the writer progress: " + saw)
                        .isGreaterThanOrEqualTo(2);
            }
        } finally {
            for (ChildJvm.Running child : children) {
                child.close();
            }
        }
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void twoWriterProcesses_interleaving_loseNothing() throws Exception {
        Path file = dir.resolve("two.db");
        try (Vault vault = open(file, false)) {
            vault.checkpoint(); // a migrated file; the store and the shared column the writers race to create
        }
        Path go = dir.resolve("go");
        int count = 300;
        List<ChildJvm.Running> writers = new ArrayList<>();
        try {
            for (int id = 1; id <= 2; id++) {
                writers.add(ChildJvm.start(
                        InterleavingWriter.class,
                        "128m",
                        file.toString(),
                        go.toString(),
                        Integer.toString(id),
                        Integer.toString(count)));
            }
            ChildJvm.releaseTogether(writers, go);
            for (ChildJvm.Running writer : writers) {
                assertThat(writer.awaitExit(Duration.ofSeconds(120)))
                        .as("writer:\n%s", writer.output())
                        .isZero();
                assertThat(writer.stdoutLines()).contains("DONE " + count);
            }
        } finally {
            for (ChildJvm.Running writer : writers) {
                writer.close();
            }
        }
        try (Vault vault = open(file, true)) {
            KVault kv = vault.kv();
            assertThat(kv.size()).isEqualTo(2L * count);
            for (int id = 1; id <= 2; id++) {
                for (int i = 0; i < count; i++) {
                    assertThat(kv.get(InterleavingWriter.key(id, i)))
                            .as("writer %d key %d", id, i)
                            .isEqualTo(InterleavingWriter.value(id, i));
                }
            }
            LongColumn shared = vault.column(SHARED, ColumnType.I64);
            long[] all = shared.getLongs(0, shared.length());
            List<Long> expected = new ArrayList<>();
            for (int id = 1; id <= 2; id++) {
                for (int i = 0; i < count; i++) {
                    expected.add(InterleavingWriter.element(id, i));
                }
            }
            assertThat(Arrays.stream(all).boxed().toList())
                    .as("the shared column holds both writers' appends, once each")
                    .containsExactlyInAnyOrderElementsOf(expected);
            int switches = 0;
            for (int j = 1; j < all.length; j++) {
                switches += all[j] / InterleavingWriter.ID_FACTOR != all[j - 1] / InterleavingWriter.ID_FACTOR ? 1 : 0;
            }
            System.out.println(
                    "MultiProcessTest two writers: the shared column switches writer " + switches + " times");
            for (int id = 1; id <= 2; id++) {
                int writer = id;
                long[] own = Arrays.stream(all)
                        .filter(e -> e / InterleavingWriter.ID_FACTOR == writer)
                        .toArray();
                assertThat(own).as("writer %d's appends, in its order", id).isSorted();
            }
            String integrity = vault.database().withWriter(c -> c.pragma("PRAGMA integrity_check"));
            assertThat(integrity).isEqualTo("ok");
        }
    }

    @Test
    void columnOpened_whileAnotherVaultCommits_readsTheLengthCommitted() {
        // Regression: a column read its row, then took the commit watch's version; a commit in
        // between was in that version but not in the row, so the column kept the old length until
        // some later commit (a reader process saw last=130 but a column of 116).
        Path file = dir.resolve("open-race.db");
        try (Vault writer = open(file, false);
                Vault reader = open(file, false)) {
            LongColumn written = writer.column("c", ColumnType.I64);
            ColumnMeta row = ColumnCatalog.find(reader.database(), "c");
            assertThat(row).isNotNull();
            written.extend(1, 2, 3); // lands between the row's read and the column's creation
            ColumnStore store = new ColumnStore(reader.database(), new ChunkCache(new ReadCache(1 << 20)), row);
            assertThat(store.length()).isEqualTo(3);
        }
    }

    static Vault open(Path file, boolean readOnly) {
        return Vault.builder(file)
                .chunkSize(CHUNK_SIZE)
                .columnChunkSizes(COLUMN_CHUNKS)
                .readOnly(readOnly)
                .open();
    }

    /** The value of key {@code k<i>}: sometimes several chunks, always derived from {@code i}. */
    static byte[] valueOf(long i) {
        Random r = new Random(i * 31 + 7);
        byte[] b = new byte[i % 5 == 0 ? 5000 + r.nextInt(15_000) : 10 + r.nextInt(200)];
        r.nextBytes(b);
        return b;
    }

    static byte[] longBytes(long v) {
        return ByteBuffer.allocate(Long.BYTES).putLong(v).array();
    }

    /**
     * Commits transaction i = 0, 1, ...: appends i to column {@code seq}, puts {@code k<i>} and sets
     * {@code last} to i, for at least the given time and number of transactions, with a checkpoint
     * every 100; then puts {@code done} and prints {@code WROTE n}.
     */
    public static final class TransactionWriter {
        private TransactionWriter() {}

        /** @param args the file, the start signal, the least milliseconds, the least transactions */
        public static void main(String[] args) throws Exception {
            ChildJvm.awaitGo(Path.of(args[1]));
            long leastMillis = Long.parseLong(args[2]);
            long leastTransactions = Long.parseLong(args[3]);
            try (Vault vault = open(Path.of(args[0]), false)) {
                KVault kv = vault.kv();
                LongColumn seq = vault.column(SEQ, ColumnType.I64);
                long start = System.currentTimeMillis();
                long i = 0;
                for (; i < leastTransactions || System.currentTimeMillis() - start < leastMillis; i++) {
                    long n = i;
                    vault.transaction(() -> {
                        seq.append(n);
                        kv.put("k" + n, valueOf(n));
                        kv.put("last", longBytes(n));
                    });
                    if (i % 50 == 0) {
                        Thread.sleep(1); // let readers in from a quiet file, too
                    }
                    if (i % 100 == 99) {
                        vault.checkpoint(); // readers must also ride out the log being copied back and reset
                    }
                }
                kv.put("done", longBytes(i));
                System.out.println("WROTE " + i);
            }
        }
    }

    /**
     * Reads in a loop until it sees {@code done} (then once more) or its time is up, checking each
     * time that what it sees is a prefix of the writer's transactions; prints
     * {@code SAW last=L length=N reads=R distinct=D}, and exits 1 on a violation, 2 on an exception.
     */
    public static final class ConsistencyReader {
        private ConsistencyReader() {}

        /** @param args the file, the start signal, read-only or not, the most milliseconds, a seed */
        public static void main(String[] args) throws Exception {
            Path file = Path.of(args[0]);
            boolean readOnly = Boolean.parseBoolean(args[2]);
            long deadline = System.currentTimeMillis() + Long.parseLong(args[3]);
            Random random = new Random(Long.parseLong(args[4]));
            ChildJvm.awaitGo(Path.of(args[1]));
            List<String> violations = new ArrayList<>();
            long last = -1;
            long length = 0;
            long reads = 0;
            long distinct = 0;
            long keysChecked = 0; // k0 .. k(keysChecked - 1) were seen right
            try (Vault vault = open(file, readOnly)) {
                KVault kv = vault.kv();
                LongColumn seq = vault.column(SEQ, ColumnType.I64);
                boolean done = false;
                while (violations.isEmpty() && System.currentTimeMillis() < deadline) {
                    boolean finalRound = done;
                    byte[] lastBytes = kv.get("last");
                    long nowLast =
                            lastBytes == null ? -1 : ByteBuffer.wrap(lastBytes).getLong();
                    long nowLength = seq.length();
                    reads++;
                    if (nowLast < last || nowLength < length) {
                        violations.add("went back: last " + last + " -> " + nowLast + ", length " + length + " -> "
                                + nowLength);
                    }
                    if (nowLength < nowLast + 1) {
                        violations.add("column length " + nowLength + " read after last=" + nowLast);
                    }
                    if (nowLast != last) {
                        distinct++;
                    }
                    // The new elements, and a random window of the old ones.
                    long[] fresh = seq.getLongs(length, nowLength);
                    for (int j = 0; j < fresh.length; j++) {
                        if (fresh[j] != length + j) {
                            violations.add("seq[" + (length + j) + "] = " + fresh[j]);
                            break;
                        }
                    }
                    if (nowLength > 0) {
                        long from = random.nextLong(nowLength);
                        long to = Math.min(nowLength, from + 100);
                        long[] window = seq.getLongs(from, to);
                        for (int j = 0; j < window.length; j++) {
                            if (window[j] != from + j) {
                                violations.add("seq[" + (from + j) + "] = " + window[j] + " on a second read");
                                break;
                            }
                        }
                    }
                    last = nowLast;
                    length = nowLength;
                    // Every transaction below the column's length committed its key with it.
                    for (; keysChecked < length && violations.isEmpty(); keysChecked++) {
                        checkKey(kv, keysChecked, violations);
                    }
                    if (keysChecked > 0) {
                        checkKey(kv, random.nextLong(keysChecked), violations);
                    }
                    if (readOnly) {
                        // One snapshot: the column and "last" come from the same commit.
                        long[] snapshot = vault.transactionResult(() -> {
                            byte[] b = kv.get("last");
                            return new long[] {
                                b == null ? -1 : ByteBuffer.wrap(b).getLong(), seq.length()
                            };
                        });
                        if (snapshot[1] != snapshot[0] + 1) {
                            violations.add("one snapshot holds last=" + snapshot[0] + " and length " + snapshot[1]);
                        }
                    }
                    if (finalRound) {
                        break;
                    }
                    done = kv.exists("done");
                }
                if (seq.length() > 0 && violations.isEmpty()) {
                    long[] all = seq.getLongs(0, seq.length());
                    for (int j = 0; j < all.length; j++) {
                        if (all[j] != j) {
                            violations.add("at the end seq[" + j + "] = " + all[j]);
                            break;
                        }
                    }
                }
                if (!done && violations.isEmpty()) {
                    violations.add("never saw 'done' before the deadline");
                }
            } catch (RuntimeException e) {
                System.out.println("EXCEPTION after " + reads + " reads: " + e);
                e.printStackTrace(System.out);
                System.exit(2);
            }
            System.out.println("SAW last=" + last + " length=" + length + " reads=" + reads + " distinct=" + distinct);
            violations.forEach(v -> System.out.println("VIOLATION " + v));
            System.out.flush();
            System.exit(violations.isEmpty() ? 0 : 1);
        }

        private static void checkKey(KVault kv, long j, List<String> violations) {
            byte[] actual = kv.get("k" + j);
            if (!Arrays.equals(actual, valueOf(j))) {
                violations.add("k" + j + " holds " + (actual == null ? "nothing" : actual.length + " other bytes")
                        + ", not its " + valueOf(j).length + " bytes");
            }
        }
    }

    /**
     * Writes key {@code w<id>-<i>} and appends {@code id * ID_FACTOR + i} to the shared column, for
     * i below the count, three ways in turn: one transaction for both, two separate writes, a
     * streamed value and a one-element extend; then prints {@code DONE count}.
     */
    public static final class InterleavingWriter {
        static final long ID_FACTOR = 1_000_000;

        private InterleavingWriter() {}

        static String key(int id, int i) {
            return "w" + id + "-" + i;
        }

        static byte[] value(int id, int i) {
            return valueOf(id * ID_FACTOR + i);
        }

        static long element(int id, int i) {
            return id * ID_FACTOR + i;
        }

        /** @param args the file, the start signal, the writer's id, how many of each */
        public static void main(String[] args) throws Exception {
            ChildJvm.awaitGo(Path.of(args[1]));
            int id = Integer.parseInt(args[2]);
            int count = Integer.parseInt(args[3]);
            try (Vault vault = Vault.builder(Path.of(args[0]))
                    .chunkSize(CHUNK_SIZE)
                    .columnChunkSizes(COLUMN_CHUNKS)
                    .retries(40)
                    .backoffBase(Duration.ofMillis(2))
                    .open()) {
                KVault kv = vault.kv();
                LongColumn shared = vault.column(SHARED, ColumnType.I64);
                for (int i = 0; i < count; i++) {
                    int n = i;
                    if (i % 20 == 19) {
                        Thread.sleep(1); // give the other writer a turn at the lock now and then
                    }
                    switch (i % 3) {
                        case 0 ->
                            vault.transaction(() -> {
                                kv.put(key(id, n), value(id, n));
                                shared.append(element(id, n));
                            });
                        case 1 -> {
                            kv.put(key(id, n), value(id, n));
                            shared.append(element(id, n));
                        }
                        default -> {
                            kv.putFile(key(id, n), new ByteArrayInputStream(value(id, n)));
                            shared.extend(element(id, n));
                        }
                    }
                }
                System.out.println("DONE " + count);
            }
        }
    }
}
