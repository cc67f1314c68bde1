package io.kohakuvault;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;

/**
 * A tour of the main job, run by the README's Quick start: stores blobs and streams a large value
 * in a vault file, appends to two columns, reads it all back, and prints what it did.
 *
 * <pre>{@code ./mvnw -q compile exec:java}</pre>
 */
public final class Demo {
    /** Flyway reports each migration at INFO; the demo prints its own story instead. */
    private static final java.util.logging.Logger FLYWAY_LOG = java.util.logging.Logger.getLogger("org.flywaydb");

    private Demo() {}

    /**
     * Runs the tour.
     *
     * @param args optionally the vault file to use; default {@code kohakuvault-demo.db}
     */
    public static void main(String[] args) {
        FLYWAY_LOG.setLevel(java.util.logging.Level.WARNING);
        Path file = Path.of(args.length > 0 ? args[0] : "kohakuvault-demo.db");
        try (Vault vault = Vault.open(file)) {
            KVault kv = vault.kv();
            kv.put("config:app", "{\"theme\":\"dark\"}".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 3; i++) {
                kv.put("image:" + i, new byte[] {(byte) 0x89, 'P', 'N', 'G', (byte) i});
            }
            System.out.println("stored config:app = " + new String(kv.require("config:app"), StandardCharsets.UTF_8));
            System.out.println("keys with prefix image: " + String.join(", ", kv.keys("image:")));

            byte[] video = new byte[5 << 20];
            new Random(42).nextBytes(video);
            kv.putFile("video:demo", new ByteArrayInputStream(video));
            ByteArrayOutputStream back = new ByteArrayOutputStream();
            long n = kv.getToFile("video:demo", back);
            System.out.println("streamed video:demo in and out: " + n + " bytes, identical: "
                    + java.util.Arrays.equals(video, back.toByteArray()));

            KVault media = vault.kv("media");
            media.put("image:0", new byte[] {1, 2, 3});
            System.out.println("store 'media' has " + media.size() + " key; default store has " + kv.size());

            vault.transaction(() -> {
                kv.put("counter", "1".getBytes(StandardCharsets.UTF_8));
                media.put("counter", "1".getBytes(StandardCharsets.UTF_8));
            });
            System.out.println("transaction wrote counter to both stores: " + kv.exists("counter") + ", "
                    + media.exists("counter"));
            DoubleColumn temps = vault.column("temps", ColumnType.F64);
            temps.extend(21.5, 22.0, 23.5);
            StringColumn log = vault.column("log", ColumnType.STRING);
            log.append("demo run " + temps.length());
            System.out.println("column temps holds " + temps.length() + " values, mean "
                    + temps.doubleStream().average().orElse(Double.NaN) + "; last log line: "
                    + log.getString(log.length() - 1));
            System.out.println("vault file: " + file.toAbsolutePath());
        }
    }
}
