package io.kohakuvault;

import static io.kohakuvault.TypedFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kohakuvault.TypedFixtures.Bean;
import io.kohakuvault.TypedFixtures.Event;
import io.kohakuvault.TypedFixtures.Settings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ObjectColumn} (json and cbor) through the public API on real files. */
class ObjectColumnTest extends VaultTestBase {

    private Vault open() {
        vault = Vault.open(dir.resolve("objects.db"));
        return vault;
    }

    private static ColumnType<ObjectColumn<Event>> eventType(String format) {
        return format.equals("json") ? ColumnType.json(Event.class) : ColumnType.cbor(Event.class);
    }

    private static Event event(int i) {
        return new Event(1000L + i, "kind" + i, settings(i));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"json", "cbor"})
    void listOperations_thenReopen_elementsSurvive(String format) {
        ObjectColumn<Event> events = open().column("events", eventType(format));
        assertThat(events.type().dtype()).isEqualTo(format);
        for (int i = 0; i < 50; i++) {
            events.add(event(i));
        }
        events.extend(List.of(event(50), event(51)));
        events.set(3, event(99));
        events.remove(0);
        events.add(0, event(77));
        assertThat(events.getObject(3)).isEqualTo(event(99));
        vault.close();
        vault = Vault.open(dir.resolve("objects.db"));
        ObjectColumn<Event> back = vault.column("events", eventType(format));
        assertThat(back).hasSize(52);
        assertThat(back.get(0)).isEqualTo(event(77));
        assertThat(back.getRange(50, 52)).containsExactly(event(50), event(51));
        assertThat(vault.columns().listColumns())
                .extracting(ColumnInfo::type)
                .containsExactly(ColumnType.parse(format));
    }

    @ParameterizedTest(name = "cache {0}")
    @ValueSource(booleans = {false, true})
    void transaction_thatThrows_rollsBackAppends(boolean cached) {
        open();
        if (cached) {
            vault.withCache(1 << 20, 1 << 19);
        }
        ObjectColumn<Bean> beans = vault.column("beans", ColumnType.json(Bean.class));
        beans.append(new Bean("kept", 1));
        assertThatThrownBy(() -> vault.transaction(() -> {
                    beans.append(new Bean("gone", 2));
                    assertThat(beans).hasSize(2);
                    throw new IllegalStateException("boom");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(beans).containsExactly(new Bean("kept", 1));
    }

    @Test
    void parse_json_opensUntypedColumnOfMapsListsAndScalars() {
        ObjectColumn<Object> any = open().column("any", ColumnType.json(Object.class));
        any.append(Map.of("a", 1));
        any.append(List.of("x", 2.5, true));
        any.append("text");
        any.append(7);
        assertThat(ColumnType.parse("json")).isEqualTo(ColumnType.json(Object.class));
        vault.close();
        vault = Vault.open(dir.resolve("objects.db"));
        @SuppressWarnings("unchecked")
        ObjectColumn<Object> untyped = (ObjectColumn<Object>) vault.columns().column("any");
        assertThat(untyped).containsExactly(Map.of("a", 1), List.of("x", 2.5, true), "text", 7);
    }

    @Test
    void column_otherClassOfSameFormat_isRefused() {
        open().column("events", ColumnType.json(Event.class)).append(event(1));
        assertThatThrownBy(() -> vault.column("events", ColumnType.json(Settings.class)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("events")
                .hasMessageContaining("json(Event)")
                .hasMessageContaining("json(Settings)");
        assertThatThrownBy(() -> vault.column("events", ColumnType.cbor(Event.class)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("json");
        assertThat(vault.column("events", ColumnType.json(Event.class)).get(0)).isEqualTo(event(1));
    }

    @Test
    void column_typedAfterUntyped_givesTypedViewOfSameColumn() {
        open().column("events", ColumnType.json(Event.class)).append(event(1));
        vault.close();
        vault = Vault.open(dir.resolve("objects.db"));
        Column<?> untyped = vault.columns().column("events");
        ObjectColumn<Event> typed = vault.column("events", ColumnType.json(Event.class));
        typed.append(event(2));
        assertThat(untyped).hasSize(2);
        assertThat(typed.get(1)).isEqualTo(event(2));
        assertThat(vault.columns().column("events")).isSameAs(typed);
    }

    @Test
    void append_unencodable_throwsInvalidArgument_andAppendsNothing() {
        ObjectColumn<Object> any = open().column("any", ColumnType.json(Object.class));
        assertThatThrownBy(() -> any.append(new TypedFixtures.Unwritable()))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("'any'");
        assertThatThrownBy(() -> any.extend(List.of("ok", new TypedFixtures.Unwritable())))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> any.append(null)).isInstanceOf(InvalidArgumentException.class);
        assertThat(any).isEmpty();
    }

    @Test
    void get_bytesOfAnotherClass_throwsNamingColumnAndCodec() {
        open().column("events", ColumnType.json(Object.class)).append(List.of(1, 2));
        vault.close();
        vault = Vault.open(dir.resolve("objects.db"));
        ObjectColumn<Event> events = vault.column("events", ColumnType.json(Event.class));
        assertThatThrownBy(() -> events.get(0))
                .isInstanceOf(KohakuVaultException.class)
                .hasMessageContaining("'events'")
                .hasMessageContaining("json(Event)");
    }

    @Test
    void twoVaults_oneFile_seeEachOthersAppends() {
        open();
        try (Vault other = Vault.open(dir.resolve("objects.db"))) {
            ObjectColumn<Event> mine = vault.column("events", ColumnType.cbor(Event.class));
            ObjectColumn<Event> theirs = other.column("events", ColumnType.cbor(Event.class));
            mine.append(event(1));
            theirs.append(event(2));
            assertThat(mine).containsExactly(event(1), event(2));
            assertThat(theirs.length()).isEqualTo(2);
        }
    }
}
