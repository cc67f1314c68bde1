package io.kohakuvault.internal.tools;

import io.kohakuvault.ChunkSizes;
import io.kohakuvault.Column;
import io.kohakuvault.ColumnInfo;
import io.kohakuvault.InvalidArgumentException;
import io.kohakuvault.KVault;
import io.kohakuvault.Vault;
import io.kohakuvault.VaultIoException;
import io.kohakuvault.internal.column.ColumnCatalog;
import io.kohakuvault.internal.column.ColumnMeta;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Copies every key-value store and column of one vault into another, through the public API (so it
 * works whatever database holds either vault): keys are read lazily in key order, each value
 * streamed chunk by chunk, a batch of keys per target transaction; columns are copied a block of
 * elements at a time, keeping their chunk sizes. Memory stays bounded whatever the sizes.
 */
public final class VaultCopier {
    /** Keys written per target transaction: few commits, little held in memory. */
    static final int KEYS_PER_TRANSACTION = 256;

    private VaultCopier() {}

    /**
     * Copies {@code source} into {@code target}.
     *
     * @param source the vault to read
     * @param target the vault to write
     * @return the bytes copied
     * @throws InvalidArgumentException when they are one vault, or the target already holds a
     *     store or column of a name the source uses; nothing was changed then
     */
    public static long copy(Vault source, Vault target) {
        return copy(source, target, bytes -> {});
    }

    /**
     * Like {@link #copy(Vault, Vault)}, telling {@code progress} of the bytes as they are copied.
     *
     * @param source the vault to read
     * @param target the vault to write
     * @param progress hears each amount of bytes copied
     * @return the bytes copied
     */
    public static long copy(Vault source, Vault target, LongConsumer progress) {
        if (target == null) {
            throw new InvalidArgumentException("copyTo: target must not be null");
        }
        if (target == source) {
            throw new InvalidArgumentException("copyTo: the target is this vault");
        }
        if (target.isReadOnly()) {
            // location(), not path(): a server vault has no path, and is named without its password
            throw new InvalidArgumentException("copyTo: target vault "
                    + VaultAccess.database(target).options().location() + " is read-only");
        }
        if (!source.isReadOnly()) {
            source.flushCache();
        }
        List<String> stores = source.kvStores();
        List<ColumnInfo> columns = source.columns().listColumns();
        refuseClashes(stores, columns, target);
        long copied = 0;
        for (String store : stores) {
            copied += copyStore(source.kv(store), target.kv(store), target, progress);
        }
        for (ColumnInfo info : columns) {
            copied += copyColumn(source, info, target, progress);
        }
        target.flushCache();
        return copied;
    }

    private static void refuseClashes(List<String> stores, List<ColumnInfo> columns, Vault target) {
        Set<String> clashes = new LinkedHashSet<>();
        Set<String> targetStores = Set.copyOf(target.kvStores());
        for (String store : stores) {
            if (targetStores.contains(store)) {
                clashes.add("store '" + store + "'");
            }
        }
        for (ColumnInfo column : columns) {
            if (target.columns().hasColumn(column.name())) {
                clashes.add("column '" + column.name() + "'");
            }
        }
        if (!clashes.isEmpty()) {
            throw new InvalidArgumentException(
                    "copyTo: the target already holds " + String.join(", ", clashes) + "; nothing was copied");
        }
    }

    private static long copyStore(KVault from, KVault to, Vault target, LongConsumer progress) {
        long copied = 0;
        Iterator<byte[]> keys = from.rawKeys().iterator();
        while (keys.hasNext()) {
            List<byte[]> batch = new ArrayList<>(KEYS_PER_TRANSACTION);
            while (keys.hasNext() && batch.size() < KEYS_PER_TRANSACTION) {
                batch.add(keys.next());
            }
            copied += target.transactionResult(() -> {
                long n = 0;
                for (byte[] key : batch) {
                    n += copyValue(from, to, key, progress);
                }
                return n;
            });
        }
        return copied;
    }

    private static long copyValue(KVault from, KVault to, byte[] key, LongConsumer progress) {
        try (CountingStream in = new CountingStream(from.openStream(key), progress)) {
            to.putFile(key, in);
            return in.count;
        } catch (IOException e) {
            throw new VaultIoException(
                    "copyTo: cannot read a value of store '" + from.name() + "': " + e.getMessage(), e);
        }
    }

    private static long copyColumn(Vault source, ColumnInfo info, Vault target, LongConsumer progress) {
        ColumnMeta meta = ColumnCatalog.find(VaultAccess.database(source), info.name());
        ChunkSizes sizes =
                meta == null ? ChunkSizes.DEFAULT : ChunkSizes.of(meta.minChunkBytes(), meta.maxChunkBytes());
        Column<?> from = source.columns().column(info.name());
        Column<?> to = target.columns().createColumn(info.name(), info.type(), sizes);
        return ColumnBlocks.copy(from, to, progress);
    }

    /** Counts the bytes read through it, and tells {@code progress}. */
    private static final class CountingStream extends FilterInputStream {
        private final LongConsumer progress;
        long count;

        CountingStream(InputStream in, LongConsumer progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
                progress.accept(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
                progress.accept(n);
            }
            return n;
        }
    }
}
