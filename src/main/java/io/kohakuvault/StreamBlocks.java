package io.kohakuvault;

/** How primitive streams read a column: a block of elements at a time. */
final class StreamBlocks {
    /** Elements per block: enough chunks per read that the file is read with few cursors, 512 KiB of longs. */
    static final int SIZE = 1 << 16;

    private StreamBlocks() {}
}
