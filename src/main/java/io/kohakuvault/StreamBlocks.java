package io.kohakuvault;

/** How primitive streams read a column: a block of elements at a time. */
final class StreamBlocks {
    /** Elements per block. */
    static final int SIZE = 8192;

    private StreamBlocks() {}
}
