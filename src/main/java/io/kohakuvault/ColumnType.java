package io.kohakuvault;

import io.kohakuvault.internal.column.ColumnStore;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * The element type of a column, which also fixes the column's class: {@code ColumnType.F64}
 * opens a {@link DoubleColumn}, {@code ColumnType.bytes(32)} a {@link BytesColumn} of 32-byte
 * elements. Each type has a dtype string, stored in the file and shared with the Python/Rust
 * KohakuVault: {@code i64}, {@code i32}, {@code f64}, {@code f32}, {@code bytes:N}, {@code bytes},
 * {@code str}, and for the typed columns {@code json}, {@code cbor} ({@link ObjectColumn}) and
 * {@code vec:f32:N} ({@link VectorColumn}).
 *
 * <pre>{@code
 * DoubleColumn temps = vault.column("temps", ColumnType.F64);
 * ColumnType<?> type = ColumnType.parse("bytes:32");   // type.dtype() is "bytes:32"
 * }</pre>
 *
 * @param <C> the column class this type opens
 */
public final class ColumnType<C extends Column<?>> {
    /** Largest element of a {@code bytes:N} column, in bytes (16 MiB). */
    public static final int MAX_FIXED_SIZE = 16 << 20;
    /** Most floats in one vector of a {@code vec:f32:N} column (65,536: 256 KiB per element). */
    public static final int MAX_DIMENSIONS = 1 << 16;

    /** 64-bit signed integers, {@code i64}: a {@link LongColumn}. */
    public static final ColumnType<LongColumn> I64 = new ColumnType<>("i64", 8, LongColumn::new);
    /** 32-bit signed integers, {@code i32}: an {@link IntColumn}. */
    public static final ColumnType<IntColumn> I32 = new ColumnType<>("i32", 4, IntColumn::new);
    /** 64-bit IEEE 754 floats, {@code f64}: a {@link DoubleColumn}. */
    public static final ColumnType<DoubleColumn> F64 = new ColumnType<>("f64", 8, DoubleColumn::new);
    /** 32-bit IEEE 754 floats, {@code f32}: a {@link FloatColumn}. */
    public static final ColumnType<FloatColumn> F32 = new ColumnType<>("f32", 4, FloatColumn::new);
    /** Byte arrays of any length, {@code bytes}: a {@link BytesColumn}. */
    public static final ColumnType<BytesColumn> BYTES = new ColumnType<>("bytes", -1, BytesColumn::new);
    /** Strings of any length, stored as UTF-8, {@code str}: a {@link StringColumn}. */
    public static final ColumnType<StringColumn> STRING = new ColumnType<>("str", -1, StringColumn::new);

    private final String dtype;
    private final int fixedSize;
    private final BiFunction<ColumnStore, ColumnType<C>, C> opener;
    /** The codec of a {@code json} or {@code cbor} type, which tells types of two classes apart; else null. */
    private final @Nullable Codec<?> codec;

    private ColumnType(String dtype, int fixedSize, BiFunction<ColumnStore, ColumnType<C>, C> opener) {
        this(dtype, fixedSize, opener, null);
    }

    private ColumnType(
            String dtype, int fixedSize, BiFunction<ColumnStore, ColumnType<C>, C> opener, @Nullable Codec<?> codec) {
        this.dtype = dtype;
        this.fixedSize = fixedSize;
        this.opener = opener;
        this.codec = codec;
    }

    /**
     * Elements of class {@code type} stored as JSON ({@code json}), through Jackson 3 with its
     * defaults ({@link Codec#json(Class)}): an {@link ObjectColumn}. The file records only
     * {@code json}, not the class (so the Python KohakuVault reads the column); a vault refuses to
     * open one column with two classes, see {@link ColumnVault#column(String, ColumnType)}.
     *
     * @param <T> the elements' type
     * @param type their class; {@code Object.class} for any JSON (maps, lists, strings, numbers, booleans)
     * @return the type
     * @throws InvalidArgumentException when the class is null
     */
    public static <T> ColumnType<ObjectColumn<T>> json(Class<T> type) {
        return objects(JacksonCodec.json(JacksonCodec.DEFAULT_JSON, type));
    }

    /**
     * JSON elements through a mapper of the caller's own: for Kotlin data classes, register
     * {@code jackson-module-kotlin} on it (see {@link Codec}). Equal to {@link #json(Class)} of the
     * same class: the mapper is not part of the type.
     *
     * @param <T> the elements' type
     * @param mapper the mapper
     * @param type their class
     * @return the type
     * @throws InvalidArgumentException when an argument is null
     */
    public static <T> ColumnType<ObjectColumn<T>> json(JsonMapper mapper, Class<T> type) {
        return objects(JacksonCodec.json(mapper, type));
    }

    /**
     * Elements of class {@code type} stored as CBOR ({@code cbor}), through Jackson 3
     * ({@link Codec#cbor(Class)}): an {@link ObjectColumn}; see {@link #json(Class)}.
     *
     * @param <T> the elements' type
     * @param type their class; {@code Object.class} for any value
     * @return the type
     * @throws InvalidArgumentException when the class is null
     */
    public static <T> ColumnType<ObjectColumn<T>> cbor(Class<T> type) {
        return objects(JacksonCodec.cbor(JacksonCodec.DEFAULT_CBOR, type));
    }

    /**
     * CBOR elements through a mapper of the caller's own; see {@link #json(JsonMapper, Class)}.
     *
     * @param <T> the elements' type
     * @param mapper the mapper
     * @param type their class
     * @return the type
     * @throws InvalidArgumentException when an argument is null
     */
    public static <T> ColumnType<ObjectColumn<T>> cbor(CBORMapper mapper, Class<T> type) {
        return objects(JacksonCodec.cbor(mapper, type));
    }

    private static <T> ColumnType<ObjectColumn<T>> objects(JacksonCodec<T> codec) {
        return new ColumnType<>(codec.format(), -1, (store, type) -> new ObjectColumn<>(store, type, codec), codec);
    }

    /**
     * Vectors of exactly {@code dimensions} 32-bit floats ({@code vec:f32:N}), little-endian, packed
     * as the slots of an {@code f32} column: a {@link VectorColumn}, with nearest-neighbour search.
     *
     * @param dimensions floats per vector, from 1 to {@value #MAX_DIMENSIONS}
     * @return the type
     * @throws InvalidArgumentException when the dimension is out of range
     */
    public static ColumnType<VectorColumn> vector(int dimensions) {
        if (dimensions < 1 || dimensions > MAX_DIMENSIONS) {
            throw new InvalidArgumentException(
                    "vec:f32:N needs N from 1 to " + MAX_DIMENSIONS + ", but N was " + dimensions);
        }
        return new ColumnType<>("vec:f32:" + dimensions, dimensions * Float.BYTES, VectorColumn::new);
    }

    /** @return whether this is {@code json} or {@code cbor} of {@code Object.class}, as {@link #parse} gives */
    boolean isUntypedObjects() {
        return codec instanceof JacksonCodec<?> jackson && jackson.type() == Object.class;
    }

    /** @return the codec of a {@code json} or {@code cbor} type, else null */
    @Nullable
    Codec<?> codec() {
        return codec;
    }

    /**
     * Byte arrays of exactly {@code size} bytes, {@code bytes:N}: a shorter value is padded with
     * zeros, a longer one is refused.
     *
     * @param size bytes per element, from 1 to {@value #MAX_FIXED_SIZE}
     * @return the type
     * @throws InvalidArgumentException when the size is out of range
     */
    public static ColumnType<BytesColumn> bytes(int size) {
        if (size < 1 || size > MAX_FIXED_SIZE) {
            throw new InvalidArgumentException("bytes:N needs N from 1 to " + MAX_FIXED_SIZE + ", but N was " + size);
        }
        return new ColumnType<>("bytes:" + size, size, BytesColumn::new);
    }

    /**
     * Reads a dtype string: {@code i64}, {@code i32}, {@code f64}, {@code f32}, {@code bytes},
     * {@code bytes:N}, {@code str}, {@code json}, {@code cbor}, {@code vec:f32:N}. {@code json} and
     * {@code cbor} give {@code json(Object.class)} and {@code cbor(Object.class)}: elements decode to
     * maps, lists, strings, numbers, booleans and null. Case and surrounding blanks are ignored; {@code int64},
     * {@code int32}, {@code float64}, {@code float32} and {@code string} are read too.
     *
     * @param dtype the string
     * @return the type
     * @throws InvalidArgumentException when the string names no type
     */
    public static ColumnType<?> parse(String dtype) {
        if (dtype == null) {
            throw new InvalidArgumentException("dtype must not be null");
        }
        String name = dtype.strip().toLowerCase(Locale.ROOT);
        ColumnType<?> named = switch (name) {
            case "i64", "int64" -> I64;
            case "i32", "int32" -> I32;
            case "f64", "float64" -> F64;
            case "f32", "float32" -> F32;
            case "bytes" -> BYTES;
            case "str", "string" -> STRING;
            case "json" -> json(Object.class);
            case "cbor" -> cbor(Object.class);
            default -> null;
        };
        if (named != null) {
            return named;
        }
        if (name.startsWith("vec:f32:")) {
            String size = name.substring("vec:f32:".length());
            if (!size.isEmpty() && size.length() <= 9 && size.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                int n = Integer.parseInt(size);
                if (n >= 1 && n <= MAX_DIMENSIONS) {
                    return vector(n);
                }
            }
        }
        if (name.startsWith("bytes:")) {
            String size = name.substring("bytes:".length());
            if (!size.isEmpty() && size.length() <= 9 && size.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                int n = Integer.parseInt(size);
                if (n >= 1 && n <= MAX_FIXED_SIZE) {
                    return bytes(n);
                }
            }
        }
        throw new InvalidArgumentException(
                "unknown dtype '" + dtype + "': expected i64, i32, f64, f32, bytes, bytes:N (N from 1 to "
                        + MAX_FIXED_SIZE + "), str, json, cbor or vec:f32:N (N from 1 to " + MAX_DIMENSIONS + ")");
    }

    /** @return the dtype string, as {@link #parse} reads it and the file stores it */
    public String dtype() {
        return dtype;
    }

    /** @return bytes per element, or -1 when elements have any length ({@code bytes}, {@code str}) */
    public int fixedSize() {
        return fixedSize;
    }

    /** @return whether every element has the same size */
    public boolean isFixedSize() {
        return fixedSize > 0;
    }

    C open(ColumnStore store) {
        return opener.apply(store, this);
    }

    /**
     * @return whether {@code other} is a type with the same dtype, and for {@code json} and
     *     {@code cbor} the same element class
     */
    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof ColumnType<?> type && type.dtype.equals(dtype) && Objects.equals(type.codec, codec);
    }

    @Override
    public int hashCode() {
        return dtype.hashCode() * 31 + Objects.hashCode(codec);
    }

    /** @return the dtype string */
    @Override
    public String toString() {
        return dtype;
    }

    /** @return the dtype, with the element class for {@code json} and {@code cbor}: {@code json(Event)} */
    String describe() {
        return codec == null ? dtype : codec.name();
    }
}
