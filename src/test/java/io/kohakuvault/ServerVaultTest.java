package io.kohakuvault;

import static io.kohakuvault.VaultFixtures.bytes;
import static io.kohakuvault.VaultFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kohakuvault.VaultFixtures.ServerVaults;
import io.kohakuvault.VaultFixtures.Storage;
import io.kohakuvault.testing.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What only a server vault has: the options it refuses, its schema, its URL and credentials, a role
 * confined to its own schema, several {@code Vault}s writing one database, and connections the
 * server ends. The behaviours it shares with a file vault are in the suites parameterised over
 * {@link Storage}.
 */
class ServerVaultTest extends VaultTestBase {
    @ParameterizedTest
    @ValueSource(strings = {"walEnabled", "pageSize", "mmapSize", "cacheKb", "synchronous"})
    void fileOnlyOption_isRefusedNamingIt_andCreatesNothing(String option) throws SQLException {
        VaultBuilder builder = Storage.POSTGRES.builder(dir);
        UnaryOperator<VaultBuilder> set = switch (option) {
            case "walEnabled" -> b -> b.walEnabled(true);
            case "pageSize" -> b -> b.pageSize(8192);
            case "mmapSize" -> b -> b.mmapSize(0);
            case "cacheKb" -> b -> b.cacheKb(100);
            case "synchronous" -> b -> b.synchronous(Synchronous.FULL);
            default -> throw new IllegalArgumentException(option);
        };
        assertThatThrownBy(() -> set.apply(builder).open())
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith(option + ":")
                .hasMessageContaining("server vault");
        assertThat(schemaExists(ServerVaults.schemaFor(dir))).isFalse();
    }

    @Test
    void schema_onAFileOrInMemoryVault_isRefused() {
        assertThatThrownBy(() -> Vault.builder(dir.resolve("v.db")).schema("x").open())
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("schema:");
        assertThat(dir.resolve("v.db")).doesNotExist();
        assertThatThrownBy(() -> Vault.builder(":memory:").schema("x").open())
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("schema:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Vault", "1vault", "a-b", "x; DROP SCHEMA public", "\"q\"", "é"})
    void schemaThatIsNotAPlainName_isRefusedNamingIt(String schema) {
        VaultBuilder builder = Vault.builder(ServerVaults.DATABASE.get().dataSource());
        assertThatThrownBy(() -> builder.schema(schema).open())
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("schema must be")
                .hasMessageContaining("'" + schema + "'");
    }

    @Test
    void schemaLongerThan63Characters_isRefused() {
        String schema = "s".repeat(64);
        assertThatThrownBy(() -> Vault.builder(ServerVaults.DATABASE.get().dataSource())
                        .schema(schema)
                        .open())
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("schema must be");
    }

    @Test
    void url_opensTheVaultInItsCurrentSchema_andNoMessageShowsThePassword() throws SQLException {
        String schema = ServerVaults.schemaFor(dir);
        String url = ServerVaults.url(schema);
        String password = ServerVaults.DATABASE.get().password();
        vault = Vault.open(url);
        vault.kv().put("k", utf8("v"));
        assertThat(schemaExists(schema)).isTrue();
        assertThat(vault.toString()).doesNotContain(password).contains(schema);
        assertThat(vault.path()).isNull();
        try (Vault same = Vault.builder(ServerVaults.DATABASE.get().dataSource())
                .schema(schema)
                .open()) {
            assertThat(same.kv().get("k")).isEqualTo(utf8("v"));
        }
        vault.close();
        assertThatThrownBy(() -> vault.kv().get("k"))
                .isInstanceOf(VaultIoException.class)
                .hasMessageContaining("closed")
                .hasMessageContaining(schema)
                .hasMessageNotContaining(password);
    }

    @Test
    void wrongPassword_failsClearly_withoutShowingIt() {
        PostgresServer.Database db = ServerVaults.DATABASE.get();
        String wrong = "not-the-password-" + System.nanoTime();
        String url = db.url() + (db.url().contains("?") ? "&" : "?") + "user=" + db.user() + "&password=" + wrong;
        assertThatThrownBy(() -> Vault.open(url))
                .isInstanceOf(VaultIoException.class)
                .hasMessageContaining("PostgreSQL")
                .hasMessageNotContaining(wrong)
                .hasMessageNotContaining(db.password());
    }

    @Test
    void roleConfinedToItsOwnSchema_runsTheVaultThere() throws SQLException {
        PostgresServer.Database db = PostgresServer.get().newDatabase("confined");
        PostgresServer.Role role = PostgresServer.get().newRestrictedRole(db, "kv");
        try (Vault confined =
                Vault.builder(role.dataSource()).schema(role.schema()).open()) {
            confined.kv("media").put(utf8("a"), bytes(3 << 20, 1)); // several chunks
            LongColumn column = confined.column("n", ColumnType.I64);
            column.extend(new long[] {1, 2, 3});
            confined.transaction(() -> {
                confined.kv().put("t", utf8("in a transaction"));
                column.append(4);
            });
            assertThat(confined.kv("media").get(utf8("a"))).isEqualTo(bytes(3 << 20, 1));
            assertThat(column.getLongs(0, 4)).containsExactly(1, 2, 3, 4);
        }
        // The role may not create a schema of its own choosing: opening one fails and creates nothing.
        assertThatThrownBy(() ->
                        Vault.builder(role.dataSource()).schema("elsewhere").open())
                .isInstanceOf(KohakuVaultException.class)
                .hasMessageNotContaining(role.password());
        try (Connection admin = db.connect();
                PreparedStatement s = admin.prepareStatement(
                        "SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'elsewhere'")) {
            ResultSet r = s.executeQuery();
            r.next();
            assertThat(r.getInt(1)).isZero();
        }
    }

    @Test
    void twoVaults_seeEachOthersCommits_atTheirNextCall() {
        vault = Storage.POSTGRES.open(dir);
        try (Vault other = Storage.POSTGRES.open(dir)) {
            KVault mine = vault.kv();
            KVault theirs = other.kv();
            LongColumn myColumn = vault.column("c", ColumnType.I64);
            LongColumn theirColumn = other.column("c", ColumnType.I64);
            for (int round = 0; round < 20; round++) {
                mine.put("k", utf8("mine " + round));
                assertThat(theirs.get("k")).isEqualTo(utf8("mine " + round));
                theirs.put("k", utf8("theirs " + round));
                assertThat(mine.get("k")).isEqualTo(utf8("theirs " + round));
                myColumn.append(round);
                assertThat(theirColumn.length()).isEqualTo(2L * round + 1);
                assertThat(theirColumn.getLong(2L * round)).isEqualTo(round);
                theirColumn.append(-round);
                assertThat(myColumn.length()).isEqualTo(2L * round + 2);
                myColumn.setLong(0, round);
                assertThat(theirColumn.getLong(0)).isEqualTo(round);
            }
        }
    }

    @Test
    void appendsFromFourVaultsAtOnce_onOneColumn_loseAndDuplicateNothing() throws Exception {
        int writers = 4;
        int each = 300;
        List<Vault> vaults = new ArrayList<>();
        try {
            for (int w = 0; w < writers; w++) {
                Vault v = Storage.POSTGRES.open(dir, b -> b.columnChunkSizes(ColumnFixtures.SMALL));
                vaults.add(v);
                v.column("shared", ColumnType.I64);
            }
            List<CompletableFuture<Void>> running = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                Vault v = vaults.get(w);
                running.add(CompletableFuture.runAsync(() -> {
                    LongColumn column = v.column("shared", ColumnType.I64);
                    for (int i = 0; i < each; i++) {
                        long value = writer * 1_000_000L + i;
                        if (i % 3 == 0) {
                            column.extend(new long[] {value});
                        } else {
                            column.append(value);
                        }
                    }
                }));
            }
            CompletableFuture.allOf(running.toArray(new CompletableFuture[0])).get(120, TimeUnit.SECONDS);
            LongColumn column = vaults.get(0).column("shared", ColumnType.I64);
            assertThat(column.length()).isEqualTo((long) writers * each);
            long[] all = column.getLongs(0, column.length());
            Set<Long> seen = new HashSet<>();
            long[] next = new long[writers];
            for (long value : all) {
                assertThat(seen.add(value)).as("%d appears once", value).isTrue();
                int writer = (int) (value / 1_000_000L);
                // each writer's own appends keep their order
                assertThat(value % 1_000_000L).isEqualTo(next[writer]++);
            }
        } finally {
            vaults.forEach(Vault::close);
        }
    }

    @Test
    void connectionEndedByTheServer_failsTheCallThatFindsOut_changingNothing_andTheNextCallReconnects()
            throws SQLException {
        PostgresServer.Database db = PostgresServer.get().newDatabase("ended");
        vault = Vault.builder(db.dataSource()).schema("v").open();
        KVault kv = vault.kv();
        kv.put("before", utf8("kept"));
        LongColumn column = vault.column("c", ColumnType.I64);
        column.append(1);

        terminateEveryConnection(db);
        assertThatThrownBy(() -> kv.put("lost", utf8("x")))
                .isInstanceOf(VaultIoException.class)
                .hasMessageContaining("connection")
                .hasMessageNotContaining(db.password());
        assertThat(kv.get("before")).isEqualTo(utf8("kept"));
        assertThat(kv.get("lost")).isNull();
        kv.put("after", utf8("works"));
        assertThat(kv.get("after")).isEqualTo(utf8("works"));

        terminateEveryConnection(db);
        assertThatThrownBy(() -> vault.transaction(() -> {
                    column.append(2);
                    kv.put("in transaction", utf8("x"));
                }))
                .isInstanceOf(VaultIoException.class);
        assertThat(column.length()).isEqualTo(1);
        assertThat(column.getLong(0)).isEqualTo(1);
        assertThat(kv.get("in transaction")).isNull();
        column.append(3);
        assertThat(column.getLongs(0, 2)).containsExactly(1, 3);
    }

    @Test
    void connectionEndedByTheServer_duringALargeWrite_leavesTheOldValueOrTheWholeNewOne() throws Exception {
        PostgresServer.Database db = PostgresServer.get().newDatabase("midwrite");
        vault = Vault.builder(db.dataSource()).schema("v").chunkSize(64 << 10).open();
        KVault kv = vault.kv();
        byte[] old = bytes(200_000, 1);
        byte[] big = bytes(24 << 20, 2); // 384 chunk statements in one transaction
        kv.put("k", old);
        CompletableFuture<Throwable> put = CompletableFuture.supplyAsync(() -> {
            try {
                kv.put("k", big);
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        Thread.sleep(150);
        terminateEveryConnection(db);
        Throwable failure = put.get(120, TimeUnit.SECONDS);
        byte[] now = kv.get("k");
        if (failure != null) {
            assertThat(failure).isInstanceOf(VaultIoException.class).hasMessageContaining("connection");
            assertThat(now).isEqualTo(old);
        } else {
            assertThat(now).isEqualTo(big); // it committed before the server ended the connection
        }
        kv.put("k", big);
        assertThat(kv.get("k")).isEqualTo(big);
    }

    /** Ends every session of {@code db} but the one that asks, as an administrator would. */
    private static void terminateEveryConnection(PostgresServer.Database db) throws SQLException {
        try (Connection admin = db.connect();
                PreparedStatement s = admin.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        + " WHERE datname = ? AND pid <> pg_backend_pid()")) {
            s.setString(1, db.name());
            s.execute();
        }
    }

    private static boolean schemaExists(String schema) throws SQLException {
        try (Connection c = ServerVaults.DATABASE.get().connect();
                PreparedStatement s =
                        c.prepareStatement("SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?")) {
            s.setString(1, schema);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1) > 0;
            }
        }
    }
}
