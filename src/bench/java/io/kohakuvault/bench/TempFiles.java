package io.kohakuvault.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** A fresh folder per benchmark run, with a fresh sub-folder for every store; all deleted at the end. */
final class TempFiles implements AutoCloseable {
    private final Path root;
    private final AtomicInteger counter = new AtomicInteger();

    TempFiles(Path parent) throws IOException {
        Files.createDirectories(parent);
        this.root = Files.createTempDirectory(parent, "kvbench-");
    }

    Path root() {
        return root;
    }

    /** @return a new, empty folder whose name starts with {@code label} */
    Path newDir(String label) throws IOException {
        return Files.createDirectory(root.resolve(label + "-" + counter.incrementAndGet()));
    }

    /** Deletes {@code dir} and everything in it; nothing when it is null or gone. */
    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        delete(root);
    }
}
