package io.kohakuvault.bench;

/**
 * One side of one workload. The harness calls {@link #prepare()} once, then for each sample
 * {@link #setUp(int)}, the timed {@link #run()} and {@link #tearDown()}, and {@link #dispose()} at
 * the end. Only {@code run} is timed.
 */
abstract class Case {
    private final String side;

    Case(String side) {
        this.side = side;
    }

    /** @return the row label, e.g. {@code "raw sqlite-jdbc"} */
    final String side() {
        return side;
    }

    /** Once, before any sample: e.g. fill the store that every sample reads. */
    void prepare() throws Exception {}

    /** Before each sample, untimed: e.g. create a fresh file. */
    void setUp(int round) throws Exception {}

    /**
     * The timed work.
     *
     * @return how many operations it did
     */
    abstract long run() throws Exception;

    /** After each sample, untimed: check what was written, close, delete. */
    void tearDown() throws Exception {}

    /** Once, after every sample. */
    void dispose() throws Exception {}

    /** Keeps results alive so that the JIT cannot drop the work that made them. */
    static volatile long sink;

    static void consume(byte[] value) {
        if (value == null) {
            throw new IllegalStateException("a stored key read back as absent");
        }
        sink += value.length + value[0];
    }
}
