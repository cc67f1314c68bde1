package io.kohakuvault.internal.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.kohakuvault.testing.PostgresServer;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jooq.SQLDialect;
import org.junit.jupiter.api.Test;

/**
 * Every statement of the engine ({@link SqlText} constants of the internal packages, found by
 * reflection so that a new one cannot be missed), rendered for PostgreSQL and prepared by a real
 * server against the vault's PostgreSQL schema: each parses, and names tables, columns and
 * functions that exist, with parameter types the server can infer. One set of jOOQ classes serves
 * both databases.
 */
class StatementsOnPostgresTest {
    @Test
    void everyStatement_preparesOnPostgresql() throws Exception {
        Map<String, SqlText> statements = engineStatements();
        assertThat(statements).hasSizeGreaterThan(40);
        PostgresServer.Database database = PostgresSchemaTest.migrated(StatementsOnPostgresTest.class.getSimpleName());
        Map<String, String> failures = new TreeMap<>();
        try (Connection c = database.connect()) {
            try (Statement s = c.createStatement()) {
                s.execute("SET search_path TO " + PostgresSchemaTest.SCHEMA);
            }
            for (Map.Entry<String, SqlText> statement : statements.entrySet()) {
                String sql = statement.getValue().in(SQLDialect.POSTGRES);
                try (var prepared = c.prepareStatement(sql)) {
                    prepared.getParameterMetaData(); // makes the driver have the server parse and describe it
                } catch (SQLException e) {
                    failures.put(statement.getKey(), e.getSQLState() + " " + e.getMessage() + "\n    " + sql);
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    /** @return every SqlText held by a static field (alone, in an array, or in a record) of the internal classes */
    static Map<String, SqlText> engineStatements()
            throws IOException, URISyntaxException, ReflectiveOperationException {
        Path root = Path.of(SqlText.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        List<String> classes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root.resolve("io/kohakuvault/internal"))) {
            files.filter(f -> f.toString().endsWith(".class"))
                    .forEach(f -> classes.add(
                            root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "")));
        }
        Map<String, SqlText> found = new TreeMap<>();
        for (String name : classes) {
            Class<?> type = Class.forName(name, true, SqlText.class.getClassLoader());
            for (Field field : type.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers()) || field.isSynthetic()) {
                    continue;
                }
                field.setAccessible(true);
                collect(type.getSimpleName() + "." + field.getName(), field.get(null), found);
            }
        }
        return found;
    }

    private static void collect(String where, Object value, Map<String, SqlText> found)
            throws ReflectiveOperationException {
        if (value instanceof SqlText text) {
            found.put(where, text);
        } else if (value instanceof SqlText[] texts) {
            for (int i = 0; i < texts.length; i++) {
                found.put(where + "[" + i + "]", texts[i]);
            }
        } else if (value != null && value.getClass().isRecord()) {
            for (RecordComponent component : value.getClass().getRecordComponents()) {
                if (component.getType() == SqlText.class) {
                    component.getAccessor().setAccessible(true);
                    collect(
                            where + "." + component.getName(),
                            component.getAccessor().invoke(value),
                            found);
                }
            }
        }
    }
}
