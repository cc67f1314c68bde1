package io.kohakuvault.cli;

import io.kohakuvault.Vault;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rm FILE KEY}: deletes KEY; exit 1 when it was not there. */
@Command(name = "rm", description = "Deletes KEY (exit 1 when it does not exist).")
final class RmCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "the vault file")
    Path file;

    @Parameters(index = "1", paramLabel = "KEY", description = "the key")
    String key;

    @Option(
            names = "--store",
            paramLabel = "S",
            defaultValue = "kvault",
            description = "the key-value store (default: ${DEFAULT-VALUE})")
    String store;

    RmCommand(Io io) {
        // nothing to print on success
    }

    @Override
    public Integer call() {
        try (Vault vault = VaultFiles.openToWrite(file)) {
            VaultFiles.requireStore(vault, file, store);
            if (!vault.kv(store).delete(key)) {
                throw CliException.notFound("key '" + key + "' does not exist in store '" + store + "' of " + file);
            }
        }
        return 0;
    }
}
