package io.kohakuvault.internal.column;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The element chunks a scan of one column read past the range it was asked for, kept for the
 * scan's next ranges, beside the vault's read cache rather than in it: a scan of a column larger
 * than the cache then reads each chunk once, in few queries, without pushing the working set of
 * other reads out of the cache. Holds at most {@code maxBytes} (a chunk kept past that pushes out
 * the ones kept longest ago: the scan has passed them, whichever way it goes, and a scan that starts
 * over from the beginning is not starved by the end of the last one), all of one column revision (a write of the
 * column changes the revision, and the window then starts afresh). Thread-safe.
 */
final class ScanWindow {
    private final long maxBytes;
    /** In the order they were kept. */
    private final LinkedHashMap<Long, byte[]> chunks = new LinkedHashMap<>();

    private long epoch = -1;
    private long revision = -1;
    private long bytes;

    /** @param maxBytes most bytes of chunks held */
    ScanWindow(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Keeps a chunk read ahead.
     *
     * @param data the chunk's data, as read at {@code epoch} and {@code revision}; never modified
     */
    synchronized void keep(long epoch, long revision, long seq, byte[] data) {
        if (epoch != this.epoch || revision != this.revision) {
            chunks.clear();
            bytes = 0;
            this.epoch = epoch;
            this.revision = revision;
        }
        byte[] old = chunks.remove(seq); // kept again: it becomes the newest
        bytes += data.length - (old == null ? 0 : old.length);
        chunks.put(seq, data);
        Iterator<Map.Entry<Long, byte[]>> oldest = chunks.entrySet().iterator();
        while (bytes > maxBytes && oldest.hasNext()) {
            bytes -= oldest.next().getValue().length;
            oldest.remove();
        }
    }

    /** @return chunk {@code seq} as of {@code epoch} and {@code revision}, or null */
    synchronized byte @Nullable [] get(long epoch, long revision, long seq) {
        if (epoch != this.epoch || revision != this.revision) {
            return null;
        }
        return chunks.get(seq);
    }
}
