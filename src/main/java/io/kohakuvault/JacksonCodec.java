package io.kohakuvault;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * {@link Codec#json} and {@link Codec#cbor}: one Jackson 3 mapper (immutable, thread-safe) and one
 * class. Two codecs of the same format and class are equal, whatever their mappers, so that a
 * column's type can compare them.
 *
 * @param <T> the values' type
 */
final class JacksonCodec<T> implements Codec<T> {
    static final JsonMapper DEFAULT_JSON = JsonMapper.builder().build();
    static final CBORMapper DEFAULT_CBOR = CBORMapper.builder().build();

    private final ObjectMapper mapper;
    private final Class<T> type;
    private final String format;
    private final String name;

    private JacksonCodec(ObjectMapper mapper, Class<T> type, String format) {
        this.mapper = mapper;
        this.type = type;
        this.format = format;
        this.name = format + "(" + type.getSimpleName() + ")";
    }

    static <T> JacksonCodec<T> json(JsonMapper mapper, Class<T> type) {
        check(mapper, type, "json");
        return new JacksonCodec<>(mapper, type, "json");
    }

    static <T> JacksonCodec<T> cbor(CBORMapper mapper, Class<T> type) {
        check(mapper, type, "cbor");
        return new JacksonCodec<>(mapper, type, "cbor");
    }

    private static void check(ObjectMapper mapper, Class<?> type, String format) {
        if (mapper == null || type == null) {
            throw new InvalidArgumentException("Codec." + format + " needs a mapper and a class, neither null");
        }
    }

    /** @return the values' class */
    Class<T> type() {
        return type;
    }

    /** @return {@code json} or {@code cbor} */
    String format() {
        return format;
    }

    @Override
    public byte[] encode(T value) {
        if (value == null) {
            throw new InvalidArgumentException("codec " + name + " cannot encode null");
        }
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JacksonException e) {
            throw new InvalidArgumentException(
                    "codec " + name + " cannot encode a " + value.getClass().getName() + ": " + e.getOriginalMessage(),
                    e);
        }
    }

    /**
     * @return the value; null only for the bytes of JSON (or CBOR) {@code null}, which this library
     *     never writes but another program may have
     */
    @Override
    public T decode(byte[] bytes) {
        if (bytes == null) {
            throw new InvalidArgumentException("codec " + name + " cannot decode null");
        }
        try {
            return mapper.readValue(bytes, type);
        } catch (JacksonException e) {
            throw new InvalidArgumentException(
                    "codec " + name + " cannot decode " + bytes.length + " bytes: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean equals(@org.jspecify.annotations.Nullable Object other) {
        return other instanceof JacksonCodec<?> codec && codec.format.equals(format) && codec.type == type;
    }

    @Override
    public int hashCode() {
        return format.hashCode() * 31 + type.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
