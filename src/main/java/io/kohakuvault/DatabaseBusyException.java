package io.kohakuvault;

import org.jspecify.annotations.Nullable;

/**
 * The database stayed locked by another connection or process after every retry the vault was configured with ({@link VaultBuilder#retries(int)}); nothing was changed.
 */
public class DatabaseBusyException extends KohakuVaultException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with a message.
     *
     * @param message what was wrong, naming the key, store or path at fault
     */
    public DatabaseBusyException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a message and the failure that caused it.
     *
     * @param message what was wrong, naming the key, store or path at fault
     * @param cause the underlying failure, or null
     */
    public DatabaseBusyException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
