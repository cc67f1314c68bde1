package io.kohakuvault;

import static io.kohakuvault.VaultFixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Many threads on one Vault: no lost write, no torn value, no deadlock. */
class ConcurrencyTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void threads_writingAndReading_loseNothing(boolean cached) throws Exception {
        int threads = 8;
        int perThread = 300;
        try (Vault vault = Vault.open(dir.resolve("threads.db"))) {
            if (cached) {
                vault.withCache(1 << 20, 64 << 10);
            }
            KVault kv = vault.kv();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            AtomicLong reads = new AtomicLong();
            for (int t = 0; t < threads; t++) {
                int id = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        String key = "t" + id + ":" + i;
                        byte[] value = bytes(50 + (i % 7) * 1000, id * 100_000L + i);
                        if (i % 50 == 0) {
                            vault.transaction(() -> {
                                kv.put(key, value);
                                kv.put(key + ":tx", value);
                            });
                        } else {
                            kv.put(key, value);
                        }
                        assertThat(kv.get(key)).isEqualTo(value);
                        // read another thread's keys: either absent or whole
                        byte[] other = kv.get("t" + ((id + 1) % threads) + ":" + i);
                        if (other != null) {
                            assertThat(other).isEqualTo(bytes(other.length, ((id + 1) % threads) * 100_000L + i));
                            reads.incrementAndGet();
                        }
                        if (i % 3 == 0) {
                            kv.delete(key + ":gone");
                        }
                    }
                }));
            }
            pool.shutdown();
            for (Future<?> f : done) {
                f.get(50, TimeUnit.SECONDS);
            }
            vault.flushCache();
            for (int t = 0; t < threads; t++) {
                for (int i = 0; i < perThread; i++) {
                    assertThat(kv.get("t" + t + ":" + i)).isEqualTo(bytes(50 + (i % 7) * 1000, t * 100_000L + i));
                }
            }
            assertThat(kv.size()).isEqualTo(threads * perThread + threads * (perThread / 50));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void readers_keepReading_whileWriterStreamsLargeValues() throws Exception {
        try (Vault vault = Vault.builder(dir.resolve("rw.db")).chunkSize(4096).open()) {
            KVault kv = vault.kv();
            byte[] stable = bytes(20_000, 1);
            kv.put("stable", stable);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            // The writer starts once every reader runs, so that each reads while it writes.
            CountDownLatch readersStarted = new CountDownLatch(3);
            Future<?> writer = pool.submit(() -> {
                readersStarted.await();
                for (int i = 0; i < 40; i++) {
                    kv.put("moving", bytes(100_000, i));
                }
                return null;
            });
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                readers.add(pool.submit(() -> {
                    int n = 0;
                    readersStarted.countDown();
                    while (!writer.isDone()) {
                        assertThat(kv.get("stable")).isEqualTo(stable);
                        byte[] moving = kv.get("moving");
                        if (moving != null) {
                            assertThat(moving).hasSize(100_000);
                        }
                        n++;
                    }
                    return n;
                }));
            }
            writer.get(50, TimeUnit.SECONDS);
            for (Future<Integer> r : readers) {
                assertThat(r.get(10, TimeUnit.SECONDS)).isPositive();
            }
            pool.shutdown();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void firstOpen_byManyVaultsAtOnce_allSucceedAndMigrateOnce() throws Exception {
        // Regression: the others failed busy while one switched the new file to WAL or migrated it.
        for (int round = 0; round < 10; round++) {
            Path file = dir.resolve("first-" + round + ".db");
            ExecutorService pool = Executors.newFixedThreadPool(4);
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<Future<?>> opened = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String key = "t" + t;
                opened.add(pool.submit(() -> {
                    go.await();
                    try (Vault vault = Vault.open(file)) {
                        vault.kv().put(key, bytes(10, 1));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : opened) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            try (Vault vault = Vault.open(file)) {
                assertThat(vault.kv().keys()).containsExactly("t0", "t1", "t2", "t3");
            }
        }
    }
}
