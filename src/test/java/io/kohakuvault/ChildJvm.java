package io.kohakuvault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a main class of the test class path in a separate JVM, for tests that need a real process. */
final class ChildJvm {
    /**
     * What the child did.
     *
     * @param exitCode its exit code
     * @param output what it printed, stdout and stderr together
     */
    record Result(int exitCode, String output) {}

    private ChildJvm() {}

    /**
     * Runs {@code main} with the given heap limit and arguments, and waits for it.
     *
     * @throws AssertionError when it does not finish within {@code timeoutSeconds} (it is killed)
     */
    static Result run(Class<?> main, String maxHeap, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + maxHeap);
        command.add("-Djava.util.logging.config.file=src/test/resources/logging.properties");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(main.getSimpleName() + " did not finish within " + timeoutSeconds + " s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.exitValue(), output);
    }
}
