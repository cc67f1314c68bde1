package io.kohakuvault;

import static io.kohakuvault.internal.schema.Tables.VAULT_COLUMN;
import static io.kohakuvault.internal.schema.Tables.VAULT_COLUMN_CHUNK;
import static io.kohakuvault.internal.schema.Tables.VAULT_COLUMN_HEAP;

import io.kohakuvault.VaultFixtures.Storage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Shared fixtures of the column tests: every column type with deterministic sample values, the
 * vault setups they run on, small chunk sizes that make a few elements cross chunk boundaries,
 * one way to read a whole column through its primitive methods, and row counts of the column
 * tables through the generated jOOQ classes.
 */
final class ColumnFixtures {
    private ColumnFixtures() {}

    /** Chunks of 64 bytes growing to 256: 8, 16, 32, 32... longs, or 5, 10, 21... index entries. */
    static final ChunkSizes SMALL = ChunkSizes.of(64, 256);

    /** Write-back cache sizes of the cached setups: a small threshold, so flushes happen by themselves too. */
    static final long CACHE_CAPACITY = 4096;

    static final long CACHE_THRESHOLD = 512;

    /** Every column type, with sample values. */
    enum Kind {
        I64(ColumnType.I64),
        I32(ColumnType.I32),
        F64(ColumnType.F64),
        F32(ColumnType.F32),
        FIXED_BYTES(ColumnType.bytes(8)),
        BYTES(ColumnType.BYTES),
        STRING(ColumnType.STRING);

        final ColumnType<?> type;

        Kind(ColumnType<?> type) {
            this.type = type;
        }

        /** @return a value of this type: mostly random, sometimes one of the {@link #specials()} */
        Object sample(Random random) {
            List<Object> specials = specials();
            if (random.nextInt(8) == 0) {
                return specials.get(random.nextInt(specials.size()));
            }
            return switch (this) {
                case I64 -> random.nextLong();
                case I32 -> random.nextInt();
                case F64 -> random.nextDouble() * 2000 - 1000;
                case F32 -> random.nextFloat() * 2000 - 1000;
                case FIXED_BYTES -> randomBytes(random, 8);
                case BYTES ->
                    randomBytes(random, random.nextInt(10) == 0 ? 100 + random.nextInt(300) : random.nextInt(24));
                case STRING ->
                    randomString(random, random.nextInt(10) == 0 ? 100 + random.nextInt(200) : random.nextInt(12));
            };
        }

        /** @return the edge values of this type, each stored and read back exactly */
        List<Object> specials() {
            return switch (this) {
                case I64 -> List.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L);
                case I32 -> List.of(Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1);
                case F64 ->
                    List.of(
                            Double.NaN,
                            -0.0,
                            0.0,
                            Double.POSITIVE_INFINITY,
                            Double.NEGATIVE_INFINITY,
                            Double.MIN_VALUE,
                            Double.MAX_VALUE,
                            -Double.MAX_VALUE);
                case F32 ->
                    List.of(
                            Float.NaN,
                            -0.0f,
                            0.0f,
                            Float.POSITIVE_INFINITY,
                            Float.NEGATIVE_INFINITY,
                            Float.MIN_VALUE,
                            Float.MAX_VALUE,
                            -Float.MAX_VALUE);
                case FIXED_BYTES -> List.of(new byte[8], filled(8, (byte) 0xFF), new byte[] {0, 0, 0, 0, 0, 0, 0, 1});
                case BYTES -> List.of(new byte[0], new byte[] {0}, filled(300, (byte) 0x80), new byte[1]);
                case STRING -> List.of("", "\u0000", "😀", "naïve café 中文 🎉", "x".repeat(300));
            };
        }

        /** @return a value of this type whose encoding is far larger than a {@link #SMALL} chunk, when the type allows it */
        Object large(int bytes, long seed) {
            return switch (this) {
                case BYTES -> VaultFixtures.bytes(bytes, seed);
                case STRING -> randomString(new Random(seed), bytes / 2);
                default -> sample(new Random(seed));
            };
        }

        /** @return whether elements of this type have any length */
        boolean variable() {
            return this == BYTES || this == STRING;
        }
    }

    /** The vaults the column tests run on: file, memory or server, write-back cache on or off, read cache on or off. */
    enum Setup {
        FILE(Storage.FILE, false, true),
        FILE_CACHED(Storage.FILE, true, true),
        FILE_NO_READ_CACHE(Storage.FILE, false, false),
        MEMORY(Storage.MEMORY, false, true),
        MEMORY_CACHED(Storage.MEMORY, true, true),
        POSTGRES(Storage.POSTGRES, false, true),
        POSTGRES_CACHED(Storage.POSTGRES, true, true);

        final Storage storage;
        final boolean writeCache;
        final boolean readCache;

        Setup(Storage storage, boolean writeCache, boolean readCache) {
            this.storage = storage;
            this.writeCache = writeCache;
            this.readCache = readCache;
        }

        /** Opens a vault whose new columns use {@link #SMALL} chunks. */
        Vault open(Path dir) {
            Vault vault = storage.open(
                    dir,
                    b -> b.columnChunkSizes(SMALL)
                            .readCacheBytes(readCache ? VaultBuilder.DEFAULT_READ_CACHE_BYTES : 0));
            return writeCache ? vault.withCache(CACHE_CAPACITY, CACHE_THRESHOLD) : vault;
        }
    }

    /** @return the column {@code name} of {@code kind}, seen as a list of objects */
    @SuppressWarnings("unchecked")
    static Column<Object> column(Vault vault, String name, Kind kind) {
        return (Column<Object>) vault.columns().column(name, kind.type, SMALL);
    }

    // ---- the primitive methods, by column class --------------------------------------------

    /** @return elements {@code [from, to)}, read through the column's primitive range method */
    static List<Object> range(Column<?> column, long from, long to) {
        if (column instanceof LongColumn c) {
            return Arrays.stream(c.getLongs(from, to)).boxed().collect(Collectors.toList());
        }
        if (column instanceof IntColumn c) {
            return Arrays.stream(c.getInts(from, to)).boxed().collect(Collectors.toList());
        }
        if (column instanceof DoubleColumn c) {
            return Arrays.stream(c.getDoubles(from, to)).boxed().collect(Collectors.toList());
        }
        if (column instanceof FloatColumn c) {
            float[] values = c.getFloats(from, to);
            List<Object> boxed = new ArrayList<>(values.length);
            for (float v : values) {
                boxed.add(v);
            }
            return boxed;
        }
        if (column instanceof BytesColumn c) {
            return new ArrayList<>(c.getRange(from, to));
        }
        if (column instanceof StringColumn c) {
            return new ArrayList<>(c.getRange(from, to));
        }
        throw new AssertionError("unknown column class " + column.getClass());
    }

    /** @return every element, read through the column's primitive range method */
    static List<Object> all(Column<?> column) {
        return range(column, 0, column.length());
    }

    /** @return the elements through the primitive stream, or null for a class without one */
    static List<Object> stream(Column<?> column) {
        if (column instanceof LongColumn c) {
            return c.longStream().boxed().collect(Collectors.toList());
        }
        if (column instanceof IntColumn c) {
            return c.intStream().boxed().collect(Collectors.toList());
        }
        if (column instanceof DoubleColumn c) {
            return c.doubleStream().boxed().collect(Collectors.toList());
        }
        return null;
    }

    /** @return element {@code i}, read through the column's primitive getter */
    static Object getPrimitive(Column<?> column, long i) {
        if (column instanceof LongColumn c) {
            return c.getLong(i);
        }
        if (column instanceof IntColumn c) {
            return c.getInt(i);
        }
        if (column instanceof DoubleColumn c) {
            return c.getDouble(i);
        }
        if (column instanceof FloatColumn c) {
            return c.getFloat(i);
        }
        if (column instanceof BytesColumn c) {
            return c.getBytes(i);
        }
        if (column instanceof StringColumn c) {
            return c.getString(i);
        }
        throw new AssertionError("unknown column class " + column.getClass());
    }

    /** Replaces element {@code i} through the column's primitive setter. */
    static void setPrimitive(Column<?> column, long i, Object value) {
        if (column instanceof LongColumn c) {
            c.setLong(i, (Long) value);
        } else if (column instanceof IntColumn c) {
            c.setInt(i, (Integer) value);
        } else if (column instanceof DoubleColumn c) {
            c.setDouble(i, (Double) value);
        } else if (column instanceof FloatColumn c) {
            c.setFloat(i, (Float) value);
        } else if (column instanceof BytesColumn c) {
            c.setBytes(i, (byte[]) value);
        } else if (column instanceof StringColumn c) {
            c.setString(i, (String) value);
        } else {
            throw new AssertionError("unknown column class " + column.getClass());
        }
    }

    /** Appends one value through the column's primitive (unboxed) append. */
    static void appendPrimitive(Column<?> column, Object value) {
        if (column instanceof LongColumn c) {
            c.append(((Long) value).longValue());
        } else if (column instanceof IntColumn c) {
            c.append(((Integer) value).intValue());
        } else if (column instanceof DoubleColumn c) {
            c.append(((Double) value).doubleValue());
        } else if (column instanceof FloatColumn c) {
            c.append(((Float) value).floatValue());
        } else if (column instanceof BytesColumn c) {
            c.append((byte[]) value);
        } else if (column instanceof StringColumn c) {
            c.append((String) value);
        } else {
            throw new AssertionError("unknown column class " + column.getClass());
        }
    }

    /** Appends values through the column's primitive varargs extend, or {@code extend(Iterable)} where there is none. */
    @SuppressWarnings("unchecked")
    static void extendPrimitive(Column<?> column, List<Object> values) {
        if (column instanceof LongColumn c) {
            c.extend(values.stream().mapToLong(v -> (Long) v).toArray());
        } else if (column instanceof IntColumn c) {
            c.extend(values.stream().mapToInt(v -> (Integer) v).toArray());
        } else if (column instanceof DoubleColumn c) {
            c.extend(values.stream().mapToDouble(v -> (Double) v).toArray());
        } else if (column instanceof FloatColumn c) {
            float[] floats = new float[values.size()];
            for (int i = 0; i < floats.length; i++) {
                floats[i] = (Float) values.get(i);
            }
            c.extend(floats);
        } else {
            ((Column<Object>) column).extend(values);
        }
    }

    // ---- comparing -----------------------------------------------------------------------------

    /** @return a value comparable with equals: byte arrays become hex strings; boxed numbers compare by bits */
    static Object norm(Object value) {
        if (value instanceof byte[] bytes) {
            return "0x" + HexFormat.of().formatHex(bytes);
        }
        return value;
    }

    /** @return {@link #norm} of each value */
    static List<Object> norm(List<?> values) {
        List<Object> normed = new ArrayList<>(values.size());
        for (Object value : values) {
            normed.add(norm(value));
        }
        return normed;
    }

    /** @return {@code count} samples of {@code kind} from {@code random} */
    static List<Object> samples(Kind kind, Random random, int count) {
        List<Object> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(kind.sample(random));
        }
        return values;
    }

    static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    static byte[] filled(int n, byte value) {
        byte[] b = new byte[n];
        Arrays.fill(b, value);
        return b;
    }

    private static final String[] PIECES = {
        "a", "b", "z", "Q", "0", " ", "é", "ß", "中", "文", "😀", "🎉", "\n", "'", "\"", ";", "\u0000"
    };

    /** @return a valid string of about {@code n} pieces: ASCII, Latin, CJK, emoji (surrogate pairs), quotes, NUL */
    static String randomString(Random random, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return s.toString();
    }

    // ---- looking inside the file ---------------------------------------------------------------

    private static <T> T sql(Vault vault, java.util.function.Function<DSLContext, T> query) {
        return vault.database().withWriter(c -> query.apply(DSL.using(c.jdbc(), c.dialect())));
    }

    /** @return how many element chunk rows the whole file holds */
    static int chunkRows(Vault vault) {
        return sql(vault, dsl -> dsl.fetchCount(VAULT_COLUMN_CHUNK));
    }

    /** @return how many heap chunk rows the whole file holds */
    static int heapRows(Vault vault) {
        return sql(vault, dsl -> dsl.fetchCount(VAULT_COLUMN_HEAP));
    }

    /** @return how many column rows the file holds */
    static int columnRows(Vault vault) {
        return sql(vault, dsl -> dsl.fetchCount(VAULT_COLUMN));
    }

    /** @return the byte sizes of the element chunk rows of column {@code name}, by seq */
    static List<Integer> chunkSizes(Vault vault, String name) {
        return sql(
                vault,
                dsl -> dsl
                        .select(VAULT_COLUMN_CHUNK.DATA)
                        .from(VAULT_COLUMN_CHUNK)
                        .join(VAULT_COLUMN)
                        .on(VAULT_COLUMN.ID.eq(VAULT_COLUMN_CHUNK.COLUMN_ID))
                        .where(VAULT_COLUMN.NAME.eq(name))
                        .orderBy(VAULT_COLUMN_CHUNK.SEQ)
                        .fetch(VAULT_COLUMN_CHUNK.DATA)
                        .stream()
                        .map(b -> b.length)
                        .collect(Collectors.toList()));
    }

    /** @return the byte sizes of the heap chunk rows of column {@code name}, by seq */
    static List<Integer> heapSizes(Vault vault, String name) {
        return sql(
                vault,
                dsl -> dsl
                        .select(VAULT_COLUMN_HEAP.DATA)
                        .from(VAULT_COLUMN_HEAP)
                        .join(VAULT_COLUMN)
                        .on(VAULT_COLUMN.ID.eq(VAULT_COLUMN_HEAP.COLUMN_ID))
                        .where(VAULT_COLUMN.NAME.eq(name))
                        .orderBy(VAULT_COLUMN_HEAP.SEQ)
                        .fetch(VAULT_COLUMN_HEAP.DATA)
                        .stream()
                        .map(b -> b.length)
                        .collect(Collectors.toList()));
    }

    /** @return the seqs of the element chunk rows of column {@code name}, in order */
    static List<Integer> chunkSeqs(Vault vault, String name) {
        return sql(
                vault,
                dsl -> dsl.select(VAULT_COLUMN_CHUNK.SEQ)
                        .from(VAULT_COLUMN_CHUNK)
                        .join(VAULT_COLUMN)
                        .on(VAULT_COLUMN.ID.eq(VAULT_COLUMN_CHUNK.COLUMN_ID))
                        .where(VAULT_COLUMN.NAME.eq(name))
                        .orderBy(VAULT_COLUMN_CHUNK.SEQ)
                        .fetch(VAULT_COLUMN_CHUNK.SEQ));
    }

    // ---- waiting -------------------------------------------------------------------------------

    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out waiting for another thread");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Polls {@code condition} every few milliseconds until it holds, failing after {@code seconds}. */
    static void pollUntil(long seconds, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
