package io.kohakuvault.cli;

import io.kohakuvault.InvalidArgumentException;
import io.kohakuvault.Vault;
import io.kohakuvault.VaultBuilder;
import io.kohakuvault.internal.db.ServerUrls;
import io.kohakuvault.internal.tools.VaultCopier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code copy SOURCE TARGET}: every store and column of SOURCE into TARGET, through
 * {@link Vault#copyTo(Vault)}'s engine. SOURCE is a vault file. TARGET is a vault file, created when
 * missing, or a {@code jdbc:postgresql:} URL of a server vault (in the schema its {@code
 * currentSchema} parameter names, else {@value VaultBuilder#DEFAULT_SCHEMA}); it must not already
 * hold a store or column of the same name. Every message names a URL without its password
 * ({@link ServerUrls#redacted}).
 */
@Command(
        name = "copy",
        description = {
            "Copies every store and column of the vault file SOURCE into TARGET: a vault file"
                    + " (created when missing) or a PostgreSQL database, given as a jdbc:postgresql: URL"
                    + " (jdbc:postgresql://host:5432/db?user=U&password=P&currentSchema=S; the schema"
                    + " defaults to " + VaultBuilder.DEFAULT_SCHEMA + "). TARGET must hold none of their"
                    + " names. Messages never show the URL's password."
        })
final class CopyCommand implements Callable<Integer> {
    /**
     * The read cache of both vaults: a copy reads and writes every chunk once, so caching them would
     * only cost memory (the default is 64 MiB per vault, more than a small heap).
     */
    static final long READ_CACHE_BYTES = 0;

    private final Io io;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "the vault file to copy")
    Path source;

    @Parameters(
            index = "1",
            paramLabel = "TARGET",
            description = "the vault file to copy into, or a jdbc:postgresql: URL of the database")
    String target;

    CopyCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        boolean server = ServerUrls.isJdbcUrl(target);
        if (server && ServerUrls.refusal(target) instanceof InvalidArgumentException) {
            throw CliException.usage("cannot copy to " + ServerUrls.redacted(target)
                    + ": TARGET is a vault file or a jdbc:postgresql: URL");
        }
        VaultFiles.requireFile(source);
        long copied;
        try (VaultFiles.ReadOnly opened = VaultFiles.openToRead(source, b -> b.readCacheBytes(READ_CACHE_BYTES));
                Vault from = opened.vault()) {
            copied = server ? copyToServer(from) : copyToFile(from, Path.of(target));
        }
        io.text()
                .printf(
                        "copied %s from %s to %s%n",
                        Sizes.human(copied), source, server ? ServerUrls.redacted(target) : target);
        return 0;
    }

    private long copyToFile(Vault from, Path to) {
        boolean created = !Files.exists(to);
        try (Vault into = VaultFiles.openOrCreate(to, b -> b.readCacheBytes(READ_CACHE_BYTES));
                Progress progress = Progress.start(io, "copy", -1)) {
            return VaultCopier.copy(from, into, progress::step);
        } catch (RuntimeException e) {
            if (created) {
                deleteQuietly(to);
            }
            throw e;
        }
    }

    private long copyToServer(Vault from) {
        String shown = ServerUrls.redacted(target);
        Vault into;
        try {
            into = Vault.builder(target).readCacheBytes(READ_CACHE_BYTES).open();
        } catch (InvalidArgumentException e) {
            throw CliException.usage("cannot copy to " + shown + ": " + Secrets.without(e.getMessage(), target));
        } catch (RuntimeException e) {
            // the engine's message names the vault already (by the redacted URL); others get it added
            String message = Secrets.without(e.getMessage(), target);
            throw CliException.notFound(message.contains(shown) ? message : "cannot open " + shown + ": " + message);
        }
        try (into;
                Progress progress = Progress.start(io, "copy", -1)) {
            return VaultCopier.copy(from, into, progress::step);
        } catch (InvalidArgumentException e) {
            throw new InvalidArgumentException(Secrets.without(e.getMessage(), target), e);
        } catch (RuntimeException e) {
            throw CliException.notFound("copy to " + shown + " failed: " + Secrets.without(e.getMessage(), target));
        }
    }

    private static void deleteQuietly(Path file) {
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            try {
                Files.deleteIfExists(Path.of(file + suffix));
            } catch (java.io.IOException ignored) {
                // the failure that got here is the one to report
            }
        }
    }
}
