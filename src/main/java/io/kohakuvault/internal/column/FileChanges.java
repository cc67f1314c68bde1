package io.kohakuvault.internal.column;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * One counter per vault file in this process, bumped by every column write that commits. Two
 * {@code Vault} instances on one file share it, so each notices the other's writes at its next
 * read without asking SQLite.
 */
public final class FileChanges {
    private static final ConcurrentMap<Path, AtomicLong> BY_FILE = new ConcurrentHashMap<>();

    private FileChanges() {}

    /**
     * @param file the vault file, or null for an in-memory vault (which nobody else sees)
     * @return the file's counter
     */
    public static AtomicLong of(@Nullable Path file) {
        if (file == null) {
            return new AtomicLong();
        }
        return BY_FILE.computeIfAbsent(file.toAbsolutePath().normalize(), f -> new AtomicLong());
    }
}
