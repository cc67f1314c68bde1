package io.kohakuvault.internal.kv;

import static io.kohakuvault.internal.schema.Tables.VAULT_KV_BLOB;
import static io.kohakuvault.internal.schema.Tables.VAULT_KV_CHUNK;
import static io.kohakuvault.internal.schema.Tables.VAULT_KV_ENTRY;
import static io.kohakuvault.internal.schema.Tables.VAULT_KV_STORE;
import static org.jooq.impl.DSL.excluded;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.val;

import io.kohakuvault.internal.db.Sql;
import io.kohakuvault.internal.db.SqlText;
import java.util.Arrays;
import java.util.Collections;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * Every statement the key-value engine runs, rendered once from jOOQ's generated classes. Each
 * {@code ?} is listed in order in the comment above its constant; connections cache the prepared
 * statements, so none of this is rendered or prepared on a hot path.
 */
final class KvSql {
    private static final DSLContext SQL = Sql.dsl();
    private static final @Nullable Integer INT = null;
    private static final @Nullable Long LONG = null;
    private static final byte @Nullable [] BYTES = null;
    private static final @Nullable String TEXT = null;

    private KvSql() {}

    /** store name -> id. */
    static final SqlText STORE_ID = SqlText.of(SQL.select(VAULT_KV_STORE.ID)
            .from(VAULT_KV_STORE)
            .where(VAULT_KV_STORE.NAME.eq(val(TEXT, VAULT_KV_STORE.NAME))));

    /** store name; creates the store unless it exists. */
    static final SqlText CREATE_STORE = SqlText.of(SQL.insertInto(VAULT_KV_STORE, VAULT_KV_STORE.NAME)
            .values(val(TEXT, VAULT_KV_STORE.NAME))
            .onConflictDoNothing());

    /**
     * store id, key -> value (NULL when chunked, then see {@link #BLOB_ID}), checksum. Two columns
     * only: each column of a result costs sqlite-jdbc calls into SQLite, measurable on a get.
     */
    static final SqlText GET = SqlText.of(SQL.select(VAULT_KV_ENTRY.VALUE, VAULT_KV_ENTRY.CHECKSUM)
            .from(VAULT_KV_ENTRY)
            .where(VAULT_KV_ENTRY.STORE_ID.eq(val(INT, VAULT_KV_ENTRY.STORE_ID)))
            .and(VAULT_KV_ENTRY.KEY.eq(val(BYTES, VAULT_KV_ENTRY.KEY))));

    /**
     * Keys in the {@link #getMany} statements, smallest first: a batch binds the smallest that holds
     * it (each bound key is a call into SQLite, so three keys do not bind 128), and a {@code getAll} of
     * up to the largest is one statement.
     */
    private static final int[] GET_MANY_SIZES = {8, 32, 128};

    /** Most keys in one {@link #getMany} statement. */
    static final int KEYS_PER_GET = GET_MANY_SIZES[GET_MANY_SIZES.length - 1];

    private static final SqlText[] GET_MANY =
            Arrays.stream(GET_MANY_SIZES).mapToObj(KvSql::renderGetMany).toArray(SqlText[]::new);

    /**
     * store id, key x {@link #getManySize} -> key, value (NULL when chunked), checksum, blob id of
     * each of those keys that is present, in no order. A batch of fewer keys repeats its last one.
     *
     * @param keys how many keys the batch has, 1 to {@link #KEYS_PER_GET}
     * @return the statement for {@link #getManySize}{@code (keys)} keys, rendered once
     */
    static SqlText getMany(int keys) {
        return GET_MANY[sizeIndex(keys)];
    }

    /** @return how many keys the {@link #getMany} statement for a batch of {@code keys} binds */
    static int getManySize(int keys) {
        return GET_MANY_SIZES[sizeIndex(keys)];
    }

    private static int sizeIndex(int keys) {
        int i = 0;
        while (GET_MANY_SIZES[i] < keys) {
            i++;
        }
        return i;
    }

    private static SqlText renderGetMany(int keys) {
        return SqlText.of(SQL.select(
                        VAULT_KV_ENTRY.KEY, VAULT_KV_ENTRY.VALUE, VAULT_KV_ENTRY.CHECKSUM, VAULT_KV_ENTRY.BLOB_ID)
                .from(VAULT_KV_ENTRY)
                .where(VAULT_KV_ENTRY.STORE_ID.eq(val(INT, VAULT_KV_ENTRY.STORE_ID)))
                .and(VAULT_KV_ENTRY.KEY.in(Collections.nCopies(keys, val(BYTES, VAULT_KV_ENTRY.KEY))
                        .toArray(new Field<?>[0]))));
    }

    /** store id, key -> the blob id of a chunked value. */
    static final SqlText BLOB_ID = SqlText.of(SQL.select(VAULT_KV_ENTRY.BLOB_ID)
            .from(VAULT_KV_ENTRY)
            .where(VAULT_KV_ENTRY.STORE_ID.eq(val(INT, VAULT_KV_ENTRY.STORE_ID)))
            .and(VAULT_KV_ENTRY.KEY.eq(val(BYTES, VAULT_KV_ENTRY.KEY))));

    /** store id, key -> one row when the key exists. */
    static final SqlText EXISTS = SqlText.of(SQL.select(inline(1))
            .from(VAULT_KV_ENTRY)
            .where(VAULT_KV_ENTRY.STORE_ID.eq(val(INT, VAULT_KV_ENTRY.STORE_ID)))
            .and(VAULT_KV_ENTRY.KEY.eq(val(BYTES, VAULT_KV_ENTRY.KEY))));

    /**
     * store id, key, value, checksum: stores an inline value where the key is absent or holds an
     * inline value, in one statement. Over a chunked value it changes nothing and counts 0 rows: the
     * caller then frees the blob and puts again, in one transaction ({@code EntryRows}). So a put
     * over an inline value never pays for finding out what was there.
     */
    static final SqlText PUT_INLINE = putInlineRows(1);

    /** Rows in one {@link #PUT_INLINE_ROWS} statement. */
    static final int ROWS_PER_PUT = 64;

    /**
     * (store id, key, value, checksum) x {@link #ROWS_PER_PUT}: stores that many inline values in one
     * statement. Cache flushes use it on keys in sorted order, which SQLite then inserts in one
     * pass down the B-tree; far fewer statement executions than one per row. As {@link #PUT_INLINE},
     * it leaves keys that hold a chunked value alone (they count no row; see {@link #CHUNKED_AMONG}).
     */
    static final SqlText PUT_INLINE_ROWS = putInlineRows(ROWS_PER_PUT);

    /**
     * store id, key, blob id, checksum: points the key at a chunked value where it is absent or holds
     * an inline value; over a chunked value it changes nothing and counts 0 rows, as {@link #PUT_INLINE}.
     */
    static final SqlText PUT_BLOB = SqlText.of(SQL.insertInto(
                    VAULT_KV_ENTRY,
                    VAULT_KV_ENTRY.STORE_ID,
                    VAULT_KV_ENTRY.KEY,
                    VAULT_KV_ENTRY.VALUE,
                    VAULT_KV_ENTRY.BLOB_ID,
                    VAULT_KV_ENTRY.CHECKSUM)
            .values(
                    val(INT, VAULT_KV_ENTRY.STORE_ID),
                    val(BYTES, VAULT_KV_ENTRY.KEY),
                    inline(BYTES, VAULT_KV_ENTRY.VALUE),
                    val(INT, VAULT_KV_ENTRY.BLOB_ID),
                    val(LONG, VAULT_KV_ENTRY.CHECKSUM))
            .onConflict(VAULT_KV_ENTRY.STORE_ID, VAULT_KV_ENTRY.KEY)
            .doUpdate()
            .set(VAULT_KV_ENTRY.VALUE, excluded(VAULT_KV_ENTRY.VALUE))
            .set(VAULT_KV_ENTRY.BLOB_ID, excluded(VAULT_KV_ENTRY.BLOB_ID))
            .set(VAULT_KV_ENTRY.CHECKSUM, excluded(VAULT_KV_ENTRY.CHECKSUM))
            .where(VAULT_KV_ENTRY.BLOB_ID.isNull()));

    /**
     * store id, key: deletes the key when its value is inline, in one statement; a key that is absent
     * or chunked counts 0 rows (a chunked one is then deleted by {@link #REMOVE} and its blob freed,
     * in one transaction).
     */
    static final SqlText DELETE_INLINE = SqlText.of(SQL.deleteFrom(VAULT_KV_ENTRY)
            .where(VAULT_KV_ENTRY.STORE_ID.eq(val(INT, VAULT_KV_ENTRY.STORE_ID)))
            .and(VAULT_KV_ENTRY.KEY.eq(val(BYTES, VAULT_KV_ENTRY.KEY)))
            .and(VAULT_KV_ENTRY.BLOB_ID.isNull()));

    /**
     * store id, key -> the deleted entry's blob id (NULL when its value was inline; no row when the
     * key was absent). Deletes the key whatever its value; the caller frees the blob in the same
     * transaction.
     */
    static final SqlText REMOVE = SqlText.of(SQL.deleteFrom(VAULT_KV_ENTRY)
            .where(VAULT_KV_ENTRY.STORE_ID.eq(val(INT, VAULT_KV_ENTRY.STORE_ID)))
            .and(VAULT_KV_ENTRY.KEY.eq(val(BYTES, VAULT_KV_ENTRY.KEY)))
            .returningResult(VAULT_KV_ENTRY.BLOB_ID));

    /**
     * store id, key x {@link #ROWS_PER_PUT} -> key, blob id of each of those keys that holds a chunked
     * value: after a {@link #PUT_INLINE_ROWS} that counted fewer rows than it had, the keys it left alone.
     */
    static final SqlText CHUNKED_AMONG = SqlText.of(SQL.select(VAULT_KV_ENTRY.KEY, VAULT_KV_ENTRY.BLOB_ID)
            .from(VAULT_KV_ENTRY)
            .where(VAULT_KV_ENTRY.STORE_ID.eq(val(INT, VAULT_KV_ENTRY.STORE_ID)))
            .and(VAULT_KV_ENTRY.KEY.in(Collections.nCopies(ROWS_PER_PUT, val(BYTES, VAULT_KV_ENTRY.KEY))
                    .toArray(new Field<?>[0])))
            .and(VAULT_KV_ENTRY.BLOB_ID.isNotNull()));

    /** store id: deletes every key of the store (after {@link #CLEAR_CHUNKS} and {@link #CLEAR_BLOBS}). */
    static final SqlText CLEAR = SqlText.of(
            SQL.deleteFrom(VAULT_KV_ENTRY).where(VAULT_KV_ENTRY.STORE_ID.eq(val(INT, VAULT_KV_ENTRY.STORE_ID))));

    /** store id: deletes every chunk of the store's blobs (one key range). */
    static final SqlText CLEAR_CHUNKS = SqlText.of(
            SQL.deleteFrom(VAULT_KV_CHUNK).where(VAULT_KV_CHUNK.STORE_ID.eq(val(INT, VAULT_KV_CHUNK.STORE_ID))));

    /** store id: deletes every blob of the store. */
    static final SqlText CLEAR_BLOBS = SqlText.of(
            SQL.deleteFrom(VAULT_KV_BLOB).where(VAULT_KV_BLOB.STORE_ID.eq(val(INT, VAULT_KV_BLOB.STORE_ID))));

    /** store id, blob id: frees a blob's chunks. */
    static final SqlText FREE_CHUNKS = SqlText.of(SQL.deleteFrom(VAULT_KV_CHUNK)
            .where(VAULT_KV_CHUNK.STORE_ID.eq(val(INT, VAULT_KV_CHUNK.STORE_ID)))
            .and(VAULT_KV_CHUNK.BLOB_ID.eq(val(INT, VAULT_KV_CHUNK.BLOB_ID))));

    /** store id, blob id: frees a blob's row (after {@link #FREE_CHUNKS}). */
    static final SqlText FREE_BLOB = SqlText.of(SQL.deleteFrom(VAULT_KV_BLOB)
            .where(VAULT_KV_BLOB.STORE_ID.eq(val(INT, VAULT_KV_BLOB.STORE_ID)))
            .and(VAULT_KV_BLOB.ID.eq(val(INT, VAULT_KV_BLOB.ID))));

    /** store id -> number of keys. */
    static final SqlText COUNT = SqlText.of(SQL.selectCount()
            .from(VAULT_KV_ENTRY)
            .where(VAULT_KV_ENTRY.STORE_ID.eq(val(INT, VAULT_KV_ENTRY.STORE_ID))));

    /** store id, first key (inclusive), limit -> keys in order. */
    static final SqlText KEYS_FROM = keys(true);
    /** store id, last key seen (exclusive), limit -> keys in order. */
    static final SqlText KEYS_AFTER = keys(false);
    /** store id, first key (inclusive), limit -> key, value, blob id, checksum, in key order. */
    static final SqlText ENTRIES_FROM = entries(true);
    /** store id, last key seen (exclusive), limit -> key, value, blob id, checksum, in key order. */
    static final SqlText ENTRIES_AFTER = entries(false);

    /** store id, size, chunk count: a new blob; {@link #NEWEST_BLOB_ID} then gives its id. */
    static final SqlText CREATE_BLOB = SqlText.of(
            SQL.insertInto(VAULT_KV_BLOB, VAULT_KV_BLOB.STORE_ID, VAULT_KV_BLOB.SIZE, VAULT_KV_BLOB.CHUNK_COUNT)
                    .values(
                            val(INT, VAULT_KV_BLOB.STORE_ID),
                            val(LONG, VAULT_KV_BLOB.SIZE),
                            val(INT, VAULT_KV_BLOB.CHUNK_COUNT)));

    /**
     * store id -> the id of the store's newest blob. Inside the write transaction that just created a
     * blob, that is its id: ids only grow (AUTOINCREMENT) and no other writer can run meanwhile.
     * SQLite answers it from the end of the id order, at the row just inserted.
     */
    static final SqlText NEWEST_BLOB_ID = SqlText.of(SQL.select(DSL.max(VAULT_KV_BLOB.ID))
            .from(VAULT_KV_BLOB)
            .where(VAULT_KV_BLOB.STORE_ID.eq(val(INT, VAULT_KV_BLOB.STORE_ID))));

    /** size, chunk count, store id, blob id: records a blob's final size once its chunks are written. */
    static final SqlText FINISH_BLOB = SqlText.of(SQL.update(VAULT_KV_BLOB)
            .set(VAULT_KV_BLOB.SIZE, val(LONG, VAULT_KV_BLOB.SIZE))
            .set(VAULT_KV_BLOB.CHUNK_COUNT, val(INT, VAULT_KV_BLOB.CHUNK_COUNT))
            .where(VAULT_KV_BLOB.STORE_ID.eq(val(INT, VAULT_KV_BLOB.STORE_ID)))
            .and(VAULT_KV_BLOB.ID.eq(val(INT, VAULT_KV_BLOB.ID))));

    /** store id, blob id -> size, chunk count. */
    static final SqlText BLOB = SqlText.of(SQL.select(VAULT_KV_BLOB.SIZE, VAULT_KV_BLOB.CHUNK_COUNT)
            .from(VAULT_KV_BLOB)
            .where(VAULT_KV_BLOB.STORE_ID.eq(val(INT, VAULT_KV_BLOB.STORE_ID)))
            .and(VAULT_KV_BLOB.ID.eq(val(INT, VAULT_KV_BLOB.ID))));

    /** store id, blob id, seq, data, checksum: one chunk of a blob. */
    static final SqlText PUT_CHUNK = SqlText.of(SQL.insertInto(
                    VAULT_KV_CHUNK,
                    VAULT_KV_CHUNK.STORE_ID,
                    VAULT_KV_CHUNK.BLOB_ID,
                    VAULT_KV_CHUNK.SEQ,
                    VAULT_KV_CHUNK.DATA,
                    VAULT_KV_CHUNK.CHECKSUM)
            .values(
                    val(INT, VAULT_KV_CHUNK.STORE_ID),
                    val(INT, VAULT_KV_CHUNK.BLOB_ID),
                    val(INT, VAULT_KV_CHUNK.SEQ),
                    val(BYTES, VAULT_KV_CHUNK.DATA),
                    val(LONG, VAULT_KV_CHUNK.CHECKSUM)));

    /** store id, blob id, seq -> that chunk's data, checksum. */
    static final SqlText CHUNK = SqlText.of(SQL.select(VAULT_KV_CHUNK.DATA, VAULT_KV_CHUNK.CHECKSUM)
            .from(VAULT_KV_CHUNK)
            .where(VAULT_KV_CHUNK.STORE_ID.eq(val(INT, VAULT_KV_CHUNK.STORE_ID)))
            .and(VAULT_KV_CHUNK.BLOB_ID.eq(val(INT, VAULT_KV_CHUNK.BLOB_ID)))
            .and(VAULT_KV_CHUNK.SEQ.eq(val(INT, VAULT_KV_CHUNK.SEQ))));

    /** store id, blob id -> every chunk's seq, data, checksum, in order. */
    static final SqlText CHUNKS =
            SqlText.of(SQL.select(VAULT_KV_CHUNK.SEQ, VAULT_KV_CHUNK.DATA, VAULT_KV_CHUNK.CHECKSUM)
                    .from(VAULT_KV_CHUNK)
                    .where(VAULT_KV_CHUNK.STORE_ID.eq(val(INT, VAULT_KV_CHUNK.STORE_ID)))
                    .and(VAULT_KV_CHUNK.BLOB_ID.eq(val(INT, VAULT_KV_CHUNK.BLOB_ID)))
                    .orderBy(VAULT_KV_CHUNK.SEQ));

    private static SqlText putInlineRows(int rows) {
        var insert = SQL.insertInto(
                        VAULT_KV_ENTRY,
                        VAULT_KV_ENTRY.STORE_ID,
                        VAULT_KV_ENTRY.KEY,
                        VAULT_KV_ENTRY.VALUE,
                        VAULT_KV_ENTRY.BLOB_ID,
                        VAULT_KV_ENTRY.CHECKSUM)
                .values(
                        val(INT, VAULT_KV_ENTRY.STORE_ID),
                        val(BYTES, VAULT_KV_ENTRY.KEY),
                        val(BYTES, VAULT_KV_ENTRY.VALUE),
                        inline(INT, VAULT_KV_ENTRY.BLOB_ID),
                        val(LONG, VAULT_KV_ENTRY.CHECKSUM));
        for (int i = 1; i < rows; i++) {
            insert = insert.values(
                    val(INT, VAULT_KV_ENTRY.STORE_ID),
                    val(BYTES, VAULT_KV_ENTRY.KEY),
                    val(BYTES, VAULT_KV_ENTRY.VALUE),
                    inline(INT, VAULT_KV_ENTRY.BLOB_ID),
                    val(LONG, VAULT_KV_ENTRY.CHECKSUM));
        }
        return SqlText.of(insert.onConflict(VAULT_KV_ENTRY.STORE_ID, VAULT_KV_ENTRY.KEY)
                .doUpdate()
                .set(VAULT_KV_ENTRY.VALUE, excluded(VAULT_KV_ENTRY.VALUE))
                .set(VAULT_KV_ENTRY.BLOB_ID, excluded(VAULT_KV_ENTRY.BLOB_ID))
                .set(VAULT_KV_ENTRY.CHECKSUM, excluded(VAULT_KV_ENTRY.CHECKSUM))
                .where(VAULT_KV_ENTRY.BLOB_ID.isNull()));
    }

    private static SqlText keys(boolean inclusive) {
        return SqlText.of(SQL.select(VAULT_KV_ENTRY.KEY)
                .from(VAULT_KV_ENTRY)
                .where(VAULT_KV_ENTRY.STORE_ID.eq(val(INT, VAULT_KV_ENTRY.STORE_ID)))
                .and(
                        inclusive
                                ? VAULT_KV_ENTRY.KEY.ge(val(BYTES, VAULT_KV_ENTRY.KEY))
                                : VAULT_KV_ENTRY.KEY.gt(val(BYTES, VAULT_KV_ENTRY.KEY)))
                .orderBy(VAULT_KV_ENTRY.KEY)
                .limit(DSL.param("limit", Integer.class)));
    }

    private static SqlText entries(boolean inclusive) {
        return SqlText.of(
                SQL.select(VAULT_KV_ENTRY.KEY, VAULT_KV_ENTRY.VALUE, VAULT_KV_ENTRY.BLOB_ID, VAULT_KV_ENTRY.CHECKSUM)
                        .from(VAULT_KV_ENTRY)
                        .where(VAULT_KV_ENTRY.STORE_ID.eq(val(INT, VAULT_KV_ENTRY.STORE_ID)))
                        .and(
                                inclusive
                                        ? VAULT_KV_ENTRY.KEY.ge(val(BYTES, VAULT_KV_ENTRY.KEY))
                                        : VAULT_KV_ENTRY.KEY.gt(val(BYTES, VAULT_KV_ENTRY.KEY)))
                        .orderBy(VAULT_KV_ENTRY.KEY)
                        .limit(DSL.param("limit", Integer.class)));
    }
}
