package io.kohakuvault;

import static io.kohakuvault.VaultFixtures.bytes;
import static io.kohakuvault.VaultFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kohakuvault.VaultFixtures.Storage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sqlite.SQLiteLimits;

/** putFile, getToFile and openStream: values moved a chunk at a time, atomically. */
class KVaultStreamingTest extends VaultTestBase {
    private static final int CHUNK = 4096;

    private KVault open(Storage storage) {
        vault = storage.open(dir, b -> b.chunkSize(CHUNK));
        return vault.kv();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 2 * CHUNK + 7, 25 * CHUNK + 3})
    void putFile_ofAnySizeAroundChunkBoundaries_roundTrips(int size) {
        KVault kv = open(Storage.FILE);
        byte[] value = bytes(size, size);
        kv.putFile("unknown", new ByteArrayInputStream(value));
        kv.putFile("declared", new ByteArrayInputStream(value), size);
        for (String key : new String[] {"unknown", "declared"}) {
            assertThat(kv.get(key)).isEqualTo(value);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(kv.getToFile(key, out)).isEqualTo(size);
            assertThat(out.toByteArray()).isEqualTo(value);
        }
        assertThat(Inspect.chunkRows(vault)).isEqualTo(size <= CHUNK ? 0 : 2 * ((size + CHUNK - 1) / CHUNK));
    }

    @ParameterizedTest
    @EnumSource(Storage.class)
    void openStream_readsValueInPieces(Storage storage) throws IOException {
        KVault kv = open(storage);
        byte[] value = bytes(10 * CHUNK + 5, 2);
        kv.put("v", value);
        try (InputStream in = kv.openStream("v")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int b = in.read();
            out.write(b);
            byte[] buffer = new byte[1000];
            int n;
            while ((n = in.read(buffer, 0, buffer.length)) > 0) {
                out.write(buffer, 0, n);
            }
            assertThat(out.toByteArray()).isEqualTo(value);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void putFile_declaredSizeMismatch_throwsAndKeepsOldValue() {
        KVault kv = open(Storage.FILE);
        kv.put("k", utf8("old"));
        for (int actual : new int[] {10, 3 * CHUNK}) {
            for (long declared : new long[] {actual - 1, actual + 1, 0}) {
                assertThatThrownBy(() -> kv.putFile("k", new ByteArrayInputStream(bytes(actual, 1)), declared))
                        .isInstanceOf(InvalidArgumentException.class)
                        .hasMessageContaining("'k'")
                        .hasMessageContaining("size given was " + declared);
            }
        }
        assertThat(kv.get("k")).isEqualTo(utf8("old"));
        assertThat(Inspect.chunkRows(vault)).isZero();
        assertThat(Inspect.blobRows(vault)).isZero();
    }

    @ParameterizedTest
    @EnumSource(Storage.class)
    void putFile_streamFailingHalfWay_keepsOldValueOrNoKey(Storage storage) {
        KVault kv = open(storage);
        byte[] old = bytes(5 * CHUNK, 7);
        kv.put("k", old);
        assertThatThrownBy(() -> kv.putFile("k", failingAfter(bytes(20 * CHUNK, 8), 11 * CHUNK)))
                .isInstanceOf(VaultIoException.class)
                .hasMessageContaining("'k'")
                .hasMessageContaining("disk unplugged");
        assertThatThrownBy(() -> kv.putFile("fresh", failingAfter(bytes(20 * CHUNK, 8), 3 * CHUNK)))
                .isInstanceOf(VaultIoException.class);
        assertThat(kv.get("k")).isEqualTo(old);
        assertThat(kv.exists("fresh")).isFalse();
        assertThat(Inspect.chunkRows(vault)).isEqualTo(5);
        assertThat(Inspect.blobRows(vault)).isEqualTo(1);
        kv.put("after", utf8("still writable"));
        assertThat(kv.get("after")).isEqualTo(utf8("still writable"));
    }

    @Test
    void putFile_streamThrowingRuntimeException_rethrowsItAndStoresNothing() {
        KVault kv = open(Storage.FILE);
        IllegalStateException boom = new IllegalStateException("boom");
        InputStream in = new InputStream() {
            int n;

            @Override
            public int read() {
                if (n++ > 2 * CHUNK) {
                    throw boom;
                }
                return 1;
            }
        };
        assertThatThrownBy(() -> kv.putFile("k", in)).isSameAs(boom);
        assertThat(kv.exists("k")).isFalse();
    }

    @Test
    void putFile_andGetToFile_neverCloseCallersStreams() {
        KVault kv = open(Storage.FILE);
        boolean[] closed = new boolean[2];
        InputStream in = new FilterInputStream(new ByteArrayInputStream(bytes(3 * CHUNK, 1))) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        OutputStream out = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[1] = true;
            }
        };
        kv.putFile("k", in);
        kv.getToFile("k", out);
        assertThat(closed).containsExactly(false, false);
    }

    @Test
    void putFileAndGetToFile_withPaths_copyFilesExactly() throws IOException {
        KVault kv = open(Storage.FILE);
        Path source = dir.resolve("in.bin");
        byte[] value = bytes(7 * CHUNK + 1, 4);
        Files.write(source, value);
        kv.putFile("video:789", source);
        Path target = dir.resolve("out.bin");
        Files.write(target, utf8("previous contents"));
        assertThat(kv.getToFile("video:789", target)).isEqualTo(value.length);
        assertThat(Files.readAllBytes(target)).isEqualTo(value);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
        }
    }

    @Test
    void pathMethods_missingInputOrKey_throwNamingIt_andLeaveTargetAlone() throws IOException {
        KVault kv = open(Storage.FILE);
        Path missing = dir.resolve("no-such-file.bin");
        assertThatThrownBy(() -> kv.putFile("k", missing))
                .isInstanceOf(VaultIoException.class)
                .hasMessageContaining("no-such-file.bin");
        Path target = dir.resolve("keep.bin");
        Files.write(target, utf8("keep"));
        assertThatThrownBy(() -> kv.getToFile("absent", target))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("'absent'");
        assertThatThrownBy(() -> kv.openStream("absent")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> kv.getToFile("absent", new ByteArrayOutputStream()))
                .isInstanceOf(NotFoundException.class);
        assertThat(Files.readAllBytes(target)).isEqualTo(utf8("keep"));
    }

    @Test
    void getToFile_outputFailing_throwsVaultIoException() {
        KVault kv = open(Storage.FILE);
        kv.put("k", bytes(3 * CHUNK, 1));
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("pipe closed");
            }
        };
        assertThatThrownBy(() -> kv.getToFile("k", broken))
                .isInstanceOf(VaultIoException.class)
                .hasMessageContaining("pipe closed");
    }

    @Test
    void openStream_afterValueReplacedOrVaultClosed_failsClearlyNeverMixes() throws IOException {
        KVault kv = open(Storage.FILE);
        kv.put("k", bytes(10 * CHUNK, 1));
        InputStream replaced = kv.openStream("k");
        byte[] first = replaced.readNBytes(CHUNK);
        assertThat(first).isEqualTo(java.util.Arrays.copyOf(bytes(10 * CHUNK, 1), CHUNK));
        kv.put("k", bytes(10 * CHUNK, 2));
        assertThatThrownBy(replaced::readAllBytes)
                .isInstanceOf(VaultIoException.class)
                .hasMessageContaining("replaced or deleted");

        InputStream afterClose = kv.openStream("k");
        vault.close();
        assertThatThrownBy(afterClose::read)
                .isInstanceOf(VaultIoException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void valueLargerThanSqliteBlobLimit_isStoredAsChunkRows() {
        vault = Vault.builder(dir.resolve("limit.db")).chunkSize(64 * 1024).open();
        KVault kv = vault.kv();
        int limit = 100_000;
        vault.database().withWriter(c -> {
            c.sqlite().setLimit(SQLiteLimits.SQLITE_LIMIT_LENGTH, limit);
            return null;
        });
        // A single BLOB past the limit is refused by SQLite itself ...
        assertThatThrownBy(() -> vault.database().withWriter(c -> {
                    try (var s = c.jdbc().prepareStatement("SELECT zeroblob(?)")) {
                        s.setInt(1, limit + 1);
                        s.executeQuery().next();
                    }
                    return null;
                }))
                .isInstanceOf(KohakuVaultException.class);
        // ... while a value of ten times the limit goes in and out whole.
        byte[] value = bytes(10 * limit, 5);
        kv.putFile("big", new ByteArrayInputStream(value));
        kv.put("big2", value);
        assertThat(kv.get("big")).isEqualTo(value);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        kv.getToFile("big2", out);
        assertThat(out.toByteArray()).isEqualTo(value);
    }

    private static InputStream failingAfter(byte[] data, int failAt) {
        return new InputStream() {
            int position;

            @Override
            public int read() throws IOException {
                if (position >= failAt) {
                    throw new IOException("disk unplugged");
                }
                return position < data.length ? data[position++] & 0xff : -1;
            }
        };
    }
}
