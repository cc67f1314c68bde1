package io.kohakuvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link VectorColumn} and its nearest-neighbour search through the public API on real files. */
class VectorColumnTest extends VaultTestBase {
    private static final int DIMS = 8;

    private Vault open(long readCacheBytes) {
        vault = Vault.builder(dir.resolve("vectors.db"))
                .readCacheBytes(readCacheBytes)
                .columnChunkSizes(ChunkSizes.of(256, 1024))
                .open();
        return vault;
    }

    private static float[] vector(Random random) {
        float[] v = new float[DIMS];
        for (int i = 0; i < DIMS; i++) {
            v[i] = random.nextFloat() * 2 - 1;
        }
        return v;
    }

    private static List<float[]> vectors(int n, long seed) {
        Random random = new Random(seed);
        List<float[]> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(vector(random));
        }
        return all;
    }

    /** The reference: every distance in double precision, sorted, ties by index. */
    private static List<Long> bruteForce(List<float[]> all, float[] q, int k, Metric metric) {
        List<long[]> order = new ArrayList<>();
        List<Double> distances = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            float[] v = all.get(i);
            double dot = 0;
            double l2 = 0;
            double nv = 0;
            double nq = 0;
            for (int d = 0; d < DIMS; d++) {
                dot += v[d] * q[d];
                l2 += (v[d] - q[d]) * (v[d] - q[d]);
                nv += v[d] * v[d];
                nq += q[d] * q[d];
            }
            distances.add(
                    switch (metric) {
                        case DOT -> -dot;
                        case L2 -> Math.sqrt(l2);
                        case COSINE -> 1 - dot / Math.sqrt(nv * nq);
                    });
            order.add(new long[] {i});
        }
        order.sort(Comparator.comparingDouble((long[] o) -> distances.get((int) o[0]))
                .thenComparingLong(o -> o[0]));
        return order.stream().limit(k).map(o -> o[0]).toList();
    }

    @Test
    void appendAndGet_thenReopen_vectorsSurvive() {
        VectorColumn emb = open(1 << 20).column("emb", ColumnType.vector(DIMS));
        List<float[]> all = vectors(300, 1);
        emb.extend(all);
        emb.setVector(5, all.get(6));
        assertThat(emb.dimensions()).isEqualTo(DIMS);
        assertThat(emb.type().dtype()).isEqualTo("vec:f32:8");
        vault.close();
        vault = Vault.open(dir.resolve("vectors.db"));
        VectorColumn back = (VectorColumn) vault.columns().column("emb");
        assertThat(back.length()).isEqualTo(300);
        assertThat(back.getVector(5)).containsExactly(all.get(6));
        assertThat(back.getVector(299)).containsExactly(all.get(299));
        assertThat(back.getVectors(10, 13)).containsExactly(all.get(10), all.get(11), all.get(12));
        assertThat(back.get(7)).containsExactly(all.get(7));
        assertThat(back.indexOf(all.get(200))).isEqualTo(200);
    }

    @ParameterizedTest(name = "read cache {0}")
    @ValueSource(longs = {0, 1 << 20})
    void nearest_everyMetric_matchesBruteForce(long readCacheBytes) {
        VectorColumn emb = open(readCacheBytes).column("emb", ColumnType.vector(DIMS));
        List<float[]> all = vectors(1000, 2);
        emb.extend(all);
        float[] q = vector(new Random(3));
        for (Metric metric : Metric.values()) {
            for (int round = 0; round < 3; round++) { // again: from the cache once chunks are kept
                List<Neighbor> hits = emb.nearest(q, 10, metric);
                assertThat(hits)
                        .extracting(Neighbor::index)
                        .as(metric.name())
                        .containsExactlyElementsOf(bruteForce(all, q, 10, metric));
            }
        }
    }

    @Test
    void nearest_distances_followTheDefinitions() {
        VectorColumn emb = open(1 << 20).column("emb", ColumnType.vector(2));
        emb.append(new float[] {3, 4});
        emb.append(new float[] {0, 0});
        float[] q = {1, 0};
        assertThat(emb.nearest(q, 2, Metric.L2))
                .containsExactly(new Neighbor(1, 1f), new Neighbor(0, (float) Math.sqrt(20)));
        assertThat(emb.nearest(q, 2, Metric.DOT)).containsExactly(new Neighbor(0, -3f), new Neighbor(1, -0f));
        assertThat(emb.nearest(q, 2, Metric.COSINE)).containsExactly(new Neighbor(0, 1 - 0.6f), new Neighbor(1, 1f));
    }

    @Test
    void nearest_tiesAndLargeK_returnAllByLowerIndex() {
        VectorColumn emb = open(1 << 20).column("emb", ColumnType.vector(DIMS));
        float[] same = vector(new Random(4));
        for (int i = 0; i < 200; i++) {
            emb.append(same);
        }
        List<Neighbor> hits = emb.nearest(same, 1000, Metric.L2);
        assertThat(hits).hasSize(200);
        assertThat(hits).extracting(Neighbor::index).isSorted();
        assertThat(emb.nearest(same, 3, Metric.L2)).extracting(Neighbor::index).containsExactly(0L, 1L, 2L);
    }

    @Test
    void nearest_inMemoryVault_matchesBruteForce() {
        vault = Vault.open(":memory:");
        VectorColumn emb = vault.columns().column("emb", ColumnType.vector(DIMS), ChunkSizes.of(256, 1024));
        List<float[]> all = vectors(500, 9);
        emb.extend(all);
        float[] q = vector(new Random(10));
        assertThat(emb.nearest(q, 7, Metric.DOT))
                .extracting(Neighbor::index)
                .containsExactlyElementsOf(bruteForce(all, q, 7, Metric.DOT));
    }

    @Test
    void nearest_emptyColumn_returnsNothing() {
        VectorColumn emb = open(1 << 20).column("emb", ColumnType.vector(DIMS));
        assertThat(emb.nearest(new float[DIMS], 5, Metric.L2)).isEmpty();
    }

    @ParameterizedTest(name = "cache {0}")
    @ValueSource(booleans = {false, true})
    void nearest_insideTransaction_seesOwnAppends_andRollbackForgetsThem(boolean cached) {
        open(1 << 20);
        if (cached) {
            vault.withCache(1 << 20, 1 << 19);
        }
        VectorColumn emb = vault.column("emb", ColumnType.vector(DIMS));
        emb.extend(vectors(100, 5));
        float[] q = vector(new Random(6));
        assertThatThrownBy(() -> vault.transaction(() -> {
                    emb.append(q);
                    assertThat(emb.nearest(q, 1, Metric.L2)).containsExactly(new Neighbor(100, 0f));
                    throw new IllegalStateException("boom");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(emb.nearest(q, 1, Metric.L2).get(0).index()).isLessThan(100);
        emb.append(q); // pending in the write-back cache when cached
        assertThat(emb.nearest(q, 1, Metric.L2)).containsExactly(new Neighbor(100, 0f));
    }

    @Test
    void nearest_otherVaultAppended_seesItsCommit() {
        VectorColumn emb = open(1 << 20).column("emb", ColumnType.vector(DIMS));
        emb.extend(vectors(50, 7));
        float[] q = vector(new Random(8));
        emb.nearest(q, 3, Metric.COSINE);
        try (Vault other = Vault.open(dir.resolve("vectors.db"))) {
            VectorColumn theirs = other.column("emb", ColumnType.vector(DIMS));
            theirs.setVector(10, q);
        }
        assertThat(emb.nearest(q, 1, Metric.COSINE).get(0).index()).isEqualTo(10);
    }

    @Test
    void append_wrongLength_throwsNamingColumnAndBothLengths() {
        VectorColumn emb = open(1 << 20).column("emb", ColumnType.vector(DIMS));
        assertThatThrownBy(() -> emb.append(new float[3]))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("'emb'")
                .hasMessageContaining("8")
                .hasMessageContaining("3");
        assertThatThrownBy(() -> emb.nearest(new float[9], 1, Metric.L2))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("9");
        assertThatThrownBy(() -> emb.extend(List.of(new float[DIMS], new float[2])))
                .isInstanceOf(InvalidArgumentException.class);
        assertThat(emb.length()).isZero();
    }

    @Test
    void append_nonFinite_throwsInvalidArgumentNamingComponent() {
        VectorColumn emb = open(1 << 20).column("emb", ColumnType.vector(DIMS));
        float[] v = new float[DIMS];
        v[4] = Float.NaN;
        assertThatThrownBy(() -> emb.append(v))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("component 4")
                .hasMessageContaining("NaN");
        v[4] = Float.POSITIVE_INFINITY;
        assertThatThrownBy(() -> emb.nearest(v, 1, Metric.DOT)).isInstanceOf(InvalidArgumentException.class);
        assertThat(emb).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Metric.class)
    void nearest_badArguments_throwInvalidArgument(Metric metric) {
        VectorColumn emb = open(1 << 20).column("emb", ColumnType.vector(DIMS));
        emb.append(new float[DIMS]);
        assertThatThrownBy(() -> emb.nearest(vector(new Random(1)), 0, metric))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> emb.nearest(null, 1, metric)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> emb.nearest(vector(new Random(1)), 1, null))
                .isInstanceOf(InvalidArgumentException.class);
        if (metric == Metric.COSINE) {
            assertThatThrownBy(() -> emb.nearest(new float[DIMS], 1, metric))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("zero");
        }
    }

    @Test
    void column_otherDimension_isRefused() {
        open(1 << 20).column("emb", ColumnType.vector(DIMS));
        assertThatThrownBy(() -> vault.column("emb", ColumnType.vector(4)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("vec:f32:8");
    }
}
