package io.kohakuvault.testing;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A throwaway PostgreSQL cluster of one test JVM, in a run folder {@code kohakuvault-pg-<pid>-<n>}
 * under /tmp: {@code initdb} into {@code data}, {@code pg_ctl start} on 127.0.0.1 and a free port,
 * and, from a JVM shutdown hook, {@code pg_ctl stop} and the removal of the whole folder.
 *
 * <p>The run folder is this JVM's (mode 755, so the server's user can reach what it holds); the
 * data folder is the server's user's (700, as PostgreSQL requires). Logs of initdb, pg_ctl and the
 * server go to files in the run folder that this JVM opens (600): nothing there needs the server's
 * user to write outside its data folder. A run folder whose JVM is gone (killed before its hook
 * ran) is a leftover: {@link #removeLeftovers} stops its server and deletes it.
 */
final class LocalCluster {
    /** The names of run folders: then the JVM's pid, a dash and a number that makes them unique. */
    static final String DIR_PREFIX = "kohakuvault-pg-";

    private static final System.Logger LOG = System.getLogger(LocalCluster.class.getName());

    /** The run folder's file that names the JVM's start time, so that a reused pid is told apart. */
    private static final String OWNER_FILE = "owner";

    /** Attempts at starting, each on a newly chosen free port (another process may take one first). */
    private static final int START_ATTEMPTS = 3;

    /**
     * Appended to the postgresql.conf that initdb writes. fsync, synchronous_commit and
     * full_page_writes off trade crash safety for speed: right for a cluster that is thrown away
     * when the tests end, and never for data anyone keeps.
     */
    private static final String SETTINGS = """

            # Added by the KohakuVault test harness (io.kohakuvault.testing.LocalCluster): a throwaway
            # cluster for tests. No durability: it is deleted when the tests end.
            listen_addresses = '127.0.0.1'
            unix_socket_directories = ''
            max_connections = 100
            fsync = off
            synchronous_commit = off
            full_page_writes = off
            jit = off
            timezone = 'UTC'
            log_timezone = 'UTC'
            password_encryption = 'scram-sha-256'
            """;

    private final Path root;
    private final Path data;
    private final ServerUser user;
    private @Nullable Path bin;
    private int port;
    private boolean stopped;

    private LocalCluster(Path root, ServerUser user) {
        this.root = root;
        this.data = root.resolve("data");
        this.user = user;
    }

    /**
     * Removes the leftovers of earlier runs, makes this run's folder and registers the shutdown hook
     * that will stop the server and delete the folder. Starts nothing.
     *
     * @throws IOException when the folder cannot be made
     */
    static LocalCluster create(ServerUser user) throws IOException {
        Path base = baseDir();
        removeLeftovers(base);
        Path root = Files.createTempDirectory(
                base, DIR_PREFIX + ProcessHandle.current().pid() + "-");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        Optional<Instant> started = ProcessHandle.current().info().startInstant();
        Files.writeString(
                root.resolve(OWNER_FILE), started.map(Instant::toString).orElse("") + "\n");
        LocalCluster cluster = new LocalCluster(root, user);
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop, "kohakuvault-test-postgres-stop"));
        return cluster;
    }

    /**
     * @return where run folders go: /tmp, which every user can reach (the JVM's java.io.tmpdir
     *     may be under a home folder that the server's user cannot enter), else java.io.tmpdir
     */
    static Path baseDir() {
        Path tmp = Path.of("/tmp");
        return Files.isDirectory(tmp) ? tmp : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** @return this run's folder */
    Path root() {
        return root;
    }

    /** @return the port the server listens on, on 127.0.0.1 */
    int port() {
        return port;
    }

    /** @return the postmaster's pid, when it runs */
    OptionalLong postmasterPid() {
        return postmasterPid(data);
    }

    /**
     * Makes the cluster with initdb (the admin role with its password, scram-sha-256 for every
     * connection, UTF-8 and the C locale) and starts it. About a second with installed binaries.
     *
     * @param bin the folder of initdb, pg_ctl and postgres
     * @throws IOException when initdb or pg_ctl fails (the message holds the end of its log)
     */
    synchronized void start(Path bin, String adminUser, String adminPassword) throws IOException {
        if (stopped) {
            throw new IllegalStateException("the test cluster was stopped: the JVM is shutting down");
        }
        this.bin = bin;
        Files.createDirectory(data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        user.own(data);
        Path passwordFile = root.resolve("pwfile");
        Files.createFile(
                passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(passwordFile, adminPassword + "\n");
            user.own(passwordFile);
            run(
                    List.of(
                            bin.resolve("initdb").toString(),
                            "--pgdata=" + data,
                            "--username=" + adminUser,
                            "--pwfile=" + passwordFile,
                            "--auth=scram-sha-256",
                            "--encoding=UTF8",
                            "--locale=C",
                            "--no-sync"),
                    "initdb.log",
                    Duration.ofMinutes(2));
        } finally {
            Files.deleteIfExists(passwordFile);
        }
        Files.writeString(data.resolve("postgresql.conf"), SETTINGS, StandardOpenOption.APPEND);
        IOException failure = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            port = freePort();
            try {
                run(
                        List.of(
                                bin.resolve("pg_ctl").toString(),
                                "start",
                                "--pgdata=" + data,
                                "--wait",
                                "--timeout=60",
                                "--silent",
                                "-o",
                                "-p " + port),
                        "postgres.log",
                        Duration.ofSeconds(90));
                return;
            } catch (IOException e) {
                failure = e;
                pgCtlStop("immediate");
            }
        }
        throw failure;
    }

    /**
     * Stops the server (pg_ctl's fast mode, then immediate, then SIGKILL) and deletes the run folder.
     * Does nothing the second time; never throws, for it runs in a shutdown hook.
     */
    synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (postmasterPid().isPresent() && !pgCtlStop("fast") && !pgCtlStop("immediate")) {
            postmasterPid().ifPresent(pid -> kill(pid, data));
        }
        deleteTree(root);
    }

    /** @return whether pg_ctl stopped the server in this mode */
    private boolean pgCtlStop(String mode) {
        if (bin == null) {
            return false;
        }
        try {
            run(
                    List.of(
                            bin.resolve("pg_ctl").toString(),
                            "stop",
                            "--pgdata=" + data,
                            "--mode=" + mode,
                            "--wait",
                            "--timeout=20",
                            "--silent"),
                    "postgres.log",
                    Duration.ofSeconds(30));
            return true;
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "pg_ctl stop -m " + mode + " failed: " + e.getMessage());
            return false;
        }
    }

    /**
     * Runs a PostgreSQL program as the server's user, in the run folder, with no PG* variables from
     * this JVM's environment and the C locale; its output goes to {@code logName} in the run folder.
     *
     * @throws IOException when it exits with another code than 0 or outlives {@code timeout}
     */
    private void run(List<String> command, String logName, Duration timeout) throws IOException {
        Path log = root.resolve(logName);
        if (!Files.exists(log)) {
            Files.createFile(log, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        ProcessBuilder builder = new ProcessBuilder(user.command(command))
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
        builder.environment().put("LC_ALL", "C");
        Process process = builder.start();
        process.getOutputStream().close();
        boolean exited;
        try {
            exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        }
        if (!exited) {
            process.destroyForcibly();
            throw new IOException(
                    command.get(0) + " did not finish within " + timeout + "; its log ends:\n" + tail(log));
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", user.command(command)) + " exited with " + process.exitValue()
                    + " (as " + user.name() + "); its log ends:\n" + tail(log));
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * Removes every run folder under {@code base} whose JVM is gone (its pid is not running, or runs
     * a process that started at another time than the one the folder names): stops the server that
     * still runs from it (SIGTERM, then SIGKILL), then deletes it. Folders of running JVMs, and those
     * this JVM may not delete (another user's), stay. Never throws.
     */
    static void removeLeftovers(Path base) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(base, DIR_PREFIX + "*")) {
            for (Path dir : dirs) {
                if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && ownerIsGone(dir)) {
                    LOG.log(Level.DEBUG, "removing the leftover test cluster " + dir);
                    postmasterPid(dir.resolve("data")).ifPresent(pid -> kill(pid, dir.resolve("data")));
                    deleteTree(dir);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "could not look for leftover test clusters in " + base, e);
        }
    }

    private static boolean ownerIsGone(Path dir) {
        String name = dir.getFileName().toString();
        String[] parts = name.substring(DIR_PREFIX.length()).split("-", 2);
        long pid;
        try {
            pid = Long.parseLong(parts[0]);
        } catch (NumberFormatException e) {
            return false; // not a run folder of this harness
        }
        Optional<ProcessHandle> owner = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (owner.isEmpty()) {
            return true;
        }
        Optional<Instant> ownerStart = owner.get().info().startInstant();
        try {
            String recorded = Files.readString(dir.resolve(OWNER_FILE)).trim();
            return !recorded.isEmpty()
                    && ownerStart.isPresent()
                    && !Instant.parse(recorded).equals(ownerStart.get());
        } catch (IOException | RuntimeException e) {
            return false; // being made right now, or unreadable: leave it
        }
    }

    /** @return the pid in the first line of the data folder's postmaster.pid, if there is one */
    private static OptionalLong postmasterPid(Path data) {
        try {
            List<String> lines = Files.readAllLines(data.resolve("postmaster.pid"));
            return lines.isEmpty()
                    ? OptionalLong.empty()
                    : OptionalLong.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Stops the postmaster {@code pid} when it runs on {@code data} (its arguments name that folder:
     * a reused pid is left alone): SIGTERM, then SIGKILL after 15 seconds. Its own children exit when
     * they see it gone.
     */
    private static void kill(long pid, Path data) {
        Optional<ProcessHandle> postmaster = ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info()
                        .arguments()
                        .map(args -> Arrays.asList(args).contains(data.toString()))
                        .orElse(false));
        if (postmaster.isEmpty()) {
            return;
        }
        try {
            postmaster.get().destroy();
            postmaster.get().onExit().get(15, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            postmaster.get().destroyForcibly();
        } catch (InterruptedException e) {
            postmaster.get().destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Deletes {@code dir} and all it holds, symbolic links as links; logs what it cannot delete. */
    private static void deleteTree(Path dir) {
        List<Path> failed = new ArrayList<>();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path folder, @Nullable IOException e) {
                    delete(folder);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    failed.add(file);
                    return FileVisitResult.CONTINUE;
                }

                private void delete(Path path) {
                    try {
                        Files.delete(path);
                    } catch (NoSuchFileException e) {
                        // gone already
                    } catch (IOException e) {
                        failed.add(path);
                    }
                }
            });
        } catch (IOException e) {
            failed.add(dir);
        }
        if (!failed.isEmpty()) {
            LOG.log(Level.DEBUG, "could not delete " + failed);
        }
    }
}
