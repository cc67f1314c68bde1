package io.kohakuvault.internal.column;

import io.kohakuvault.internal.db.Database;
import io.kohakuvault.internal.db.VaultConnection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The columns a vault file holds: finding, creating, listing and deleting their rows. */
public final class ColumnCatalog {
    private ColumnCatalog() {}

    /**
     * A column's name, type and length, as listed.
     *
     * @param name the column
     * @param dtype its dtype string
     * @param length its committed length
     */
    public record Listed(String name, String dtype, long length) {}

    /**
     * @param db the vault
     * @param name a column name
     * @return the column's row, or null when there is no such column
     */
    public static @Nullable ColumnMeta find(Database db, String name) {
        return db.read(c -> find(c, name), () -> "find column '" + name + "'");
    }

    /**
     * Creates a column, unless one of that name exists.
     *
     * @param db the vault
     * @param template the new column's name, dtype, element size and chunk sizes
     * @return the new column's row, or null when the name was taken
     */
    public static @Nullable ColumnMeta create(Database db, ColumnMeta template) {
        return db.transaction(
                c -> {
                    if (find(c, template.name()) != null) {
                        return null;
                    }
                    insert(c, template);
                    return find(c, template.name());
                },
                () -> "create column '" + template.name() + "'");
    }

    /** @return every column, by name */
    public static List<Listed> list(Database db) {
        return db.read(
                c -> {
                    List<Listed> all = new ArrayList<>();
                    try (ResultSet rows = c.prepared(ColumnSql.LIST).executeQuery()) {
                        while (rows.next()) {
                            all.add(new Listed(rows.getString(1), rows.getString(2), rows.getLong(3)));
                        }
                    }
                    return all;
                },
                () -> "list columns");
    }

    /**
     * Deletes a column and every element and heap chunk it has, in one transaction (the schema has
     * no trigger to free them: docs/FORMAT.md says why).
     *
     * @return whether there was such a column
     */
    public static boolean delete(Database db, String name) {
        return db.transaction(
                c -> {
                    PreparedStatement delete = c.prepared(ColumnSql.DELETE);
                    delete.setString(1, name);
                    int id;
                    try (ResultSet rows = delete.executeQuery()) {
                        if (!rows.next()) {
                            return false;
                        }
                        id = rows.getInt(1);
                    }
                    for (ColumnSql.ChunkStatements chunks :
                            new ColumnSql.ChunkStatements[] {ColumnSql.ELEMENT_CHUNKS, ColumnSql.HEAP_CHUNKS}) {
                        PreparedStatement free = c.prepared(chunks.deleteFrom());
                        free.setInt(1, id);
                        free.setInt(2, 0);
                        free.executeUpdate();
                    }
                    return true;
                },
                () -> "delete column '" + name + "'");
    }

    private static void insert(VaultConnection c, ColumnMeta template) throws SQLException {
        PreparedStatement create = c.prepared(ColumnSql.CREATE);
        create.setString(1, template.name());
        create.setString(2, template.dtype());
        create.setInt(3, template.elementSize());
        create.setInt(4, template.minChunkBytes());
        create.setInt(5, template.maxChunkBytes());
        create.executeUpdate();
    }

    private static @Nullable ColumnMeta find(VaultConnection c, String name) throws SQLException {
        PreparedStatement find = c.prepared(ColumnSql.BY_NAME);
        find.setString(1, name);
        try (ResultSet rows = find.executeQuery()) {
            if (!rows.next()) {
                return null;
            }
            return new ColumnMeta(
                    rows.getInt(1),
                    rows.getString(2),
                    rows.getString(3),
                    rows.getInt(4),
                    rows.getLong(5),
                    rows.getInt(6),
                    rows.getInt(7),
                    rows.getLong(8));
        }
    }
}
