package io.kohakuvault;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Eight threads share one {@link Vault} for a few seconds, mixing key-value puts, deletes and gets
 * on their own and shared keys, streamed values, appends to a shared column and to their own,
 * and transactions (some of which the block aborts on purpose). Each thread keeps a model of what
 * was acknowledged. Afterwards, and again after close and reopen, every acknowledged write is
 * there: each own key holds its last acknowledged value, each own column exactly its appends, the
 * shared column as many elements as were acknowledged, each thread's in its own order; no value
 * read was ever torn or another key's; no exception but the block's own. A deadlock fails the
 * test with a thread dump instead of hanging it. Run with the write-back cache off and on. Also
 * the regression test of the stale column read that the model run found.
 */
class ThreadModelTest extends VaultTestBase {
    private static final int THREADS = 8;
    private static final long RUN_MILLIS = 2_500;
    private static final long JOIN_MILLIS = 60_000;
    private static final int OWN_KEYS = 6;
    private static final int SHARED_KEYS = 4;
    private static final int CHUNK = 4096;

    /** Thrown by a transaction block on purpose, to roll it back. */
    private static final class Abort extends RuntimeException {
        Abort() {
            super("abort on purpose", null, false, false);
        }
    }

    /** What one thread had acknowledged. */
    private static final class Model {
        final Map<String, byte[]> own = new HashMap<>();
        final List<Long> ownColumn = new ArrayList<>();
        long sharedAppends;
        long operations;
    }

    /** A value that says who wrote it and proves it is whole: 16 bytes of header, then bytes derived from it. */
    private static byte[] value(int thread, long seq, int length) {
        byte[] v = new byte[Math.max(16, length)];
        ByteBuffer.wrap(v).putLong(thread).putLong(seq);
        Random r = new Random(thread * 1_000_003L + seq);
        for (int i = 16; i < v.length; i++) {
            v[i] = (byte) r.nextInt();
        }
        return v;
    }

    private static void assertWhole(byte[] v, String what) {
        assertThat(v.length).as(what).isGreaterThanOrEqualTo(16);
        ByteBuffer b = ByteBuffer.wrap(v);
        int thread = (int) b.getLong();
        long seq = b.getLong();
        assertThat(v)
                .as("%s: a whole value of thread %d, write %d", what, thread, seq)
                .isEqualTo(value(thread, seq, v.length));
    }

    @ParameterizedTest(name = "cache {0}")
    @ValueSource(booleans = {false, true})
    void eightThreads_mixingReadsAndWrites_loseNoAcknowledgedWrite(boolean cached) throws Exception {
        vault = Vault.builder(dir.resolve("threads.db")).chunkSize(CHUNK).open();
        if (cached) {
            vault.withCache(1 << 20, 64 << 10);
        }
        Model[] models = new Model[THREADS];
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        long deadline = System.nanoTime() + RUN_MILLIS * 1_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            models[t] = new Model();
            Thread thread = new Thread(
                    () -> {
                        try {
                            work(id, models[id], deadline, stop);
                        } catch (Throwable e) {
                            failures.add(e);
                            stop.set(true);
                        }
                    },
                    "model-" + t);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        long joinBy = System.nanoTime() + JOIN_MILLIS * 1_000_000L;
        for (Thread thread : threads) {
            thread.join(Math.max(1, (joinBy - System.nanoTime()) / 1_000_000));
            if (thread.isAlive()) {
                stop.set(true);
                throw new AssertionError("deadlock? " + thread.getName() + " still running after " + JOIN_MILLIS
                        + " ms\n" + threadDump());
            }
        }
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError("a thread failed: " + failures.peek(), failures.peek());
            failures.stream().skip(1).forEach(error::addSuppressed);
            throw error;
        }
        for (Model m : models) {
            assertThat(m.operations).isPositive();
        }
        verify(models);
        vault.close();
        vault = Vault.builder(dir.resolve("threads.db")).chunkSize(CHUNK).open();
        verify(models);
    }

    /**
     * Regression: a read of a column while another thread flushed its cached appends returned the
     * state from before the calling thread's own committed transaction (one element short), because
     * reads skipped the check of the file while a write was in flight.
     */
    @org.junit.jupiter.api.Test
    void columnRead_duringAnotherThreadsFlush_seesTheCallersCommittedTransaction() throws Exception {
        vault = Vault.builder(dir.resolve("flush.db")).open();
        vault.withCache(256L << 20, 128L << 20);
        LongColumn c = vault.column("c", ColumnType.I64);
        vault.transaction(() -> c.append(-1));
        long[] many = java.util.stream.LongStream.range(0, 4_000_000).toArray();
        c.extend(many); // cached: the read below is the first since the transaction committed
        Thread flusher = new Thread(vault::flushCache, "flusher");
        flusher.start();
        Thread.sleep(100); // most likely inside the flush by now; if not, the read below is right anyway
        assertThat(c.length()).isEqualTo(1 + many.length);
        flusher.join(60_000);
        assertThat(flusher.isAlive()).isFalse();
        assertThat(c.length()).isEqualTo(1 + many.length);
        assertThat(c.getLong(0)).isEqualTo(-1);
        assertThat(c.getLong(many.length)).isEqualTo(many.length - 1);
    }

    /**
     * Reads of a column racing with another thread's flushes of its cached appends: every element
     * read must be the one at that index (the values are their indices), whatever the length seen.
     */
    @org.junit.jupiter.api.Test
    void columnReads_racingWithFlushes_neverSeeAnElementAtTheWrongIndex() throws Exception {
        vault = Vault.builder(dir.resolve("race.db")).readCacheBytes(0).open();
        vault.withCache(64L << 20, 32L << 20);
        LongColumn c = vault.column("c", ColumnType.I64);
        AtomicBoolean done = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        Thread writer = new Thread(
                () -> {
                    try {
                        long next = 0;
                        for (int round = 0; round < 300; round++) {
                            long[] batch = new long[500];
                            for (int i = 0; i < batch.length; i++) {
                                batch[i] = next++;
                            }
                            c.extend(batch);
                            vault.columns().flushCache();
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    } finally {
                        done.set(true);
                    }
                },
                "flusher");
        Thread reader = new Thread(
                () -> {
                    Random random = new Random(5);
                    try {
                        while (!done.get()) {
                            long n = c.length();
                            if (n > 0) {
                                long i = n - 1 - random.nextInt((int) Math.min(n, 600));
                                assertThat(c.getLong(i))
                                        .as("element %d of %d", i, n)
                                        .isEqualTo(i);
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                },
                "reader");
        writer.start();
        reader.start();
        writer.join(JOIN_MILLIS);
        reader.join(JOIN_MILLIS);
        assertThat(writer.isAlive() || reader.isAlive())
                .as("finished\n%s", threadDump())
                .isFalse();
        assertThat(failures).isEmpty();
        assertThat(c.length()).isEqualTo(300 * 500);
    }

    private void work(int id, Model m, long deadline, AtomicBoolean stop) throws IOException {
        Random random = new Random(id);
        KVault kv = vault.kv();
        LongColumn shared = vault.column("shared", ColumnType.I64);
        LongColumn own = vault.column("own-" + id, ColumnType.I64);
        long seq = 0;
        while (!stop.get() && System.nanoTime() < deadline) {
            m.operations++;
            seq++;
            String ownKey = "t" + id + ":k" + random.nextInt(OWN_KEYS);
            int op = random.nextInt(100);
            if (op < 20) {
                byte[] v = value(id, seq, 16 + random.nextInt(200));
                kv.put(ownKey, v);
                m.own.put(ownKey, v);
            } else if (op < 27) {
                boolean existed = kv.delete(ownKey);
                assertThat(existed).as("delete %s", ownKey).isEqualTo(m.own.remove(ownKey) != null);
            } else if (op < 40) {
                assertThat(kv.get(ownKey)).as("get %s", ownKey).isEqualTo(m.own.get(ownKey));
            } else if (op < 47) {
                kv.put("shared:" + random.nextInt(SHARED_KEYS), value(id, seq, 16 + random.nextInt(3 * CHUNK)));
            } else if (op < 55) {
                byte[] v = kv.get("shared:" + random.nextInt(SHARED_KEYS));
                if (v != null) {
                    assertWhole(v, "shared key");
                }
            } else if (op < 60) {
                String big = "t" + id + ":big";
                byte[] v = value(id, seq, 2 * CHUNK + random.nextInt(3 * CHUNK));
                kv.putFile(big, new ByteArrayInputStream(v));
                m.own.put(big, v);
            } else if (op < 65) {
                String big = "t" + id + ":big";
                byte[] expected = m.own.get(big);
                if (expected != null) {
                    try (InputStream in = kv.openStream(big)) {
                        assertThat(in.readAllBytes()).as("stream %s", big).isEqualTo(expected);
                    }
                }
            } else if (op < 80) {
                shared.append(((long) id << 32) | m.sharedAppends);
                m.sharedAppends++;
            } else if (op < 88) {
                own.append(seq);
                m.ownColumn.add(seq);
                if (random.nextInt(4) == 0) {
                    int n = m.ownColumn.size();
                    assertThat(own.getLong(n - 1)).isEqualTo(seq);
                    assertThat(own.length()).isEqualTo(n);
                }
            } else if (op < 92) {
                long length = shared.length();
                if (length > 0) {
                    long x = shared.getLong(random.nextLong(length));
                    assertThat(x >>> 32).as("thread of a shared element").isLessThan(THREADS);
                }
            } else {
                transaction(id, m, seq, random, kv, shared, own, ownKey);
            }
        }
    }

    private void transaction(
            int id, Model m, long seq, Random random, KVault kv, LongColumn shared, LongColumn own, String ownKey) {
        byte[] v = value(id, seq, 16 + random.nextInt(2 * CHUNK));
        boolean abort = random.nextInt(4) == 0;
        long sharedValue = ((long) id << 32) | m.sharedAppends;
        try {
            vault.transaction(() -> {
                kv.put(ownKey, v);
                shared.append(sharedValue);
                own.append(seq);
                assertThat(kv.get(ownKey)).isEqualTo(v);
                if (abort) {
                    throw new Abort();
                }
            });
            assertThat(abort)
                    .as("the transaction committed, so it was not aborted")
                    .isFalse();
            m.own.put(ownKey, v);
            m.sharedAppends++;
            m.ownColumn.add(seq);
        } catch (Abort expected) {
            assertThat(abort).isTrue();
            assertThat(kv.get(ownKey)).isEqualTo(m.own.get(ownKey));
            assertThat(own.length()).isEqualTo(m.ownColumn.size());
        }
    }

    private void verify(Model[] models) {
        KVault kv = vault.kv();
        LongColumn shared = vault.column("shared", ColumnType.I64);
        long total = 0;
        for (int t = 0; t < THREADS; t++) {
            Model m = models[t];
            for (int k = 0; k < OWN_KEYS; k++) {
                String key = "t" + t + ":k" + k;
                assertThat(kv.get(key)).as(key).isEqualTo(m.own.get(key));
            }
            assertThat(kv.get("t" + t + ":big")).isEqualTo(m.own.get("t" + t + ":big"));
            LongColumn own = vault.column("own-" + t, ColumnType.I64);
            assertThat(own.getLongs(0, own.length()))
                    .as("own column of thread %d", t)
                    .containsExactly(
                            m.ownColumn.stream().mapToLong(Long::longValue).toArray());
            total += m.sharedAppends;
        }
        for (int k = 0; k < SHARED_KEYS; k++) {
            byte[] v = kv.get("shared:" + k);
            if (v != null) {
                assertWhole(v, "shared:" + k);
            }
        }
        assertThat(shared.length()).as("shared column length").isEqualTo(total);
        long[] all = shared.getLongs(0, shared.length());
        long[] next = new long[THREADS];
        for (long x : all) {
            int thread = (int) (x >>> 32);
            assertThat(thread).isBetween(0, THREADS - 1);
            assertThat(x & 0xffffffffL)
                    .as("next shared append of thread %d", thread)
                    .isEqualTo(next[thread]);
            next[thread]++;
        }
        for (int t = 0; t < THREADS; t++) {
            assertThat(next[t]).isEqualTo(models[t].sharedAppends);
        }
        assertThat(Arrays.stream(all).count()).isEqualTo(total);
    }

    private static String threadDump() {
        StringBuilder dump = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            dump.append('"')
                    .append(thread.getName())
                    .append("\" ")
                    .append(thread.getState())
                    .append('\n');
            for (StackTraceElement frame : stack) {
                dump.append("    at ").append(frame).append('\n');
            }
        });
        return dump.toString();
    }
}
