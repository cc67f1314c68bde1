package io.kohakuvault;

import org.jspecify.annotations.Nullable;

/**
 * Input or output failed: reading a stream or file, a file that is not a vault, a full disk, or a vault that is already closed.
 */
public class VaultIoException extends KohakuVaultException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with a message.
     *
     * @param message what was wrong, naming the key, store or path at fault
     */
    public VaultIoException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a message and the failure that caused it.
     *
     * @param message what was wrong, naming the key, store or path at fault
     * @param cause the underlying failure, or null
     */
    public VaultIoException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
