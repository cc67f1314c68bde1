package io.kohakuvault;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.UnaryOperator;

/** Shared test fixtures: vaults on real files or in memory, and deterministic test data. */
final class VaultFixtures {
    private VaultFixtures() {}

    /** Where a test vault lives: parameterise tests over both. */
    enum Storage {
        FILE,
        MEMORY;

        /** Opens a vault of this kind; a FILE vault is {@code v.db} in {@code dir}. */
        Vault open(Path dir) {
            return open(dir, b -> b);
        }

        /** Opens a vault of this kind with extra builder options. */
        Vault open(Path dir, UnaryOperator<VaultBuilder> options) {
            VaultBuilder builder = this == FILE ? Vault.builder(dir.resolve("v.db")) : Vault.builder(":memory:");
            return options.apply(builder).open();
        }
    }

    /** @return {@code n} pseudo-random bytes, the same for the same seed */
    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** @return the UTF-8 bytes of {@code s} */
    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** @return {@code s} decoded from UTF-8 */
    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
