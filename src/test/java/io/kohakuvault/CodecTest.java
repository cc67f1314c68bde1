package io.kohakuvault;

import static io.kohakuvault.TypedFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kohakuvault.TypedFixtures.Bean;
import io.kohakuvault.TypedFixtures.Settings;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The built-in codecs and {@link Codec#of}, without a vault: bytes as documented, round trips, bad input. */
class CodecTest {

    @Test
    void long_encode_isLittleEndianEightBytes() {
        assertThat(Codec.LONG.encode(0x0102030405060708L)).containsExactly(8, 7, 6, 5, 4, 3, 2, 1);
        assertThat(Codec.LONG.decode(Codec.LONG.encode(Long.MIN_VALUE))).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void intAndDouble_roundTrip_areLittleEndian() {
        assertThat(Codec.INT.encode(0x01020304)).containsExactly(4, 3, 2, 1);
        assertThat(Codec.INT.decode(Codec.INT.encode(-7))).isEqualTo(-7);
        assertThat(Codec.DOUBLE.decode(Codec.DOUBLE.encode(Math.PI))).isEqualTo(Math.PI);
        assertThat(Codec.DOUBLE.encode(1.0)).containsExactly(0, 0, 0, 0, 0, 0, (byte) 0xF0, 0x3F);
    }

    @Test
    void decode_wrongLength_throwsInvalidArgumentNamingSizes() {
        assertThatThrownBy(() -> Codec.LONG.decode(new byte[3]))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("8")
                .hasMessageContaining("3");
        assertThatThrownBy(() -> Codec.INT.decode(new byte[8])).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void string_roundTrip_isUtf8() {
        assertThat(Codec.STRING.encode("héllo")).isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
        assertThat(Codec.STRING.decode(Codec.STRING.encode("日本 🎉"))).isEqualTo("日本 🎉");
    }

    @Test
    void string_unpairedSurrogate_throwsInvalidArgument() {
        assertThatThrownBy(() -> Codec.STRING.encode("a\uD800b"))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("surrogate");
    }

    @Test
    void bytes_encode_copies() {
        byte[] value = {1, 2, 3};
        byte[] encoded = Codec.BYTES.encode(value);
        value[0] = 9;
        assertThat(encoded).containsExactly(1, 2, 3);
    }

    @Test
    void json_record_roundTripsAsJsonText() {
        Codec<Settings> codec = Codec.json(Settings.class);
        Settings s = settings(3);
        byte[] bytes = codec.encode(s);
        assertThat(new String(bytes, StandardCharsets.UTF_8))
                .contains("\"theme\":\"light\"")
                .contains("\"fontSize\":13");
        assertThat(codec.decode(bytes)).isEqualTo(s);
        assertThat(codec.name()).isEqualTo("json(Settings)");
    }

    @Test
    void jsonAndCbor_bean_roundTrips() {
        Bean bean = new Bean("b", 42);
        assertThat(Codec.json(Bean.class).decode(Codec.json(Bean.class).encode(bean)))
                .isEqualTo(bean);
        assertThat(Codec.cbor(Bean.class).decode(Codec.cbor(Bean.class).encode(bean)))
                .isEqualTo(bean);
    }

    @Test
    void jsonAndCbor_genericMapsAndLists_roundTrip() {
        Map<String, Object> value = Map.of("a", List.of(1, "two", true), "b", Map.of("c", 2.5));
        for (Codec<Object> codec : List.of(Codec.json(Object.class), Codec.cbor(Object.class))) {
            assertThat(codec.decode(codec.encode(value))).as(codec.name()).isEqualTo(value);
        }
        @SuppressWarnings("rawtypes")
        Codec<List> lists = Codec.json(List.class);
        List<?> back = lists.decode(lists.encode(List.of("x", "y")));
        assertThat(back).isEqualTo(List.of("x", "y"));
    }

    @Test
    void cbor_record_isBinaryAndRoundTrips() {
        Codec<Settings> codec = Codec.cbor(Settings.class);
        byte[] bytes = codec.encode(settings(1));
        assertThat(bytes[0] & 0xE0).as("a CBOR map header").isEqualTo(0xA0);
        assertThat(codec.decode(bytes)).isEqualTo(settings(1));
    }

    @Test
    void json_badBytes_throwsInvalidArgumentNamingCodec() {
        assertThatThrownBy(() -> Codec.json(Settings.class).decode("{not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("json(Settings)");
    }

    @Test
    void json_unencodableValue_throwsInvalidArgument() {
        Codec<Object> codec = Codec.json(Object.class);
        assertThatThrownBy(() -> codec.encode(new TypedFixtures.Unwritable()))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("json(Object)");
    }

    @Test
    void of_functions_roundTripAndRefuseNull() {
        Codec<Integer> codec = Codec.of(
                i -> Integer.toString(i).getBytes(StandardCharsets.UTF_8),
                b -> Integer.parseInt(new String(b, StandardCharsets.UTF_8)));
        assertThat(codec.decode(codec.encode(123))).isEqualTo(123);
        assertThat(codec.name()).isEqualTo("custom");
        assertThatThrownBy(() -> Codec.of(null, b -> b)).isInstanceOf(InvalidArgumentException.class);
    }
}
