package io.kohakuvault.internal.column;

import static io.kohakuvault.internal.schema.Tables.VAULT_COLUMN;
import static io.kohakuvault.internal.schema.Tables.VAULT_COLUMN_CHUNK;
import static io.kohakuvault.internal.schema.Tables.VAULT_COLUMN_HEAP;
import static org.jooq.impl.DSL.excluded;
import static org.jooq.impl.DSL.val;

import io.kohakuvault.internal.db.Sql;
import io.kohakuvault.internal.db.SqlText;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.TableField;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jspecify.annotations.Nullable;

/**
 * Every statement the column engine runs, rendered once from jOOQ's generated classes. Each
 * {@code ?} is listed in order in the comment above its constant; connections cache the prepared
 * statements, so nothing here is rendered or prepared on a hot path.
 */
final class ColumnSql {
    private static final DSLContext SQL = Sql.dsl();
    private static final @Nullable Integer INT = null;
    private static final @Nullable Long LONG = null;
    private static final @Nullable String TEXT = null;

    private ColumnSql() {}

    /** name, dtype, element size, min chunk bytes, max chunk bytes: a new, empty column. */
    static final SqlText CREATE = SqlText.of(SQL.insertInto(
                    VAULT_COLUMN,
                    VAULT_COLUMN.NAME,
                    VAULT_COLUMN.DTYPE,
                    VAULT_COLUMN.ELEMENT_SIZE,
                    VAULT_COLUMN.MIN_CHUNK_BYTES,
                    VAULT_COLUMN.MAX_CHUNK_BYTES)
            .values(
                    val(TEXT, VAULT_COLUMN.NAME),
                    val(TEXT, VAULT_COLUMN.DTYPE),
                    val(INT, VAULT_COLUMN.ELEMENT_SIZE),
                    val(INT, VAULT_COLUMN.MIN_CHUNK_BYTES),
                    val(INT, VAULT_COLUMN.MAX_CHUNK_BYTES)));

    /** name -> id, name, dtype, element size, length, min chunk bytes, max chunk bytes, revision. */
    static final SqlText BY_NAME = SqlText.of(SQL.select(
                    VAULT_COLUMN.ID,
                    VAULT_COLUMN.NAME,
                    VAULT_COLUMN.DTYPE,
                    VAULT_COLUMN.ELEMENT_SIZE,
                    VAULT_COLUMN.LENGTH,
                    VAULT_COLUMN.MIN_CHUNK_BYTES,
                    VAULT_COLUMN.MAX_CHUNK_BYTES,
                    VAULT_COLUMN.REVISION)
            .from(VAULT_COLUMN)
            .where(VAULT_COLUMN.NAME.eq(val(TEXT, VAULT_COLUMN.NAME))));

    /** -> name, dtype, length of every column, by name. */
    static final SqlText LIST = SqlText.of(SQL.select(VAULT_COLUMN.NAME, VAULT_COLUMN.DTYPE, VAULT_COLUMN.LENGTH)
            .from(VAULT_COLUMN)
            .orderBy(VAULT_COLUMN.NAME));

    /**
     * name -> the id of the column deleted (no row when there was none). The caller frees its element
     * and heap chunks in the same transaction ({@link ChunkStatements#deleteFrom} from seq 0).
     */
    static final SqlText DELETE = SqlText.of(SQL.deleteFrom(VAULT_COLUMN)
            .where(VAULT_COLUMN.NAME.eq(val(TEXT, VAULT_COLUMN.NAME)))
            .returningResult(VAULT_COLUMN.ID));

    /** id -> length, revision: the column's committed state. */
    static final SqlText STATE = SqlText.of(SQL.select(VAULT_COLUMN.LENGTH, VAULT_COLUMN.REVISION)
            .from(VAULT_COLUMN)
            .where(VAULT_COLUMN.ID.eq(val(INT, VAULT_COLUMN.ID))));

    /** length, revision, id: records a write to the column. */
    static final SqlText SET_STATE = SqlText.of(SQL.update(VAULT_COLUMN)
            .set(VAULT_COLUMN.LENGTH, val(LONG, VAULT_COLUMN.LENGTH))
            .set(VAULT_COLUMN.REVISION, val(LONG, VAULT_COLUMN.REVISION))
            .where(VAULT_COLUMN.ID.eq(val(INT, VAULT_COLUMN.ID))));

    /** The statements on one chunk table: the element chunks, or the heap of variable-size elements. */
    record ChunkStatements(
            /* column id, seq -> data, checksum */
            SqlText load,
            /* column id, first seq, end seq (exclusive) -> seq, data, checksum of those chunks, in order */
            SqlText loadRun,
            /* first byte (1-based), byte count, column id, seq -> that part of data */
            SqlText loadPart,
            /* column id, seq, data, checksum: writes a chunk, replacing it if present */
            SqlText store,
            /* column id, first seq: deletes that chunk and every later one */
            SqlText deleteFrom,
            /* column id -> seq, byte length of the column's last chunk; no row when it has none */
            SqlText last) {}

    /** Statements on {@code vault_column_chunk}. */
    static final ChunkStatements ELEMENT_CHUNKS = statements(
            VAULT_COLUMN_CHUNK,
            VAULT_COLUMN_CHUNK.COLUMN_ID,
            VAULT_COLUMN_CHUNK.SEQ,
            VAULT_COLUMN_CHUNK.DATA,
            VAULT_COLUMN_CHUNK.CHECKSUM);

    /** Statements on {@code vault_column_heap}. */
    static final ChunkStatements HEAP_CHUNKS = statements(
            VAULT_COLUMN_HEAP,
            VAULT_COLUMN_HEAP.COLUMN_ID,
            VAULT_COLUMN_HEAP.SEQ,
            VAULT_COLUMN_HEAP.DATA,
            VAULT_COLUMN_HEAP.CHECKSUM);

    private static <R extends Record> ChunkStatements statements(
            Table<R> table,
            TableField<R, Integer> columnId,
            TableField<R, Integer> seq,
            TableField<R, byte[]> data,
            TableField<R, Long> checksum) {
        var isChunk = columnId.eq(val(INT, columnId)).and(seq.eq(val(INT, seq)));
        // substr() cuts the bytes inside SQLite, so only the part asked for crosses into Java.
        var part = DSL.function("substr", SQLDataType.BLOB, data, val(INT), val(INT));
        return new ChunkStatements(
                SqlText.of(SQL.select(data, checksum).from(table).where(isChunk)),
                SqlText.of(SQL.select(seq, data, checksum)
                        .from(table)
                        .where(columnId.eq(val(INT, columnId)))
                        .and(seq.ge(val(INT, seq)))
                        .and(seq.lt(val(INT, seq)))
                        .orderBy(seq)),
                SqlText.of(SQL.select(part).from(table).where(isChunk)),
                SqlText.of(SQL.insertInto(table, columnId, seq, data, checksum)
                        .values(val(INT, columnId), val(INT, seq), val((byte[]) null, data), val(LONG, checksum))
                        .onConflict(columnId, seq)
                        .doUpdate()
                        .set(data, excluded(data))
                        .set(checksum, excluded(checksum))),
                SqlText.of(SQL.deleteFrom(table)
                        .where(columnId.eq(val(INT, columnId)))
                        .and(seq.ge(val(INT, seq)))),
                SqlText.of(SQL.select(seq, DSL.function("length", SQLDataType.INTEGER, data))
                        .from(table)
                        .where(columnId.eq(val(INT, columnId)))
                        .orderBy(seq.desc())
                        .limit(DSL.inline(1))));
    }
}
