package io.kohakuvault.internal.db;

import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * Work done with one connection, which may fail with a {@link SQLException}.
 *
 * @param <T> what the work returns
 */
@FunctionalInterface
public interface SqlCall<T extends @Nullable Object> {
    /**
     * Does the work.
     *
     * @param connection the connection to use; valid only during this call
     * @return the result
     * @throws SQLException when SQLite fails; the caller translates it
     */
    T call(VaultConnection connection) throws SQLException;
}
