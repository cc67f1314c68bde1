package io.kohakuvault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link VectorColumn#nearest} in bounded memory, proved in a child JVM whose 32 MiB heap is far
 * smaller than the 96 MiB column it searches: with a read cache far larger than the heap, the first
 * search must not put the chunks it reads into the cache (it would run out of heap), and repeated
 * searches with a small cache stay within the heap too.
 */
class VectorMemoryTest {
    private static final int DIMS = 384;
    private static final int VECTORS = 65_536;
    private static final int PLANTED = 40_000;

    @TempDir
    Path dir;

    @Test
    void nearest_overAColumnThreeTimesTheHeap_firstScanCachesNothing_andFitsInA32MiBHeap() throws Exception {
        Path file = dir.resolve("vectors.db");
        Random random = new Random(1);
        try (Vault vault = Vault.open(file)) {
            VectorColumn emb = vault.column("emb", ColumnType.vector(DIMS));
            for (int from = 0; from < VECTORS; from += 4096) {
                List<float[]> block = new ArrayList<>();
                for (int i = from; i < from + 4096; i++) {
                    block.add(i == PLANTED ? Probe.query() : randomVector(random));
                }
                emb.extend(block);
            }
        }
        ChildJvm.Result result = ChildJvm.run(Probe.class, "32m", 180, file.toString());
        assertThat(result.output())
                .contains("large-cache=" + PLANTED + " small-cache=" + PLANTED + "," + PLANTED + "," + PLANTED);
        assertThat(result.exitCode()).isZero();
    }

    private static float[] randomVector(Random random) {
        float[] v = new float[DIMS];
        for (int i = 0; i < DIMS; i++) {
            v[i] = random.nextFloat() * 2 - 1;
        }
        return v;
    }

    /** The child: searches the column with a 1 GiB read cache once, then with a 4 MiB one three times. */
    public static final class Probe {
        private Probe() {}

        static float[] query() {
            float[] q = new float[DIMS];
            for (int i = 0; i < DIMS; i++) {
                q[i] = (i % 7) - 3;
            }
            return q;
        }

        /** @param args the vault file */
        public static void main(String[] args) {
            Path file = Path.of(args[0]);
            StringBuilder out = new StringBuilder();
            try (Vault vault = Vault.builder(file).readCacheBytes(1L << 30).open()) {
                VectorColumn emb = vault.column("emb", ColumnType.vector(DIMS));
                out.append("large-cache=")
                        .append(emb.nearest(query(), 5, Metric.COSINE).get(0).index());
            }
            try (Vault vault = Vault.builder(file).readCacheBytes(4L << 20).open()) {
                VectorColumn emb = vault.column("emb", ColumnType.vector(DIMS));
                out.append(" small-cache=");
                for (int round = 0; round < 3; round++) {
                    out.append(round == 0 ? "" : ",")
                            .append(emb.nearest(query(), 5, Metric.L2).get(0).index());
                }
            }
            System.out.println(out);
        }
    }
}
