package io.kohakuvault;

import org.jspecify.annotations.Nullable;

/**
 * Bad input: a null, wrong type, wrong size, bad name or out-of-range argument. Nothing was changed.
 */
public class InvalidArgumentException extends KohakuVaultException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with a message.
     *
     * @param message what was wrong, naming the key, store or path at fault
     */
    public InvalidArgumentException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a message and the failure that caused it.
     *
     * @param message what was wrong, naming the key, store or path at fault
     * @param cause the underlying failure, or null
     */
    public InvalidArgumentException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
