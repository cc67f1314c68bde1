package io.kohakuvault;

import org.jspecify.annotations.Nullable;

/**
 * Base of every exception KohakuVault throws, and itself thrown for unexpected failures.
 *
 * <p>All KohakuVault exceptions are unchecked. Their message says what was wrong and with what
 * (key, store, index or path). Nothing already committed is lost when one is thrown.
 */
public class KohakuVaultException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what went wrong, naming the key, store or path at fault
     */
    public KohakuVaultException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and the failure that caused it.
     *
     * @param message what went wrong, naming the key, store or path at fault
     * @param cause the underlying failure, or null
     */
    public KohakuVaultException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
