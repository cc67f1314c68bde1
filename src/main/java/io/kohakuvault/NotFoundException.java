package io.kohakuvault;

import org.jspecify.annotations.Nullable;

/**
 * A key, store or value that must exist does not, such as {@link KVault#require(String)} on a missing key.
 */
public class NotFoundException extends KohakuVaultException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with a message.
     *
     * @param message what was wrong, naming the key, store or path at fault
     */
    public NotFoundException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a message and the failure that caused it.
     *
     * @param message what was wrong, naming the key, store or path at fault
     * @param cause the underlying failure, or null
     */
    public NotFoundException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
