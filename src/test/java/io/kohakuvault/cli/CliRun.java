package io.kohakuvault.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs the command line in this JVM, as {@code CommandLine.execute} does for the real one, with
 * standard input given and standard output and error captured.
 *
 * @param status the exit status
 * @param out what went to standard output, as bytes
 * @param err what went to standard error
 */
record CliRun(int status, byte[] out, String err) {
    static CliRun run(String... args) {
        return withInput(new byte[0], args);
    }

    static CliRun withInput(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(stdin), out, new PrintStream(err, true, StandardCharsets.UTF_8), false);
        int status = Main.run(io, args);
        return new CliRun(status, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    /** @return standard output as text */
    String text() {
        return new String(out, StandardCharsets.UTF_8);
    }
}
