package io.kohakuvault.internal.column;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The read-ahead window of scans: what it keeps, what it pushes out. */
class ScanWindowTest {
    private static final int CHUNK = 1024;

    private static byte[] chunk(long seq) {
        byte[] data = new byte[CHUNK];
        data[0] = (byte) seq;
        return data;
    }

    @Test
    void keepsTheNewestChunksWithinItsBytes() {
        ScanWindow window = new ScanWindow(4 * CHUNK);
        for (long seq = 0; seq < 10; seq++) {
            window.keep(1, 1, seq, chunk(seq));
        }
        for (long seq = 0; seq < 6; seq++) {
            assertThat(window.get(1, 1, seq)).as("chunk %d", seq).isNull();
        }
        for (long seq = 6; seq < 10; seq++) {
            assertThat(window.get(1, 1, seq)).as("chunk %d", seq).isNotNull();
        }
    }

    /** A scan that starts over keeps what it reads now, not the end of the last pass. */
    @Test
    void aScanStartingOverIsNotStarvedByTheEndOfTheLastOne() {
        ScanWindow window = new ScanWindow(4 * CHUNK);
        for (long seq = 90; seq < 100; seq++) {
            window.keep(1, 1, seq, chunk(seq));
        }
        for (long seq = 0; seq < 4; seq++) {
            window.keep(1, 1, seq, chunk(seq));
        }
        for (long seq = 0; seq < 4; seq++) {
            assertThat(window.get(1, 1, seq)).as("chunk %d", seq).isNotNull();
        }
        assertThat(window.get(1, 1, 99)).isNull();
    }

    @Test
    void anotherEpochOrRevisionFindsNothingAndStartsAfresh() {
        ScanWindow window = new ScanWindow(4 * CHUNK);
        window.keep(1, 1, 0, chunk(0));
        assertThat(window.get(2, 1, 0)).isNull();
        assertThat(window.get(1, 2, 0)).isNull();
        window.keep(1, 2, 1, chunk(1));
        assertThat(window.get(1, 1, 0)).isNull();
        assertThat(window.get(1, 2, 0)).isNull();
        assertThat(window.get(1, 2, 1)).isNotNull();
    }
}
