package io.kohakuvault;

import static org.assertj.core.api.Assertions.assertThat;

import io.kohakuvault.internal.column.ChunkCache;
import io.kohakuvault.internal.column.ColumnCatalog;
import io.kohakuvault.internal.column.ColumnMeta;
import io.kohakuvault.internal.column.ColumnStore;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Several vaults on one file: a column opened just as another connection commits sees that commit. */
class MultiProcessTest {
    static final int CHUNK_SIZE = 4096;
    static final ChunkSizes COLUMN_CHUNKS = ChunkSizes.of(64, 256);
    static final String SEQ = "seq";
    static final String SHARED = "shared";

    @TempDir
    Path dir;

    @Test
    void columnOpened_whileAnotherVaultCommits_readsTheLengthCommitted() {
        // Regression: a column read its row, then took the commit watch's version; a commit in
        // between was in that version but not in the row, so the column kept the old length until
        // some later commit (a reader process saw last=130 but a column of 116).
        Path file = dir.resolve("open-race.db");
        try (Vault writer = open(file, false); Vault reader = open(file, false)) {
            LongColumn written = writer.column("c", ColumnType.I64);
            ColumnMeta row = ColumnCatalog.find(reader.database(), "c");
            assertThat(row).isNotNull();
            written.extend(1, 2, 3); // lands between the row's read and the column's creation
            ColumnStore store = new ColumnStore(reader.database(), new ChunkCache(1 << 20), row);
            assertThat(store.length()).isEqualTo(3);
        }
    }

    static Vault open(Path file, boolean readOnly) {
        return Vault.builder(file).chunkSize(CHUNK_SIZE).columnChunkSizes(COLUMN_CHUNKS).readOnly(readOnly).open();
    }
}
