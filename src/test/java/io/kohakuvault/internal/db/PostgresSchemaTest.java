package io.kohakuvault.internal.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.kohakuvault.internal.schema.DefaultSchema;
import io.kohakuvault.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.jooq.Field;
import org.jooq.Table;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The vault's PostgreSQL schema, migrated by Flyway on a real server: it has exactly the tables and
 * columns of the jOOQ classes generated from the SQLite schema (so that one set of classes renders
 * for both databases), it is valid for Citus as it is (every key of a distributed table holds its
 * distribution column, no triggers, no foreign keys), and docs/SCALING.md distributes exactly these
 * tables by exactly these columns.
 */
class PostgresSchemaTest {
    static final String SCHEMA = "kohakuvault";

    /** Flyway's own table, laid out by Flyway on each database: not one of the generated classes' concerns. */
    private static final String HISTORY = "vault_schema_history";

    /** The distributed tables and their distribution columns. */
    static final Map<String, String> DISTRIBUTED = Map.of(
            "vault_kv_entry", "store_id",
            "vault_kv_blob", "store_id",
            "vault_kv_chunk", "store_id",
            "vault_column_chunk", "column_id",
            "vault_column_heap", "column_id");

    /** The small catalogs, copied to every node. */
    static final Set<String> REFERENCE = Set.of("vault_meta", "vault_kv_store", "vault_column");

    private static PostgresServer.Database database;

    @BeforeAll
    static void migrate() {
        database = migrated(PostgresSchemaTest.class.getSimpleName());
    }

    /**
     * @param prefix the start of the new database's name
     * @return a new database of the test server holding the vault's tables in {@link #SCHEMA}
     */
    static PostgresServer.Database migrated(String prefix) {
        PostgresServer.Database fresh = PostgresServer.get().newDatabase(prefix);
        Flyway.configure(PostgresSchemaTest.class.getClassLoader())
                .dataSource(fresh.dataSource())
                .schemas(SCHEMA)
                .table(HISTORY)
                .locations("classpath:io/kohakuvault/migration/postgresql")
                .loggers(FlywayLogs.class.getName())
                .load()
                .migrate();
        return fresh;
    }

    @Test
    void tablesAndColumns_areThoseOfTheGeneratedClasses() throws SQLException {
        Map<String, Set<String>> generated = new TreeMap<>();
        for (Table<?> table : DefaultSchema.DEFAULT_SCHEMA.getTables()) {
            if (table.getName().equals(HISTORY)) {
                continue;
            }
            Set<String> columns = new TreeSet<>();
            for (Field<?> field : table.fields()) {
                columns.add(field.getName().toLowerCase(Locale.ROOT));
            }
            generated.put(table.getName().toLowerCase(Locale.ROOT), columns);
        }
        Map<String, Set<String>> onServer = new TreeMap<>();
        try (Connection c = database.connect();
                PreparedStatement s =
                        c.prepareStatement("SELECT table_name, column_name FROM information_schema.columns"
                                + " WHERE table_schema = ? AND table_name <> ?")) {
            s.setString(1, SCHEMA);
            s.setString(2, HISTORY);
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    onServer.computeIfAbsent(rows.getString(1), k -> new TreeSet<>())
                            .add(rows.getString(2));
                }
            }
        }
        assertThat(onServer).isEqualTo(generated);
    }

    @Test
    void everyTable_isDistributedOrAReference_andEveryKeyHoldsItsDistributionColumn() throws SQLException {
        Set<String> tables = new TreeSet<>();
        Map<String, List<String>> keys = new HashMap<>(); // constraint -> its columns, "table.constraint"
        try (Connection c = database.connect()) {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_name <> ?")) {
                s.setString(1, SCHEMA);
                s.setString(2, HISTORY);
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        tables.add(rows.getString(1));
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT rel.relname, con.conname, att.attname"
                    + " FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid"
                    + " JOIN pg_namespace ns ON ns.oid = rel.relnamespace"
                    + " JOIN pg_attribute att ON att.attrelid = rel.oid AND att.attnum = ANY (con.conkey)"
                    + " WHERE ns.nspname = ? AND con.contype IN ('p', 'u')")) {
                s.setString(1, SCHEMA);
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        keys.computeIfAbsent(
                                        rows.getString(1) + "." + rows.getString(2), k -> new java.util.ArrayList<>())
                                .add(rows.getString(3));
                    }
                }
            }
        }
        Set<String> known = new TreeSet<>(DISTRIBUTED.keySet());
        known.addAll(REFERENCE);
        assertThat(tables).isEqualTo(known);
        for (Map.Entry<String, List<String>> key : keys.entrySet()) {
            String table = key.getKey().substring(0, key.getKey().indexOf('.'));
            String distribution = DISTRIBUTED.get(table);
            if (distribution != null) {
                assertThat(key.getValue()).as(key.getKey()).contains(distribution);
            }
        }
        assertThat(keys.keySet()).anyMatch(k -> k.startsWith("vault_kv_chunk."));
    }

    @Test
    void noTriggersAndNoForeignKeys() throws SQLException {
        try (Connection c = database.connect()) {
            assertThat(count(
                            c,
                            "SELECT count(*) FROM pg_trigger t JOIN pg_class rel ON rel.oid = t.tgrelid"
                                    + " JOIN pg_namespace ns ON ns.oid = rel.relnamespace"
                                    + " WHERE ns.nspname = ? AND NOT t.tgisinternal"))
                    .isZero();
            assertThat(count(
                            c,
                            "SELECT count(*) FROM pg_constraint con JOIN pg_namespace ns ON ns.oid = con.connamespace"
                                    + " WHERE ns.nspname = ? AND con.contype = 'f'"))
                    .isZero();
        }
    }

    @Test
    void scalingGuide_distributesExactlyTheseTables() throws Exception {
        String guide = Files.readString(Path.of("docs/SCALING.md"));
        Map<String, String> distributed = new TreeMap<>();
        Matcher d =
                Pattern.compile("create_distributed_table\\('(\\w+)', '(\\w+)'").matcher(guide);
        while (d.find()) {
            distributed.put(d.group(1), d.group(2));
        }
        Set<String> reference = new TreeSet<>();
        Matcher r = Pattern.compile("create_reference_table\\('(\\w+)'\\)").matcher(guide);
        while (r.find()) {
            reference.add(r.group(1));
        }
        assertThat(distributed).isEqualTo(new TreeMap<>(DISTRIBUTED));
        assertThat(reference).isEqualTo(new TreeSet<>(REFERENCE));
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, SCHEMA);
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
