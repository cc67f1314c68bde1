package io.kohakuvault.cli;

import java.util.Locale;

/** Byte counts for people: {@code 1.5 MiB}. */
final class Sizes {
    private Sizes() {}

    /** @return {@code bytes} in B, KiB, MiB, GiB or TiB, one decimal */
    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
