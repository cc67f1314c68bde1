package io.kohakuvault.internal.tools;

import io.kohakuvault.Vault;
import io.kohakuvault.internal.db.Database;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Hands the tools the engine underneath an open {@link Vault}, without making it public API
 * (OkHttp's {@code Internal} pattern): {@code Vault} installs the accessor once, when its class
 * is initialised, which has happened before anyone holds a vault.
 */
public final class VaultAccess {
    private static volatile @Nullable Function<Vault, Database> access;

    private VaultAccess() {}

    /**
     * Installs the accessor; only the first call counts.
     *
     * @param databases gives the database of a vault
     */
    public static synchronized void install(Function<Vault, Database> databases) {
        if (access == null) {
            access = databases;
        }
    }

    /**
     * @param vault an open vault
     * @return the database underneath it
     */
    public static Database database(Vault vault) {
        Function<Vault, Database> databases = access;
        if (databases == null) {
            throw new IllegalStateException("Vault has not installed its accessor");
        }
        return databases.apply(vault);
    }
}
