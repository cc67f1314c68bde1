package io.kohakuvault;

/**
 * A column as {@link ColumnVault#listColumns()} lists it.
 *
 * @param name the column's name
 * @param type its element type
 * @param length its number of elements (appends still in the write-back cache included, for a
 *     column opened through this vault)
 */
public record ColumnInfo(String name, ColumnType<?> type, long length) {}
