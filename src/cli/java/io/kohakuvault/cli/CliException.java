package io.kohakuvault.cli;

/** A failure the command line reports as one line, with the exit status it calls for. */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    private CliException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** @return a failure for something that does not exist or is damaged (exit 1) */
    static CliException notFound(String message) {
        return new CliException(Main.NOT_FOUND, message);
    }

    /** @return a failure for bad usage (exit 2) */
    static CliException usage(String message) {
        return new CliException(Main.USAGE, message);
    }

    /** @return the exit status */
    int status() {
        return status;
    }
}
