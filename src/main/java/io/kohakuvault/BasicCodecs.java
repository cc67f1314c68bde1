package io.kohakuvault;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/** The built-in codecs that need no library, and {@link Codec#of}. */
final class BasicCodecs {
    private BasicCodecs() {}

    /** A codec from two functions and a name. */
    private record FunctionCodec<T>(
            String name, Function<? super T, byte[]> encoder, Function<byte[], ? extends T> decoder)
            implements Codec<T> {
        @Override
        public byte[] encode(T value) {
            if (value == null) {
                throw new InvalidArgumentException("codec " + name + " cannot encode null");
            }
            byte[] bytes = encoder.apply(value);
            if (bytes == null) {
                throw new InvalidArgumentException("codec " + name + " encoded a value as null");
            }
            return bytes;
        }

        @Override
        public T decode(byte[] bytes) {
            if (bytes == null) {
                throw new InvalidArgumentException("codec " + name + " cannot decode null");
            }
            T value = decoder.apply(bytes);
            if (value == null) {
                throw new InvalidArgumentException("codec " + name + " decoded " + bytes.length + " bytes as null");
            }
            return value;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static <T> Codec<T> of(String name, Function<? super T, byte[]> encode, Function<byte[], ? extends T> decode) {
        if (name == null || encode == null || decode == null) {
            throw new InvalidArgumentException("Codec.of needs a name, an encode and a decode function, none null");
        }
        return new FunctionCodec<>(name, encode, decode);
    }

    static final Codec<String> STRING =
            of("string", BasicCodecs::utf8, bytes -> new String(bytes, StandardCharsets.UTF_8));
    static final Codec<Long> LONG = of(
            "long",
            v -> buffer(Long.BYTES).putLong(v).array(),
            bytes -> exact(bytes, Long.BYTES, "long").getLong());
    static final Codec<Integer> INT = of(
            "int",
            v -> buffer(Integer.BYTES).putInt(v).array(),
            bytes -> exact(bytes, Integer.BYTES, "int").getInt());
    static final Codec<Double> DOUBLE = of(
            "double",
            v -> buffer(Double.BYTES).putDouble(v).array(),
            bytes -> exact(bytes, Double.BYTES, "double").getDouble());
    static final Codec<byte[]> BYTES = of("bytes", byte[]::clone, byte[]::clone);

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer exact(byte[] bytes, int size, String name) {
        if (bytes.length != size) {
            throw new InvalidArgumentException(
                    "codec " + name + " decodes exactly " + size + " bytes, but was given " + bytes.length);
        }
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] utf8(String value) {
        try {
            ByteBuffer bytes = StandardCharsets.UTF_8
                    .newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(value));
            byte[] encoded = new byte[bytes.remaining()];
            bytes.get(encoded);
            return encoded;
        } catch (CharacterCodingException e) {
            throw new InvalidArgumentException(
                    "codec string takes valid UTF-16 strings, but was given one with an" + " unpaired surrogate: "
                            + e.getMessage(),
                    e);
        }
    }
}
