package io.kohakuvault.internal.db;

import static io.kohakuvault.internal.schema.Tables.VAULT_KV_ENTRY;
import static io.kohakuvault.internal.schema.Tables.VAULT_KV_STORE;
import static io.kohakuvault.internal.schema.Tables.VAULT_META;
import static org.assertj.core.api.Assertions.assertThat;

import io.kohakuvault.Vault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migrations, the list the library applies, and the generated classes agree: a fresh file
 * is migrated and then read and written through the generated tables.
 */
class MigrationsTest {
    @TempDir
    Path dir;

    @Test
    void migrationFolders_holdExactlyTheScriptsTheLibraryApplies() throws Exception {
        for (Migrations migrations : List.of(Migrations.SQLITE, Migrations.POSTGRESQL)) {
            List<String> onDisk;
            try (Stream<Path> files = Files.list(Path.of("src/main/resources", migrations.folder()))) {
                onDisk = files.map(p -> p.getFileName().toString()).sorted().toList();
            }
            assertThat(onDisk).isEqualTo(migrations.scripts());
            String last = onDisk.get(onDisk.size() - 1);
            assertThat(last).startsWith("V" + Migrations.LATEST_VERSION + "__");
        }
    }

    /**
     * An application's own Flyway scans {@code classpath:db/migration} by default: it must find none
     * of the vault's scripts (else it would create the vault's tables in the application's database).
     */
    @Test
    void applicationsFlywayWithDefaultLocations_findsNoneOfTheVaultsScripts() {
        Flyway appFlyway = Flyway.configure()
                .dataSource("jdbc:sqlite:" + dir.resolve("app.db"), null, null)
                .load();
        assertThat(appFlyway.info().all()).isEmpty();
        assertThat(Migrations.class
                        .getClassLoader()
                        .getResource(Migrations.SQLITE.folder()
                                + Migrations.SQLITE.scripts().get(0)))
                .isNotNull();
    }

    @Test
    void freshFile_isMigratedToLatest_andGeneratedClassesMatchIt() throws Exception {
        Path file = dir.resolve("m.db");
        try (Vault vault = Vault.open(file)) {
            vault.kv("media").put("k", new byte[] {7});
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            DSLContext db = DSL.using(c, SQLDialect.SQLITE);
            assertThat(db.select(VAULT_META.SCHEMA_VERSION).from(VAULT_META).fetchOne(VAULT_META.SCHEMA_VERSION))
                    .isEqualTo(Migrations.LATEST_VERSION);
            var row = db.select(VAULT_KV_ENTRY.VALUE, VAULT_KV_STORE.NAME)
                    .from(VAULT_KV_ENTRY)
                    .join(VAULT_KV_STORE)
                    .on(VAULT_KV_STORE.ID.eq(VAULT_KV_ENTRY.STORE_ID))
                    .where(VAULT_KV_ENTRY.KEY.eq("k".getBytes()))
                    .fetchOne();
            assertThat(row).isNotNull();
            assertThat(row.value1()).containsExactly(7);
            assertThat(row.value2()).isEqualTo("media");
        }
    }
}
