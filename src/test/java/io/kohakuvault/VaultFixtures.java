package io.kohakuvault;

import io.kohakuvault.testing.PostgresServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/** Shared test fixtures: vaults on real files or in memory, and deterministic test data. */
final class VaultFixtures {
    private VaultFixtures() {}

    /**
     * Where a test vault lives: parameterise tests over all three. A POSTGRES vault lives on the
     * test server ({@link PostgresServer}), in one database shared by the tests of this JVM, in a
     * schema of its own per test folder: opening again with the same folder reaches the same vault,
     * as a FILE vault's {@code v.db} does.
     */
    enum Storage {
        FILE,
        MEMORY,
        POSTGRES;

        /** Opens a vault of this kind; a FILE vault is {@code v.db} in {@code dir}. */
        Vault open(Path dir) {
            return open(dir, b -> b);
        }

        /** Opens a vault of this kind with extra builder options. */
        Vault open(Path dir, UnaryOperator<VaultBuilder> options) {
            return options.apply(builder(dir)).open();
        }

        /** @return a builder of this kind's vault for {@code dir}, every option at its default */
        VaultBuilder builder(Path dir) {
            return switch (this) {
                case FILE -> Vault.builder(dir.resolve("v.db"));
                case MEMORY -> Vault.builder(":memory:");
                case POSTGRES ->
                    Vault.builder(ServerVaults.DATABASE.get().dataSource()).schema(ServerVaults.schemaFor(dir));
            };
        }

        /**
         * @return what {@link Vault#builder(String)} takes to open this kind's vault for {@code dir}
         *     (in another process, too): the file's path, or a {@code jdbc:postgresql:} URL with the
         *     test server's credentials and the folder's schema as {@code currentSchema}
         * @throws IllegalStateException for MEMORY, which no other {@code Vault} can open
         */
        String address(Path dir) {
            return switch (this) {
                case FILE -> dir.resolve("v.db").toString();
                case MEMORY -> throw new IllegalStateException("an in-memory vault has no address");
                case POSTGRES -> ServerVaults.url(ServerVaults.schemaFor(dir));
            };
        }

        /** @return whether a vault of this kind outlives its {@code Vault} (FILE and POSTGRES do) */
        boolean persists() {
            return this != MEMORY;
        }
    }

    /** The test server's database that POSTGRES vaults share, and their schema per test folder. */
    static final class ServerVaults {
        /** Made on first use, so that tests that never open a POSTGRES vault start no server. */
        static final Supplier<PostgresServer.Database> DATABASE =
                memoize(() -> PostgresServer.get().newDatabase("vaults"));

        private static final Map<Path, String> SCHEMAS = new ConcurrentHashMap<>();
        private static final AtomicInteger NEXT = new AtomicInteger();

        private ServerVaults() {}

        /** @return the schema of the POSTGRES vault for {@code dir}: new for a new folder, the same for the same */
        static String schemaFor(Path dir) {
            return SCHEMAS.computeIfAbsent(dir.toAbsolutePath(), d -> "vault_" + NEXT.incrementAndGet());
        }

        private static final Set<String> RECYCLED = ConcurrentHashMap.newKeySet();

        /**
         * Gives {@code dir} the schema {@code name}, emptied of every store and column (its tables
         * stay): for tests that open many short-lived vaults one after another (the model
         * scripts), where creating a schema per vault (Flyway, about 0.2 s) would cost most of the
         * run. Every vault of the schema's previous folder must be closed.
         */
        static void recycle(Path dir, String name) {
            if (!RECYCLED.add(name)) {
                try (Connection c = DATABASE.get().connect();
                        Statement s = c.createStatement()) {
                    s.execute("TRUNCATE " + name + ".vault_kv_store, " + name + ".vault_kv_entry, " + name
                            + ".vault_kv_blob, " + name + ".vault_kv_chunk, " + name + ".vault_column, " + name
                            + ".vault_column_chunk, " + name + ".vault_column_heap");
                } catch (SQLException e) {
                    throw new IllegalStateException("could not empty schema " + name + ": " + e.getMessage(), e);
                }
            }
            SCHEMAS.put(dir.toAbsolutePath(), name);
        }

        /** @return the shared database's URL with its credentials, opening {@code schema} */
        static String url(String schema) {
            PostgresServer.Database db = DATABASE.get();
            return db.url() + (db.url().contains("?") ? "&" : "?") + "user=" + encode(db.user()) + "&password="
                    + encode(db.password()) + "&currentSchema=" + schema;
        }

        private static String encode(String s) {
            return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
        }

        private static <T> Supplier<T> memoize(Supplier<T> make) {
            return new Supplier<>() {
                private volatile T value;

                @Override
                public synchronized T get() {
                    if (value == null) {
                        value = make.get();
                    }
                    return value;
                }
            };
        }
    }

    /** @return {@code n} pseudo-random bytes, the same for the same seed */
    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** @return the UTF-8 bytes of {@code s} */
    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** @return {@code s} decoded from UTF-8 */
    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
