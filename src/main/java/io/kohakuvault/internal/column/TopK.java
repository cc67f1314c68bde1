package io.kohakuvault.internal.column;

import io.kohakuvault.Neighbor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code k} nearest of the elements offered so far: a bounded max-heap on (distance, index),
 * whose root is the worst kept, so a new element costs one comparison unless it beats the root.
 * Distances order as {@link Float#compare} does (NaN after everything); equal distances by lower
 * index. Arrays grow as elements are kept, so a large {@code k} costs only what it holds. Not
 * thread-safe: one per scanning task.
 */
final class TopK {
    private final int k;
    private float[] distances;
    private long[] indices;
    private int size;

    TopK(int k) {
        this.k = k;
        int initial = Math.min(k, 64);
        this.distances = new float[initial];
        this.indices = new long[initial];
    }

    void offer(long index, float distance) {
        if (size < k) {
            if (size == distances.length) {
                int grown = (int) Math.min(k, 2L * size);
                distances = Arrays.copyOf(distances, grown);
                indices = Arrays.copyOf(indices, grown);
            }
            distances[size] = distance;
            indices[size] = index;
            up(size++);
        } else if (worse(distances[0], indices[0], distance, index)) {
            distances[0] = distance;
            indices[0] = index;
            down(0);
        }
    }

    /** @return the {@code k} nearest over all parts, nearest first */
    static List<Neighbor> merge(List<TopK> parts, int k) {
        List<Neighbor> all = new ArrayList<>();
        for (TopK part : parts) {
            for (int i = 0; i < part.size; i++) {
                all.add(new Neighbor(part.indices[i], part.distances[i]));
            }
        }
        all.sort(TopK::compare);
        return new ArrayList<>(all.subList(0, Math.min(k, all.size())));
    }

    private static int compare(Neighbor a, Neighbor b) {
        int byDistance = Float.compare(a.distance(), b.distance());
        return byDistance != 0 ? byDistance : Long.compare(a.index(), b.index());
    }

    /** @return whether (d1, i1) ranks after (d2, i2) */
    private static boolean worse(float d1, long i1, float d2, long i2) {
        int byDistance = Float.compare(d1, d2);
        return byDistance > 0 || (byDistance == 0 && i1 > i2);
    }

    private void up(int at) {
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            if (!worse(distances[at], indices[at], distances[parent], indices[parent])) {
                return;
            }
            swap(at, parent);
            at = parent;
        }
    }

    private void down(int at) {
        while (true) {
            int left = 2 * at + 1;
            if (left >= size) {
                return;
            }
            int right = left + 1;
            int worst = right < size && worse(distances[right], indices[right], distances[left], indices[left])
                    ? right
                    : left;
            if (!worse(distances[worst], indices[worst], distances[at], indices[at])) {
                return;
            }
            swap(at, worst);
            at = worst;
        }
    }

    private void swap(int a, int b) {
        float d = distances[a];
        distances[a] = distances[b];
        distances[b] = d;
        long i = indices[a];
        indices[a] = indices[b];
        indices[b] = i;
    }
}
