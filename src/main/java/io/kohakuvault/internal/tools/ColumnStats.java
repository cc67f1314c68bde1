package io.kohakuvault.internal.tools;

import static io.kohakuvault.internal.schema.Tables.VAULT_COLUMN;
import static io.kohakuvault.internal.schema.Tables.VAULT_COLUMN_CHUNK;
import static io.kohakuvault.internal.schema.Tables.VAULT_COLUMN_HEAP;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.octetLength;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.sum;

import io.kohakuvault.internal.db.Database;
import io.kohakuvault.internal.db.Sql;
import io.kohakuvault.internal.db.SqlText;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** The columns of a file with the bytes their chunks take. */
public final class ColumnStats {
    /**
     * One column, as committed.
     *
     * @param name its name
     * @param dtype its element type, as {@code ColumnType.parse} reads it
     * @param length its number of elements
     * @param bytes the bytes of its element and heap chunks
     */
    public record Stats(String name, String dtype, long length, long bytes) {}

    private static final SqlText STATS = SqlText.of(Sql.dsl()
            .select(
                    VAULT_COLUMN.NAME,
                    VAULT_COLUMN.DTYPE,
                    VAULT_COLUMN.LENGTH,
                    field(select(coalesce(
                                    sum(octetLength(VAULT_COLUMN_CHUNK.DATA.coerce(String.class))),
                                    inline(BigDecimal.ZERO)))
                            .from(VAULT_COLUMN_CHUNK)
                            .where(VAULT_COLUMN_CHUNK.COLUMN_ID.eq(VAULT_COLUMN.ID))),
                    field(select(coalesce(
                                    sum(octetLength(VAULT_COLUMN_HEAP.DATA.coerce(String.class))),
                                    inline(BigDecimal.ZERO)))
                            .from(VAULT_COLUMN_HEAP)
                            .where(VAULT_COLUMN_HEAP.COLUMN_ID.eq(VAULT_COLUMN.ID))))
            .from(VAULT_COLUMN)
            .orderBy(VAULT_COLUMN.NAME));

    private ColumnStats() {}

    /**
     * @param db the vault's database
     * @return every column, in name order
     */
    public static List<Stats> all(Database db) {
        return db.read(
                c -> {
                    List<Stats> all = new ArrayList<>();
                    try (ResultSet rows = c.prepared(STATS).executeQuery()) {
                        while (rows.next()) {
                            all.add(new Stats(
                                    rows.getString(1),
                                    rows.getString(2),
                                    rows.getLong(3),
                                    rows.getLong(4) + rows.getLong(5)));
                        }
                    }
                    return all;
                },
                () -> "list the columns of vault " + db.options().location());
    }
}
