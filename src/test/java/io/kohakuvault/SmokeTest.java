package io.kohakuvault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {
    @Test
    void put_thenGet_returnsValue(@TempDir Path dir) {
        try (Vault vault = Vault.open(dir.resolve("v.db"))) {
            vault.kv().put("a", new byte[] {1});
            assertThat(vault.kv().get("a")).containsExactly(1);
        }
    }
}
