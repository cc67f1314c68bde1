package io.kohakuvault.cli;

import io.kohakuvault.Vault;
import io.kohakuvault.VaultBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Opens the vault a command names: read-only for commands that only read (so nothing is created
 * or changed), and never a file that does not exist unless the command creates one.
 */
final class VaultFiles {
    private VaultFiles() {}

    /**
     * @param file the vault file
     * @return it, opened read-only; close it when done
     * @throws CliException (exit 1) when there is no such file
     */
    static ReadOnly openToRead(Path file) {
        return openToRead(file, b -> b);
    }

    /**
     * @param file the vault file
     * @param options more builder options (a read cache size, say)
     * @return it, opened read-only with those options; close it when done
     * @throws CliException (exit 1) when there is no such file
     */
    static ReadOnly openToRead(Path file, UnaryOperator<VaultBuilder> options) {
        requireFile(file);
        boolean leftAlone = !Files.exists(Path.of(file + "-wal")) && !Files.exists(Path.of(file + "-shm"));
        return new ReadOnly(
                file, options.apply(Vault.builder(file)).readOnly(true).open(), leftAlone);
    }

    /**
     * A vault opened read-only that, closed after it, leaves the folder as it was: a read-only
     * connection to a WAL file creates its {@code -wal} and {@code -shm} files but cannot remove
     * them, so when they were not there before, {@link Leftovers#tidy} lets SQLite remove them.
     * Close it after the vault (list it first in a try-with-resources).
     *
     * @param file the vault file
     * @param vault the vault, read-only
     * @param leftAlone whether neither file existed before the open
     */
    record ReadOnly(Path file, Vault vault, boolean leftAlone) implements AutoCloseable {
        @Override
        public void close() {
            vault.close();
            if (leftAlone && (Files.exists(Path.of(file + "-wal")) || Files.exists(Path.of(file + "-shm")))) {
                Leftovers.tidy(file);
            }
        }
    }

    /**
     * @param file an existing vault file
     * @return it, opened to write
     * @throws CliException (exit 1) when there is no such file
     */
    static Vault openToWrite(Path file) {
        requireFile(file);
        return Vault.open(file);
    }

    /**
     * @param file a vault file, created when missing; its folder must exist
     * @return it, opened to write
     * @throws CliException (exit 1) when the folder does not exist
     */
    static Vault openOrCreate(Path file) {
        return openOrCreate(file, b -> b);
    }

    /**
     * @param file a vault file, created when missing; its folder must exist
     * @param options more builder options
     * @return it, opened to write with those options
     * @throws CliException (exit 1) when the folder does not exist
     */
    static Vault openOrCreate(Path file, UnaryOperator<VaultBuilder> options) {
        Path folder = file.toAbsolutePath().getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw CliException.notFound("no such folder: " + file.getParent());
        }
        return options.apply(Vault.builder(file)).open();
    }

    /** @throws CliException (exit 1) unless {@code file} is an existing regular file */
    static void requireFile(Path file) {
        if (!Files.exists(file)) {
            throw CliException.notFound("no such file: " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw CliException.notFound("not a file: " + file);
        }
    }

    /** @throws CliException (exit 2) when {@code file} exists, or (exit 1) when its folder does not */
    static void requireNew(Path file) {
        if (Files.exists(file)) {
            throw CliException.usage(file + " already exists; not overwriting it");
        }
        Path folder = file.toAbsolutePath().getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw CliException.notFound("no such folder: " + file.getParent());
        }
    }

    /**
     * @throws CliException (exit 1) when the vault has no store of that name
     */
    static void requireStore(Vault vault, Path file, String store) {
        if (!vault.kvStores().contains(store)) {
            throw CliException.notFound("store '" + store + "' does not exist in " + file);
        }
    }

    /**
     * @throws CliException (exit 1) when the vault has no column of that name
     */
    static void requireColumn(Vault vault, Path file, String column) {
        if (column.isEmpty() || column.length() > 255 || !vault.columns().hasColumn(column)) {
            throw CliException.notFound("column '" + column + "' does not exist in " + file);
        }
    }
}
