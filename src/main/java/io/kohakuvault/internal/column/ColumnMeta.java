package io.kohakuvault.internal.column;

/**
 * One row of {@code vault_column}: a column's identity and how it is stored.
 *
 * @param id the column's id, which its chunk rows carry
 * @param name its name
 * @param dtype its element type, as a dtype string ({@code "i64"}, {@code "bytes:32"}, ...)
 * @param elementSize bytes per element, or 0 for variable-size elements
 * @param length elements committed
 * @param minChunkBytes capacity of its first chunk, in bytes
 * @param maxChunkBytes capacity its chunks grow to, in bytes
 * @param revision how many writes have committed to it
 */
public record ColumnMeta(
        int id,
        String name,
        String dtype,
        int elementSize,
        long length,
        int minChunkBytes,
        int maxChunkBytes,
        long revision) {}
