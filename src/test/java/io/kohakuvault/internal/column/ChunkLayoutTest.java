package io.kohakuvault.internal.column;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** ChunkLayout: capacity, start and chunkOf agree with each other for every position. */
class ChunkLayoutTest {
    static Stream<Arguments> layouts() {
        return Stream.of(
                Arguments.of(8, 64, 256), // i64, the small test sizes: 8, 16, 32, 32...
                Arguments.of(12, 64, 256), // index entries: 5, 10, 20, 21, 21...
                Arguments.of(1, 64, 256), // heap bytes
                Arguments.of(4, 64, 64), // min == max: every chunk the same
                Arguments.of(8, 16 << 10, 256 << 10), // 16 KiB to 256 KiB: growth, then a larger cap than the default
                Arguments.of(1, 64, 200), // a ratio that is not a power of two: 64, 128, 200...
                Arguments.of(8, 24 * 8, 100 * 8), // 24, 48, 96, 100...
                Arguments.of(3, 64, 1000), // units that do not divide the sizes
                Arguments.of(100, 64, 256), // a unit larger than the smallest chunk: one per chunk first
                Arguments.of(1000, 64, 256), // a unit larger than the largest chunk: one per chunk
                Arguments.of(1, 64, 16 << 20), // long growth: 19 doublings
                Arguments.of(7, 64, 65)); // min and max one byte apart
    }

    @ParameterizedTest(name = "unit {0}, chunks {1} to {2} bytes")
    @MethodSource("layouts")
    void capacityStartAndChunkOf_areConsistent(int unit, int minBytes, int maxBytes) {
        ChunkLayout layout = ChunkLayout.of(unit, minBytes, maxBytes);
        int min = Math.max(1, minBytes / unit);
        int max = Math.max(min, maxBytes / unit);
        assertThat(layout.capacity(0)).isEqualTo(min);
        assertThat(layout.start(0)).isZero();
        long expectedStart = 0;
        long expectedCapacity = min;
        boolean grown = false;
        for (long seq = 0; seq < 200; seq++) {
            int capacity = layout.capacity(seq);
            assertThat(capacity)
                    .as("capacity of chunk %d", seq)
                    .isEqualTo(expectedCapacity)
                    .isPositive();
            assertThat((long) capacity * unit <= maxBytes || capacity == 1)
                    .as("chunk %d fits the largest size", seq)
                    .isTrue();
            assertThat(layout.start(seq)).as("start of chunk %d", seq).isEqualTo(expectedStart);
            if (grown) {
                assertThat(capacity).isEqualTo(max);
            }
            grown = capacity == max;
            // every position of the chunk maps back to it, and the neighbours to the neighbours
            long start = layout.start(seq);
            int step = Math.max(1, capacity / 50);
            for (long p = start; p < start + capacity; p += step) {
                assertThat(layout.chunkOf(p)).as("chunkOf(%d)", p).isEqualTo(seq);
            }
            assertThat(layout.chunkOf(start)).isEqualTo(seq);
            assertThat(layout.chunkOf(start + capacity - 1)).isEqualTo(seq);
            if (seq > 0) {
                assertThat(layout.chunkOf(start - 1)).isEqualTo(seq - 1);
            }
            assertThat(layout.chunkOf(start + capacity)).isEqualTo(seq + 1);
            expectedStart += capacity;
            expectedCapacity = Math.min(max, expectedCapacity * 2);
        }
    }

    @Test
    void capacities_doubleUntilTheMaximum_thenStay() {
        ChunkLayout i64 = ChunkLayout.of(8, 64, 256);
        assertThat(Stream.iterate(0L, s -> s + 1).limit(6).map(i64::capacity)).containsExactly(8, 16, 32, 32, 32, 32);
        ChunkLayout entries = ChunkLayout.of(12, 64, 256);
        assertThat(Stream.iterate(0L, s -> s + 1).limit(5).map(entries::capacity))
                .containsExactly(5, 10, 20, 21, 21);
        ChunkLayout uneven = ChunkLayout.of(1, 64, 200);
        assertThat(Stream.iterate(0L, s -> s + 1).limit(5).map(uneven::capacity))
                .containsExactly(64, 128, 200, 200, 200);
        ChunkLayout flat = ChunkLayout.of(4, 64, 64);
        assertThat(Stream.iterate(0L, s -> s + 1).limit(3).map(flat::capacity)).containsExactly(16, 16, 16);
        ChunkLayout wide = ChunkLayout.of(1000, 64, 256);
        assertThat(Stream.iterate(0L, s -> s + 1).limit(3).map(wide::capacity)).containsExactly(1, 1, 1);
        assertThat(wide.chunkOf(12345)).isEqualTo(12345);
    }

    @Test
    void farPositions_mapWithoutOverflow() {
        for (ChunkLayout layout : new ChunkLayout[] {
            ChunkLayout.of(8, 64, 256),
            ChunkLayout.of(1, 64, 16 << 20),
            ChunkLayout.of(12, 16 << 10, 256 << 10),
            ChunkLayout.of(1, 64, 64)
        }) {
            for (long p : new long[] {Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, 1L << 40, (1L << 50) + 12345}) {
                long seq = layout.chunkOf(p);
                assertThat(seq).isNotNegative();
                assertThat(layout.start(seq)).as("start of the chunk of %d", p).isLessThanOrEqualTo(p);
                assertThat(layout.start(seq) + layout.capacity(seq))
                        .as("end of the chunk of %d", p)
                        .isGreaterThan(p);
            }
        }
    }
}
