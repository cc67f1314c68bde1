package io.kohakuvault;

/**
 * One result of {@link VectorColumn#nearest}: which element, and how far it is from the query.
 *
 * @param index the element's index in the column
 * @param distance its distance from the query under the metric asked for; smaller is nearer
 */
public record Neighbor(long index, float distance) {}
