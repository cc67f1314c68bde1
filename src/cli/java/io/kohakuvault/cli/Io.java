package io.kohakuvault.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The streams a command uses: bytes in and out (values), text out, errors, and whether a person
 * watches a terminal (then long work shows a progress bar on standard error).
 */
final class Io {
    private final InputStream in;
    private final OutputStream out;
    private final PrintStream text;
    private final PrintStream err;
    private final boolean interactive;

    /**
     * @param in standard input, for {@code put FILE KEY -}
     * @param out standard output, as bytes
     * @param err standard error
     * @param interactive whether a terminal is attached
     */
    Io(InputStream in, OutputStream out, PrintStream err, boolean interactive) {
        this.in = in;
        this.out = out;
        this.text = new PrintStream(out, false, StandardCharsets.UTF_8);
        this.err = err;
        this.interactive = interactive;
    }

    InputStream in() {
        return in;
    }

    /** @return standard output as bytes; flush {@link #text()} before writing here */
    OutputStream out() {
        return out;
    }

    /** @return standard output for text, UTF-8 */
    PrintStream text() {
        return text;
    }

    PrintStream err() {
        return err;
    }

    boolean interactive() {
        return interactive;
    }

    /** Flushes standard output. */
    void flush() {
        text.flush();
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        err.flush();
    }
}
