package io.kohakuvault;

/**
 * How {@link VectorColumn#nearest} measures the distance between the query {@code q} and a stored
 * vector {@code v}: smaller is nearer, for every metric.
 */
public enum Metric {
    /**
     * 1 minus the cosine similarity, {@code 1 - (q·v) / (|q| |v|)}: from 0 (same direction) to 2
     * (opposite). A stored zero vector has no direction and gets 1 (as if orthogonal); a zero
     * query is refused.
     */
    COSINE,
    /** Euclidean distance, {@code sqrt(sum((q[i] - v[i])^2))}. */
    L2,
    /** Minus the dot product, {@code -(q·v)}: the largest dot product is nearest. */
    DOT
}
