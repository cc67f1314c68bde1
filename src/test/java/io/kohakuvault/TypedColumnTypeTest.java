package io.kohakuvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kohakuvault.TypedFixtures.Event;
import io.kohakuvault.TypedFixtures.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The dtypes of the typed columns: json, cbor, vec:f32:N. */
class TypedColumnTypeTest {

    @Test
    void parse_typedDtypes_roundTrip() {
        assertThat(ColumnType.parse("json")).isEqualTo(ColumnType.json(Object.class));
        assertThat(ColumnType.parse(" CBOR ")).isEqualTo(ColumnType.cbor(Object.class));
        assertThat(ColumnType.parse("vec:f32:384")).isEqualTo(ColumnType.vector(384));
        assertThat(ColumnType.vector(384).dtype()).isEqualTo("vec:f32:384");
        assertThat(ColumnType.vector(384).fixedSize()).isEqualTo(1536);
        assertThat(ColumnType.json(Event.class).dtype()).isEqualTo("json");
        assertThat(ColumnType.json(Event.class).fixedSize()).isEqualTo(-1);
    }

    @Test
    void equals_jsonOfTwoClasses_differ() {
        assertThat(ColumnType.json(Event.class))
                .isEqualTo(ColumnType.json(Event.class))
                .hasSameHashCodeAs(ColumnType.json(Event.class))
                .isNotEqualTo(ColumnType.json(Settings.class))
                .isNotEqualTo(ColumnType.cbor(Event.class));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, ColumnType.MAX_DIMENSIONS + 1})
    void vector_dimensionOutOfRange_throwsInvalidArgument(int dimensions) {
        assertThatThrownBy(() -> ColumnType.vector(dimensions))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining(Integer.toString(dimensions));
    }

    @ParameterizedTest
    @ValueSource(strings = {"vec:f32:0", "vec:f32:", "vec:f32:x", "vec:f64:3", "vec:f32:99999999", "jsonb"})
    void parse_badTypedDtype_throwsInvalidArgument(String dtype) {
        assertThatThrownBy(() -> ColumnType.parse(dtype))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining(dtype);
    }
}
