package io.kohakuvault.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Damages a closed vault file the way a failing disk would: one byte of stored data flipped. */
final class Damage {
    private Damage() {}

    /**
     * Flips one byte inside the first place {@code marker} is stored in {@code file}.
     *
     * @throws AssertionError when the marker is not in the file
     */
    static void flipInside(Path file, String marker) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            boolean match = true;
            for (int j = 0; j < needle.length && match; j++) {
                match = bytes[i + j] == needle[j];
            }
            if (match) {
                bytes[i + needle.length / 2] ^= 0x20;
                Files.write(file, bytes);
                return;
            }
        }
        throw new AssertionError("marker " + marker + " is not stored in " + file);
    }
}
