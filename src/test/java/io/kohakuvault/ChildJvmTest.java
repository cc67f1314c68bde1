package io.kohakuvault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process machinery the crash and multi-process tests stand on: a child killed with SIGKILL
 * reports exit 137, and every stdout line it wrote before the kill reaches the test.
 */
class ChildJvmTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void kill_ofAChildPrintingFast_isSigkill_andLosesNoLineItWrote() throws Exception {
        // Regression: with pipes, the JDK drained a dead child's output on its reaper thread and
        // hundreds of lines the child had written before the kill never reached the reader.
        for (int round = 0; round < 3; round++) {
            Path counter = dir.resolve("counter-" + round);
            try (ChildJvm.Running child = ChildJvm.start(Counter.class, "64m", counter.toString())) {
                child.awaitLine("R", Duration.ofSeconds(60));
                Thread.sleep(200 + 150 * round);
                assertThat(child.kill()).isEqualTo(ChildJvm.SIGKILL_EXIT);
                long written;
                try (FileChannel ch = FileChannel.open(counter)) {
                    ByteBuffer b = ByteBuffer.allocate(Long.BYTES);
                    ch.read(b, 0);
                    written = b.getLong(0);
                }
                List<String> lines = child.stdoutLines();
                assertThat(written).as("the child counted before it was killed").isPositive();
                // The child prints line i, then records i in the file: line 'written' was printed.
                assertThat(lines).contains("L " + written);
                for (int i = 1; i < lines.size() - 1; i++) {
                    assertThat(lines.get(i)).isEqualTo("L " + (i - 1));
                }
            }
        }
    }

    /** Prints {@code L 0}, {@code L 1}, ... as fast as it can, writing each number to a file after printing it. */
    public static final class Counter {
        private Counter() {}

        /** @param args the file that holds the last number printed */
        public static void main(String[] args) throws Exception {
            try (FileChannel ch =
                    FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                System.out.println("R");
                System.out.flush();
                ByteBuffer b = ByteBuffer.allocate(Long.BYTES);
                for (long i = 0; ; i++) {
                    System.out.println("L " + i);
                    System.out.flush();
                    ch.write(b.putLong(0, i), 0);
                    b.clear();
                }
            }
        }
    }
}
