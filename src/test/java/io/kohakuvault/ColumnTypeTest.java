package io.kohakuvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** ColumnType: the dtype strings shared with the Python/Rust KohakuVault, read and written back. */
class ColumnTypeTest {
    static Stream<Arguments> seedDtypes() {
        return Stream.of(
                Arguments.of("i64", ColumnType.I64, 8),
                Arguments.of("i32", ColumnType.I32, 4),
                Arguments.of("f64", ColumnType.F64, 8),
                Arguments.of("f32", ColumnType.F32, 4),
                Arguments.of("bytes", ColumnType.BYTES, -1),
                Arguments.of("str", ColumnType.STRING, -1),
                Arguments.of("bytes:1", ColumnType.bytes(1), 1),
                Arguments.of("bytes:32", ColumnType.bytes(32), 32),
                Arguments.of("bytes:16777216", ColumnType.bytes(ColumnType.MAX_FIXED_SIZE), ColumnType.MAX_FIXED_SIZE));
    }

    @ParameterizedTest
    @MethodSource("seedDtypes")
    void parse_seedDtype_roundTripsThroughDtype(String dtype, ColumnType<?> expected, int fixedSize) {
        ColumnType<?> parsed = ColumnType.parse(dtype);
        assertThat(parsed).isEqualTo(expected);
        assertThat(parsed.dtype()).isEqualTo(dtype);
        assertThat(parsed.toString()).isEqualTo(dtype);
        assertThat(ColumnType.parse(parsed.dtype())).isEqualTo(parsed);
        assertThat(parsed.fixedSize()).isEqualTo(fixedSize);
        assertThat(parsed.isFixedSize()).isEqualTo(fixedSize > 0);
    }

    @Test
    void parse_constants_returnTheSameInstances() {
        assertThat(ColumnType.parse("i64")).isSameAs(ColumnType.I64);
        assertThat(ColumnType.parse("i32")).isSameAs(ColumnType.I32);
        assertThat(ColumnType.parse("f64")).isSameAs(ColumnType.F64);
        assertThat(ColumnType.parse("f32")).isSameAs(ColumnType.F32);
        assertThat(ColumnType.parse("bytes")).isSameAs(ColumnType.BYTES);
        assertThat(ColumnType.parse("str")).isSameAs(ColumnType.STRING);
    }

    static Stream<Arguments> aliases() {
        return Stream.of(
                Arguments.of("int64", ColumnType.I64),
                Arguments.of("INT64", ColumnType.I64),
                Arguments.of("int32", ColumnType.I32),
                Arguments.of("float64", ColumnType.F64),
                Arguments.of("Float32", ColumnType.F32),
                Arguments.of("string", ColumnType.STRING),
                Arguments.of("STR", ColumnType.STRING),
                Arguments.of("  i64  ", ColumnType.I64),
                Arguments.of("\tF64\n", ColumnType.F64),
                Arguments.of("BYTES", ColumnType.BYTES),
                Arguments.of(" Bytes:32 ", ColumnType.bytes(32)));
    }

    @ParameterizedTest
    @MethodSource("aliases")
    void parse_aliasCaseAndBlanks_giveTheCanonicalType(String dtype, ColumnType<?> expected) {
        ColumnType<?> parsed = ColumnType.parse(dtype);
        assertThat(parsed).isEqualTo(expected);
        assertThat(parsed.dtype()).isEqualTo(expected.dtype());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " ",
                "i16",
                "u64",
                "float",
                "double",
                "int",
                "text",
                "bytes:",
                "bytes:x",
                "bytes:-1",
                "bytes:0",
                "bytes:00",
                "bytes: 32",
                "bytes :32",
                "bytes:3 2",
                "bytes:32x",
                "bytes:1.5",
                "bytes:16777217",
                "bytes:99999999999",
                "bytes32",
                "i64;",
                "i64 i64"
            })
    void parse_badDtype_throwsInvalidArgumentNamingTheString(String dtype) {
        assertThatThrownBy(() -> ColumnType.parse(dtype))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("'" + dtype + "'");
    }

    @Test
    void parse_null_throwsInvalidArgument() {
        assertThatThrownBy(() -> ColumnType.parse(null))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("null");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE, ColumnType.MAX_FIXED_SIZE + 1, Integer.MAX_VALUE})
    void bytes_sizeOutOfRange_throwsInvalidArgumentNamingTheSize(int size) {
        assertThatThrownBy(() -> ColumnType.bytes(size))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining(Integer.toString(size));
    }

    @Test
    void equalsAndHashCode_followTheDtype() {
        assertThat(ColumnType.bytes(32)).isEqualTo(ColumnType.bytes(32)).hasSameHashCodeAs(ColumnType.bytes(32));
        assertThat(ColumnType.bytes(32))
                .isEqualTo(ColumnType.parse("bytes:32"))
                .hasSameHashCodeAs(ColumnType.parse("bytes:32"));
        assertThat(ColumnType.bytes(32)).isNotEqualTo(ColumnType.bytes(16));
        assertThat(ColumnType.bytes(8)).isNotEqualTo(ColumnType.BYTES);
        assertThat(ColumnType.I64).isNotEqualTo(ColumnType.F64);
        assertThat(ColumnType.I32).isNotEqualTo(ColumnType.F32);
        assertThat(ColumnType.STRING).isNotEqualTo(ColumnType.BYTES);
        assertThat(ColumnType.I64).isNotEqualTo("i64");
        assertThat(ColumnType.I64).isNotEqualTo(null);
        assertThat(ColumnType.parse("int64")).hasSameHashCodeAs(ColumnType.I64);
    }

    @Test
    void type_opensItsColumnClass() throws Exception {
        try (Vault vault = Vault.open(":memory:")) {
            assertThat(vault.column("a", ColumnType.I64)).isInstanceOf(LongColumn.class);
            assertThat(vault.column("b", ColumnType.I32)).isInstanceOf(IntColumn.class);
            assertThat(vault.column("c", ColumnType.F64)).isInstanceOf(DoubleColumn.class);
            assertThat(vault.column("d", ColumnType.F32)).isInstanceOf(FloatColumn.class);
            assertThat(vault.column("e", ColumnType.BYTES).fixedSize()).isEqualTo(-1);
            assertThat(vault.column("f", ColumnType.bytes(32)).fixedSize()).isEqualTo(32);
            assertThat(vault.column("g", ColumnType.STRING)).isInstanceOf(StringColumn.class);
            // a parsed type opens the same class as the constant, and the column reports its type
            Column<?> parsed = vault.columns().column("h", ColumnType.parse("bytes:16"));
            assertThat(parsed).isInstanceOf(BytesColumn.class);
            assertThat(parsed.type()).isEqualTo(ColumnType.bytes(16));
            assertThat(vault.columns().column("a").type()).isSameAs(ColumnType.I64);
        }
    }
}
