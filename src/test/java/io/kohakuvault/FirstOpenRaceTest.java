package io.kohakuvault;

import static io.kohakuvault.VaultFixtures.text;
import static io.kohakuvault.VaultFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four processes opening one file at the same moment, released together by a start barrier:
 * a file that does not exist yet, and a file at schema version 1 that each of them would upgrade.
 * Every open succeeds, the schema is migrated exactly once (one successful history row per
 * migration, {@code vault_meta} at the latest version), data kept from before survives, and every
 * process's writes afterwards are all there.
 */
class FirstOpenRaceTest {
    static final int PROCESSES = 4;

    @TempDir
    Path dir;

    /** What a single open writes: each migration once, and the latest version (the number is not hard-coded here). */
    private History reference;

    record History(List<String> versions, int schemaVersion) {}

    @BeforeEach
    void openAReferenceFileAlone() throws Exception {
        Path file = dir.resolve("reference.db");
        Vault.open(file).close();
        reference = history(file);
        assertThat(reference.versions()).isNotEmpty().doesNotHaveDuplicates();
        assertThat(reference.versions().get(reference.versions().size() - 1))
                .isEqualTo(Integer.toString(reference.schemaVersion()));
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void firstOpen_ofANewFileByFourProcessesAtOnce_allSucceedAndMigrateOnce() throws Exception {
        for (int round = 0; round < 2; round++) {
            Path file = dir.resolve("new-" + round + ".db");
            openTogether(file, "round " + round);
            try (Vault vault = Vault.open(file)) {
                checkWrites(vault, "round " + round);
            }
            checkMigratedOnce(file, "round " + round);
        }
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void open_ofAVersion1FileByFourProcessesAtOnce_upgradesOnceKeepingData() throws Exception {
        for (int round = 0; round < 2; round++) {
            Path file = dir.resolve("old-" + round + ".db");
            try (Vault vault = Vault.open(file)) {
                vault.kv().put("kept", utf8("value " + round));
                vault.kv("other").put("also", utf8("kept"));
            }
            OlderSchemas.toVersion1(file);
            openTogether(file, "upgrade round " + round);
            try (Vault vault = Vault.open(file)) {
                assertThat(text(vault.kv().get("kept"))).isEqualTo("value " + round);
                assertThat(text(vault.kv("other").get("also"))).isEqualTo("kept");
                checkWrites(vault, "upgrade round " + round);
            }
            checkMigratedOnce(file, "upgrade round " + round);
        }
    }

    /** Starts the processes, releases them together, and waits until each has opened and written. */
    private void openTogether(Path file, String context) throws Exception {
        Path go = dir.resolve(file.getFileName() + ".go");
        List<ChildJvm.Running> children = new ArrayList<>();
        try {
            for (int id = 0; id < PROCESSES; id++) {
                children.add(
                        ChildJvm.start(Opener.class, "128m", file.toString(), go.toString(), Integer.toString(id)));
            }
            ChildJvm.releaseTogether(children, go);
            for (ChildJvm.Running child : children) {
                int exit = child.awaitExit(Duration.ofSeconds(90));
                assertThat(exit)
                        .as("%s: a process opening the file; its output:\n%s", context, child.output())
                        .isZero();
            }
        } finally {
            for (ChildJvm.Running child : children) {
                child.close();
            }
        }
    }

    private static void checkWrites(Vault vault, String context) {
        for (int id = 0; id < PROCESSES; id++) {
            assertThat(vault.kv().get("opener-" + id))
                    .as("%s: the write of process %d", context, id)
                    .isEqualTo(Opener.value(id));
        }
        LongColumn opened = vault.column("opened", ColumnType.I64);
        assertThat(opened.longStream().sorted().toArray())
                .as("%s: every process's append", context)
                .containsExactly(LongStream.range(0, PROCESSES).toArray());
        String integrity = vault.database().withWriter(c -> c.pragma("PRAGMA integrity_check"));
        assertThat(integrity).isEqualTo("ok");
    }

    /** One successful history row for each migration, no other row, and vault_meta at the latest version. */
    private void checkMigratedOnce(Path file, String context) throws Exception {
        History history = history(file);
        assertThat(history.versions())
                .as("%s: the versions of the successful migrations in the history", context)
                .isEqualTo(reference.versions());
        assertThat(history.schemaVersion())
                .as("%s: vault_meta's schema version", context)
                .isEqualTo(reference.schemaVersion());
    }

    /**
     * @return the versions of the history's rows, in order, and vault_meta's schema version
     * @throws AssertionError when a row is not a success, or vault_meta has not exactly one row
     */
    static History history(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            List<String> versions = new ArrayList<>();
            List<String> rows = new ArrayList<>();
            try (ResultSet r = s.executeQuery("SELECT version, description, type, success FROM vault_schema_history"
                    + " ORDER BY installed_rank")) {
                while (r.next()) {
                    rows.add(r.getString(1) + " " + r.getString(2) + " " + r.getString(3) + " success=" + r.getInt(4));
                    versions.add(r.getString(1));
                }
            }
            assertThat(rows).as("the history of " + file).allMatch(row -> row.endsWith("success=1"));
            try (ResultSet r = s.executeQuery("SELECT schema_version FROM vault_meta")) {
                assertThat(r.next()).as("vault_meta of " + file + " has a row").isTrue();
                int version = r.getInt(1);
                assertThat(r.next())
                        .as("vault_meta of " + file + " has one row")
                        .isFalse();
                return new History(versions, version);
            }
        }
    }

    /** Waits at the start barrier, opens the file, puts its key and appends its id, then prints {@code OPENED id}. */
    public static final class Opener {
        private Opener() {}

        static byte[] value(int id) {
            return VaultFixtures.bytes(100 + id, id);
        }

        /** @param args the file, the start signal, the process's id */
        public static void main(String[] args) throws Exception {
            ChildJvm.awaitGo(Path.of(args[1]));
            int id = Integer.parseInt(args[2]);
            try (Vault vault = Vault.open(Path.of(args[0]))) {
                vault.kv().put("opener-" + id, value(id));
                vault.column("opened", ColumnType.I64).append(id);
            }
            System.out.println("OPENED " + id);
        }
    }
}
