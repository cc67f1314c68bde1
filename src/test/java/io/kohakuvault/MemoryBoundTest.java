package io.kohakuvault;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Constant memory, proved in a child JVM whose heap is far smaller than the data it moves:
 * iterating a million keys, and streaming a value many times larger than the heap in and out.
 */
class MemoryBoundTest {
    private static final int KEYS = 1_000_000;
    private static final long STREAMED_BYTES = 256L << 20;

    @TempDir
    Path dir;

    @Test
    void iteratingAMillionKeys_fitsInA32MiBHeap() throws Exception {
        Path file = dir.resolve("million.db");
        try (Vault vault = Vault.open(file)) {
            KVault kv = vault.kv();
            vault.transaction(() -> {
                byte[] value = new byte[100];
                for (int i = 0; i < KEYS; i++) {
                    kv.put(String.format("key:%08d", i), value);
                }
            });
        }
        // The keys and values alone are about 110 MB: a child that held them all would run out of heap.
        ChildJvm.Result result = ChildJvm.run(Probe.class, "32m", 180, "iterate", file.toString());
        assertThat(result.output()).contains("keys=" + KEYS + " entries=" + KEYS + " ordered=true");
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void streamingAValueEightTimesTheHeap_inAndOut_fitsInA32MiBHeap() throws Exception {
        Path file = dir.resolve("stream.db");
        ChildJvm.Result result =
                ChildJvm.run(Probe.class, "32m", 180, "stream", file.toString(), Long.toString(STREAMED_BYTES));
        assertThat(result.output()).contains("stored=" + STREAMED_BYTES + " read=" + STREAMED_BYTES + " same=true");
        assertThat(result.exitCode()).isZero();
    }

    /** The child's side: iterates or streams, then prints what it saw. */
    public static final class Probe {
        private Probe() {}

        /**
         * Runs one probe.
         *
         * @param args {@code iterate FILE} or {@code stream FILE BYTES}
         */
        public static void main(String[] args) throws Exception {
            try (Vault vault = Vault.open(Path.of(args[1]))) {
                KVault kv = vault.kv();
                if (args[0].equals("iterate")) {
                    long keys = 0;
                    String previous = "";
                    boolean ordered = true;
                    for (String key : kv.keys()) {
                        ordered &= key.compareTo(previous) > 0 || keys == 0;
                        previous = key;
                        keys++;
                    }
                    long entries = 0;
                    for (var e : kv) {
                        entries += e.getValue().length == 100 ? 1 : 0;
                    }
                    System.out.println("keys=" + keys + " entries=" + entries + " ordered=" + ordered);
                } else {
                    long size = Long.parseLong(args[2]);
                    MessageDigest in = MessageDigest.getInstance("SHA-256");
                    kv.putFile("big", new RandomStream(size, in));
                    MessageDigest out = MessageDigest.getInstance("SHA-256");
                    long read = kv.getToFile("big", new DigestSink(out));
                    String a = HexFormat.of().formatHex(in.digest());
                    String b = HexFormat.of().formatHex(out.digest());
                    System.out.println("stored=" + size + " read=" + read + " same=" + a.equals(b));
                }
            }
        }
    }

    /** {@code size} pseudo-random bytes, digested as they are read, never all in memory. */
    private static final class RandomStream extends InputStream {
        private final Random random = new Random(1);
        private final MessageDigest digest;
        private long left;

        RandomStream(long size, MessageDigest digest) {
            this.left = size;
            this.digest = digest;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            byte[] piece = new byte[n];
            random.nextBytes(piece);
            System.arraycopy(piece, 0, b, off, n);
            digest.update(piece);
            left -= n;
            return n;
        }
    }

    /** Digests what is written to it and keeps nothing. */
    private static final class DigestSink extends OutputStream {
        private final MessageDigest digest;

        DigestSink(MessageDigest digest) {
            this.digest = digest;
        }

        @Override
        public void write(int b) {
            digest.update((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            digest.update(b, off, len);
        }
    }
}
