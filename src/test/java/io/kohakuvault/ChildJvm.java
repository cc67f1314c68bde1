package io.kohakuvault;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Runs a main class of the test class path in a separate JVM, for tests that need a real process:
 * to completion ({@link #run}), or started and driven line by line, and killed ({@link #start}).
 * A child's stdout and stderr go to temporary files that are read as they grow.
 */
final class ChildJvm {
    /**
     * What the child did.
     *
     * @param exitCode its exit code
     * @param output what it printed, stdout and stderr together
     */
    record Result(int exitCode, String output) {}

    /** The exit code of a process killed by SIGKILL (128 + 9), as Linux reports it. */
    static final int SIGKILL_EXIT = 137;

    private ChildJvm() {}

    /**
     * Runs {@code main} with the given heap limit and arguments, and waits for it.
     *
     * @throws AssertionError when it does not finish within {@code timeoutSeconds} (it is killed)
     */
    static Result run(Class<?> main, String maxHeap, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        try (Running child = launch(main, maxHeap, false, args)) {
            int exit = child.awaitExit(Duration.ofSeconds(timeoutSeconds));
            return new Result(exit, child.output());
        }
    }

    /**
     * Starts {@code main} with the given heap limit and arguments, and returns at once. Its
     * stdout is read line by line as it comes ({@link Running#nextLine}); stderr is kept apart,
     * for messages. Closing the handle kills the child if it still runs. Every line the child
     * wrote before it died is seen, a kill notwithstanding.
     */
    static Running start(Class<?> main, String maxHeap, String... args) throws IOException {
        return launch(main, maxHeap, true, args);
    }

    private static Running launch(Class<?> main, String maxHeap, boolean quickStart, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + maxHeap);
        if (quickStart) {
            // These children live for seconds: start fast rather than run fast.
            command.add("-XX:TieredStopAtLevel=1");
            command.add("-XX:+UseSerialGC");
        }
        command.add("-Djava.util.logging.config.file=src/test/resources/logging.properties");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        // Output goes to files, not pipes: when a child dies, the JDK drains what is left in its
        // pipes on another thread, and lines it already wrote were seen lost there (a killed
        // child's last acknowledgements). A file keeps every byte the child wrote before the kill.
        Path out = Files.createTempFile("child-" + main.getSimpleName(), ".out");
        Path err = Files.createTempFile("child-" + main.getSimpleName(), ".err");
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        return new Running(main.getSimpleName(), process, out, err);
    }

    /** The line a child prints once it waits at the start barrier; see {@link #awaitGo}. */
    static final String WAITING = "WAITING";

    /**
     * The child's side of a start barrier: prints {@link #WAITING}, then waits until {@code go}
     * exists, polling every millisecond, so that children released together start within a
     * millisecond or two of each other.
     *
     * @throws IllegalStateException when {@code go} does not appear within a minute
     */
    static void awaitGo(Path go) throws InterruptedException {
        System.out.println(WAITING);
        System.out.flush();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!Files.exists(go)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no start signal " + go + " within a minute");
            }
            Thread.sleep(1);
        }
    }

    /**
     * The parent's side of a start barrier: waits until every child waits at it, then releases
     * them all at once by creating {@code go}.
     *
     * @throws AssertionError when a child exits or takes over a minute to get there
     */
    static void releaseTogether(List<Running> children, Path go) throws IOException, InterruptedException {
        for (Running child : children) {
            child.awaitLine(WAITING, Duration.ofMinutes(1));
        }
        Files.createFile(go);
    }

    /** A started child: its stdout lines as they come, its stderr, and a way to kill it. */
    static final class Running implements AutoCloseable {
        private static final String END = "\u0000end-of-stdout";

        private final String name;
        private final Process process;
        private final BlockingQueue<String> pending = new LinkedBlockingQueue<>();
        private final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
        private final StringBuffer stderr = new StringBuffer();
        private final Path outFile;
        private final Path errFile;
        private final Thread outReader;
        private final Thread errReader;
        private boolean ended;

        private Running(String name, Process process, Path out, Path err) {
            this.name = name;
            this.process = process;
            this.outFile = out;
            this.errFile = err;
            this.outReader = daemon(
                    name + "-stdout",
                    () -> tail(
                            out,
                            line -> {
                                stdout.add(line);
                                pending.add(line);
                            },
                            () -> pending.add(END)));
            this.errReader = daemon(
                    name + "-stderr",
                    () -> tail(err, line -> stderr.append(line).append('\n'), () -> {}));
        }

        /**
         * Hands on every complete line of {@code file} as the child writes it, then, once the child
         * is gone, whatever is left (a last line cut short by a kill included).
         */
        private void tail(Path file, Consumer<String> lines, Runnable atEnd) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try (InputStream in = Files.newInputStream(file)) {
                while (true) {
                    boolean exited = !process.isAlive();
                    int n = in.read(buffer);
                    if (n < 0) {
                        if (exited) {
                            break;
                        }
                        Thread.sleep(2);
                        continue;
                    }
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            lines.accept(line.toString(StandardCharsets.UTF_8));
                            line.reset();
                        } else {
                            line.write(buffer[i]);
                        }
                    }
                }
                if (line.size() > 0) {
                    lines.accept(line.toString(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                stderr.append("[reading ")
                        .append(file)
                        .append(" failed: ")
                        .append(e)
                        .append("]\n");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                atEnd.run();
            }
        }

        private static Thread daemon(String name, Runnable body) {
            Thread t = new Thread(body, name);
            t.setDaemon(true);
            t.start();
            return t;
        }

        /** @return the process id, for messages */
        long pid() {
            return process.pid();
        }

        /** @return whether the child still runs */
        boolean isAlive() {
            return process.isAlive();
        }

        /**
         * @return the next stdout line not yet taken, or null when stdout ended (the child exited)
         * @throws AssertionError when no line comes within {@code timeout}
         */
        @Nullable
        String nextLine(Duration timeout) throws InterruptedException {
            if (ended) {
                return null;
            }
            String line = pending.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError(name + " printed no line within " + timeout + "; so far:\n" + output());
            }
            if (line.equals(END)) {
                ended = true;
                return null;
            }
            return line;
        }

        /**
         * Waits for a stdout line that starts with {@code prefix}, skipping others.
         *
         * @return that line
         * @throws AssertionError when the child exits or {@code timeout} passes first
         */
        String awaitLine(String prefix, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                String line = nextLine(Duration.ofNanos(Math.max(left, 0)));
                if (line == null) {
                    throw new AssertionError(name + " exited before printing '" + prefix + "':\n" + output());
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        }

        /**
         * Kills the child with SIGKILL ({@link Process#destroyForcibly()} on Linux) and waits until
         * it is gone and its stdout has been read to the end.
         *
         * @return its exit code: {@link #SIGKILL_EXIT} when the kill ended it
         */
        int kill() throws InterruptedException {
            process.destroyForcibly();
            return awaitExit(Duration.ofSeconds(30));
        }

        /**
         * Waits for the child to exit and for its output to be read to the end.
         *
         * @return its exit code
         * @throws AssertionError when it is still running after {@code timeout} (it is then killed)
         */
        int awaitExit(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                process.destroyForcibly().waitFor();
                outReader.join(10_000);
                errReader.join(10_000);
                throw new AssertionError(name + " did not finish within " + timeout + ":\n" + output());
            }
            outReader.join(10_000);
            errReader.join(10_000);
            return process.exitValue();
        }

        /** @return every stdout line so far, in order, taken or not */
        List<String> stdoutLines() {
            synchronized (stdout) {
                return List.copyOf(stdout);
            }
        }

        /** @return what the child printed so far: stdout, then stderr */
        String output() {
            return String.join("\n", stdoutLines()) + (stderr.length() == 0 ? "" : "\n[stderr]\n" + stderr);
        }

        /** Kills the child if it still runs, and deletes its output files. */
        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            outReader.join(10_000);
            errReader.join(10_000);
            try {
                Files.deleteIfExists(outFile);
                Files.deleteIfExists(errFile);
            } catch (IOException e) {
                // a temp file left behind harms nothing
            }
        }
    }
}
