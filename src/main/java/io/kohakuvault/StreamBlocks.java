package io.kohakuvault;

import java.util.Spliterator;
import java.util.function.DoubleConsumer;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * How the primitive streams of the columns read them: a block of elements at a time, handed to the
 * stream's operations in a plain loop over the block's array (no iterator call per element).
 */
final class StreamBlocks {
    /** Elements per block: enough chunks per read that the file is read with few cursors, 512 KiB of longs. */
    static final int SIZE = 1 << 16;

    private StreamBlocks() {}

    /**
     * Reads the elements {@code [from, to)} of a column as one primitive array.
     *
     * @param <A> the array type
     */
    @FunctionalInterface
    interface Reader<A> {
        /**
         * @param from the first element
         * @param to the end, exclusive
         * @return the elements, {@code to - from} of them
         */
        A read(long from, long to);
    }

    /** @return the stream of the {@code length} longs {@code reader} reads */
    static LongStream longs(long length, Reader<long[]> reader) {
        return StreamSupport.longStream(new Longs(length, reader), false);
    }

    /** @return the stream of the {@code length} ints {@code reader} reads */
    static IntStream ints(long length, Reader<int[]> reader) {
        return StreamSupport.intStream(new Ints(length, reader), false);
    }

    /** @return the stream of the {@code length} doubles {@code reader} reads */
    static DoubleStream doubles(long length, Reader<double[]> reader) {
        return StreamSupport.doubleStream(new Doubles(length, reader), false);
    }

    /** The block being handed out and the position in the column; the element types add the loops. */
    private abstract static class Blocks<A> {
        private final long length;
        private final Reader<A> reader;
        /** The element after the current block. */
        private long next;
        /** The current block, {@code size} elements, of which {@code at} were handed out. */
        A block;

        int size;
        int at;

        Blocks(long length, Reader<A> reader, A empty) {
            this.length = length;
            this.reader = reader;
            this.block = empty;
        }

        /** @return whether an element is left in the block, reading the next block when needed */
        final boolean ready() {
            if (at < size) {
                return true;
            }
            if (next >= length) {
                return false;
            }
            long to = Math.min(length, next + SIZE);
            block = reader.read(next, to);
            size = (int) (to - next);
            at = 0;
            next = to;
            return true;
        }

        public final long estimateSize() {
            return length - next + size - at;
        }

        public final int characteristics() {
            return Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.SIZED;
        }
    }

    private static final class Longs extends Blocks<long[]> implements Spliterator.OfLong {
        Longs(long length, Reader<long[]> reader) {
            super(length, reader, new long[0]);
        }

        /** @return null: a column's stream is read in order, by one thread */
        @Override
        public Spliterator.@Nullable OfLong trySplit() {
            return null;
        }

        @Override
        public boolean tryAdvance(LongConsumer action) {
            if (!ready()) {
                return false;
            }
            action.accept(block[at++]);
            return true;
        }

        @Override
        public void forEachRemaining(LongConsumer action) {
            while (ready()) {
                long[] values = block;
                for (int i = at; i < size; i++) {
                    action.accept(values[i]);
                }
                at = size;
            }
        }
    }

    private static final class Ints extends Blocks<int[]> implements Spliterator.OfInt {
        Ints(long length, Reader<int[]> reader) {
            super(length, reader, new int[0]);
        }

        /** @return null: a column's stream is read in order, by one thread */
        @Override
        public Spliterator.@Nullable OfInt trySplit() {
            return null;
        }

        @Override
        public boolean tryAdvance(IntConsumer action) {
            if (!ready()) {
                return false;
            }
            action.accept(block[at++]);
            return true;
        }

        @Override
        public void forEachRemaining(IntConsumer action) {
            while (ready()) {
                int[] values = block;
                for (int i = at; i < size; i++) {
                    action.accept(values[i]);
                }
                at = size;
            }
        }
    }

    private static final class Doubles extends Blocks<double[]> implements Spliterator.OfDouble {
        Doubles(long length, Reader<double[]> reader) {
            super(length, reader, new double[0]);
        }

        /** @return null: a column's stream is read in order, by one thread */
        @Override
        public Spliterator.@Nullable OfDouble trySplit() {
            return null;
        }

        @Override
        public boolean tryAdvance(DoubleConsumer action) {
            if (!ready()) {
                return false;
            }
            action.accept(block[at++]);
            return true;
        }

        @Override
        public void forEachRemaining(DoubleConsumer action) {
            while (ready()) {
                double[] values = block;
                for (int i = at; i < size; i++) {
                    action.accept(values[i]);
                }
                at = size;
            }
        }
    }
}
