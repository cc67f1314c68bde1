package io.kohakuvault;

import java.util.function.Function;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * Turns values of one type into bytes and back: how a {@link TypedKVault} stores its values and an
 * {@link ObjectColumn} its elements. Implementations must be thread-safe, and {@code decode} must
 * read back what {@code encode} wrote.
 *
 * <pre>{@code
 * TypedKVault<Settings> settings = vault.kv("settings", Codec.json(Settings.class));
 * Codec<Instant> instants = Codec.of(i -> Codec.LONG.encode(i.toEpochMilli()),
 *         b -> Instant.ofEpochMilli(Codec.LONG.decode(b)));
 * }</pre>
 *
 * <p>The built-in codecs: {@link #STRING} (UTF-8), {@link #LONG}, {@link #INT}, {@link #DOUBLE}
 * (little-endian, as the {@code i64}, {@code i32} and {@code f64} columns store them),
 * {@link #BYTES} (as is), and {@link #json(Class)} and {@link #cbor(Class)} through Jackson 3, for
 * records, beans, maps and lists. Their bytes are plain and documented (docs/FORMAT.md): another
 * program, the Python KohakuVault, or any SQLite tool can read them.
 *
 * <p><b>No codec uses Java serialization</b>, and none should: reading serialized objects runs
 * code chosen by whoever wrote the bytes (deserialization "gadget chains" turn a damaged or hostile
 * file into remote code execution), ties the bytes to the exact versions of the classes that wrote
 * them, and gives bytes that no other language can read.
 *
 * <p><b>Kotlin data classes</b> have no no-argument constructor, which plain Jackson needs: give
 * {@link #json(JsonMapper, Class)} a mapper with {@code jackson-module-kotlin} (version 3, which the
 * application adds itself) registered:
 * {@code Codec.json(jsonMapper { addModule(kotlinModule()) }, Settings::class.java)}. Kotlin
 * lambdas work for {@link #of}.
 *
 * @param <T> the type of the values
 */
public interface Codec<T> {
    /** UTF-8 text; a string with an unpaired surrogate is refused; bytes that are not UTF-8 decode with U+FFFD. */
    Codec<String> STRING = BasicCodecs.STRING;
    /** A {@code long} as 8 bytes, little-endian (an {@code i64} slot); decoding needs exactly 8 bytes. */
    Codec<Long> LONG = BasicCodecs.LONG;
    /** An {@code int} as 4 bytes, little-endian (an {@code i32} slot); decoding needs exactly 4 bytes. */
    Codec<Integer> INT = BasicCodecs.INT;
    /** A {@code double} as its 8 IEEE 754 bytes, little-endian (an {@code f64} slot); decoding needs exactly 8. */
    Codec<Double> DOUBLE = BasicCodecs.DOUBLE;
    /** Bytes as they are: a {@link TypedKVault} with it is a {@link KVault}. */
    Codec<byte[]> BYTES = BasicCodecs.BYTES;

    /**
     * Turns a value into bytes.
     *
     * @param value the value, never null
     * @return its bytes, a fresh array the caller may keep
     * @throws InvalidArgumentException (or any runtime exception of a user's codec) when the value
     *     cannot be encoded
     */
    byte[] encode(T value);

    /**
     * Turns bytes back into a value.
     *
     * @param bytes what {@link #encode} wrote
     * @return the value
     * @throws InvalidArgumentException (or any runtime exception of a user's codec) when the bytes
     *     are not a value of this codec
     */
    T decode(byte[] bytes);

    /** @return a short name for messages, such as {@code json(Settings)}; the class name unless overridden */
    default String name() {
        return getClass().getSimpleName();
    }

    /**
     * A codec from two functions; in Kotlin {@code Codec.of({ it.toByteArray() }, { String(it) })}.
     *
     * @param <T> the type of the values
     * @param encode value to bytes; any runtime exception means it cannot be encoded
     * @param decode bytes to value; any runtime exception means the bytes are not a value
     * @return the codec, named {@code custom}
     * @throws InvalidArgumentException when a function is null
     */
    static <T> Codec<T> of(Function<? super T, byte[]> encode, Function<byte[], ? extends T> decode) {
        return of("custom", encode, decode);
    }

    /**
     * A codec from two functions, with a name for messages.
     *
     * @param <T> the type of the values
     * @param name what messages call it
     * @param encode value to bytes
     * @param decode bytes to value
     * @return the codec
     * @throws InvalidArgumentException when an argument is null
     */
    static <T> Codec<T> of(String name, Function<? super T, byte[]> encode, Function<byte[], ? extends T> decode) {
        return BasicCodecs.of(name, encode, decode);
    }

    /**
     * JSON through Jackson 3 with its default settings: records, beans (a no-argument constructor
     * and setters, or Jackson's annotations), maps, lists, strings, numbers and booleans; with
     * {@code Object.class}, any JSON, decoded to maps, lists, strings, numbers, booleans and null.
     * Costs what Jackson costs: about a microsecond for a small record.
     *
     * @param <T> the type of the values
     * @param type their class
     * @return the codec, named {@code json(SimpleName)}
     * @throws InvalidArgumentException when the type is null
     */
    static <T> Codec<T> json(Class<T> type) {
        return JacksonCodec.json(JacksonCodec.DEFAULT_JSON, type);
    }

    /**
     * JSON through a mapper of the caller's own: for Kotlin data classes (register
     * {@code jackson-module-kotlin}), custom modules or settings. The bytes are JSON all the same.
     *
     * @param <T> the type of the values
     * @param mapper the mapper; Jackson 3 mappers are immutable and thread-safe
     * @param type the values' class
     * @return the codec
     * @throws InvalidArgumentException when an argument is null
     */
    static <T> Codec<T> json(JsonMapper mapper, Class<T> type) {
        return JacksonCodec.json(mapper, type);
    }

    /**
     * CBOR (RFC 8949) through Jackson 3: what {@link #json(Class)} takes, in binary, usually
     * smaller and faster than JSON, and keeping {@code byte[]} fields as byte strings.
     *
     * @param <T> the type of the values
     * @param type their class
     * @return the codec, named {@code cbor(SimpleName)}
     * @throws InvalidArgumentException when the type is null
     */
    static <T> Codec<T> cbor(Class<T> type) {
        return JacksonCodec.cbor(JacksonCodec.DEFAULT_CBOR, type);
    }

    /**
     * CBOR through a mapper of the caller's own (for Kotlin data classes, register
     * {@code jackson-module-kotlin} on it).
     *
     * @param <T> the type of the values
     * @param mapper the mapper
     * @param type the values' class
     * @return the codec
     * @throws InvalidArgumentException when an argument is null
     */
    static <T> Codec<T> cbor(CBORMapper mapper, Class<T> type) {
        return JacksonCodec.cbor(mapper, type);
    }
}
