package io.kohakuvault;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The fixture most tests share: a fresh folder, and the vault a test opens there, closed after it. */
abstract class VaultTestBase {
    @TempDir
    Path dir;

    /** The vault under test, if the test opened one; closed after each test. */
    Vault vault;

    @AfterEach
    void closeVault() {
        if (vault != null) {
            vault.close();
        }
    }
}
