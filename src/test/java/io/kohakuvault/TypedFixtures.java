package io.kohakuvault;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Value types the typed-layer tests store: a record, a bean, and nested generic containers. */
final class TypedFixtures {
    private TypedFixtures() {}

    /** A small record, as users store settings. */
    record Settings(String theme, int fontSize, List<String> tags, Map<String, Double> weights) {}

    /** An event with a nested record. */
    record Event(long at, String kind, Settings settings) {}

    /** A JavaBean: no-argument constructor, getters and setters. */
    public static final class Bean {
        private String name = "";
        private long count;

        public Bean() {}

        Bean(String name, long count) {
            this.name = name;
            this.count = count;
        }

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public long getCount() {
            return count;
        }

        public void setCount(long count) {
            this.count = count;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Bean b && b.name.equals(name) && b.count == count;
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, count);
        }
    }

    /** A bean that Jackson cannot write: its getter throws. */
    public static final class Unwritable {
        public String getValue() {
            throw new IllegalStateException("this value cannot be read");
        }
    }

    static Settings settings(int i) {
        return new Settings(i % 2 == 0 ? "dark" : "light", 10 + i, List.of("t" + i, "x"), Map.of("w", i / 4.0));
    }
}
