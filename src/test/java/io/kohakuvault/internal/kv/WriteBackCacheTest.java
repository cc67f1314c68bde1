package io.kohakuvault.internal.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The cache's bookkeeping: snapshots, forgetting in any order, thresholds. */
class WriteBackCacheTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void snapshot_keepsLatestWriteOfEachKey_inKeyOrder() {
        WriteBackCache cache = new WriteBackCache(1 << 20, 1 << 20);
        cache.add(new WriteBackCache.Pending(b("b"), b("1")));
        cache.add(new WriteBackCache.Pending(b("a"), b("1")));
        cache.add(new WriteBackCache.Pending(b("b"), b("2")));
        cache.add(new WriteBackCache.Pending(b("c"), null));
        var writes = cache.snapshot().writes();
        assertThat(writes)
                .extracting(p -> new String(p.key(), StandardCharsets.UTF_8))
                .containsExactly("a", "b", "c");
        assertThat(writes.get(1).value()).isEqualTo(b("2"));
        assertThat(writes.get(2).value()).isNull();
    }

    @Test
    void forget_keepsWritesThatArrivedDuringTheFlush() {
        WriteBackCache cache = new WriteBackCache(1 << 20, 1 << 20);
        cache.add(new WriteBackCache.Pending(b("a"), b("1")));
        WriteBackCache.Snapshot first = cache.snapshot();
        cache.add(new WriteBackCache.Pending(b("a"), b("2")));
        cache.add(new WriteBackCache.Pending(b("b"), b("1")));
        cache.forget(first);
        assertThat(cache.get(b("a")).value()).isEqualTo(b("2"));
        assertThat(cache.snapshot().writes()).hasSize(2);
    }

    @Test
    void forget_ofAnOlderSnapshotAfterANewerOne_dropsNothingMore() {
        // Regression: two flushes raced; the newer was forgotten first and the older one crashed.
        WriteBackCache cache = new WriteBackCache(1 << 20, 1 << 20);
        cache.add(new WriteBackCache.Pending(b("a"), b("1")));
        WriteBackCache.Snapshot older = cache.snapshot();
        cache.add(new WriteBackCache.Pending(b("b"), b("1")));
        WriteBackCache.Snapshot newer = cache.snapshot();
        cache.add(new WriteBackCache.Pending(b("c"), b("1")));
        cache.forget(newer);
        cache.forget(older);
        assertThat(cache.get(b("a"))).isNull();
        assertThat(cache.get(b("b"))).isNull();
        assertThat(cache.get(b("c")).value()).isEqualTo(b("1"));
        assertThat(cache.isEmpty()).isFalse();
    }

    @Test
    void add_reportsThresholdAndRefusesPastCapacity() {
        WriteBackCache cache = new WriteBackCache(300, 200);
        assertThat(cache.add(new WriteBackCache.Pending(b("a"), new byte[50])))
                .isEqualTo(WriteBackCache.Added.BELOW_THRESHOLD);
        assertThat(cache.add(new WriteBackCache.Pending(b("b"), new byte[100])))
                .isEqualTo(WriteBackCache.Added.THRESHOLD_REACHED);
        assertThat(cache.add(new WriteBackCache.Pending(b("c"), new byte[100]))).isEqualTo(WriteBackCache.Added.FULL);
        assertThat(cache.get(b("c"))).isNull();
        cache.forget(cache.snapshot());
        assertThat(cache.isEmpty()).isTrue();
        assertThat(cache.add(new WriteBackCache.Pending(b("c"), new byte[100])))
                .isEqualTo(WriteBackCache.Added.BELOW_THRESHOLD);
    }
}
