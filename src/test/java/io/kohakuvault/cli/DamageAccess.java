package io.kohakuvault.cli;

import java.io.IOException;
import java.nio.file.Path;

/** {@link Damage} for tests outside this package. */
public final class DamageAccess {
    private DamageAccess() {}

    /** See {@link Damage#flipInside}. */
    public static void flipInside(Path file, String marker) throws IOException {
        Damage.flipInside(file, marker);
    }
}
