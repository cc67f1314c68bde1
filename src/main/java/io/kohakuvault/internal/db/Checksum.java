package io.kohakuvault.internal.db;

import io.kohakuvault.VaultIoException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

/**
 * The CRC-32C stored beside every row of stored bytes (schema version 3), and its check on read:
 * bytes changed on disk behind SQLite's back are reported, never returned as the value. Each
 * checksum also covers what places the bytes (key, blob id, chunk number), so a row moved or
 * pointed elsewhere fails too. docs/FORMAT.md lists the bytes each one covers.
 *
 * <p>Cost: CRC-32C is a CPU instruction on current x86 and ARM machines, several GB/s; a 100-byte
 * value adds tens of nanoseconds to a put or a get.
 */
public final class Checksum {
    private Checksum() {}

    /** @return the checksum of a key-value entry whose value is stored inline */
    public static long ofInlineEntry(byte[] key, byte[] value) {
        CRC32C crc = new CRC32C();
        crc.update(key);
        crc.update(value);
        return crc.getValue();
    }

    /** @return the checksum of a key-value entry whose value is the blob {@code blobId} */
    public static long ofBlobEntry(byte[] key, long blobId) {
        CRC32C crc = new CRC32C();
        crc.update(key);
        updateLong(crc, blobId);
        return crc.getValue();
    }

    /** @return the checksum of chunk {@code seq} of blob {@code blobId} */
    public static long ofBlobChunk(long blobId, int seq, byte[] data) {
        CRC32C crc = new CRC32C();
        updateLong(crc, blobId);
        updateInt(crc, seq);
        crc.update(data);
        return crc.getValue();
    }

    /** @return the checksum of chunk {@code seq} of a column (element chunk or heap chunk) */
    public static long ofColumnChunk(long seq, byte[] data) {
        CRC32C crc = new CRC32C();
        updateLong(crc, seq);
        crc.update(data);
        return crc.getValue();
    }

    /**
     * Reads a stored checksum.
     *
     * @param rows the result set, on the row
     * @param column the 1-based column holding the checksum
     * @return the checksum; 0 for a row written before checksums existed (NULL)
     * @throws SQLException when reading fails
     */
    public static long read(ResultSet rows, int column) throws SQLException {
        // NULL reads as 0, which verify() takes for "none": no wasNull() call, one JNI call less per read.
        return rows.getLong(column);
    }

    /**
     * Throws unless the stored checksum matches the one computed from what was read.
     *
     * @param stored as {@link #read} returned it; 0 (no checksum stored, or the one checksum in
     *     2^32 that is 0) passes unchecked
     * @param computed the checksum of the bytes read
     * @param what what was being read, for the message
     * @throws VaultIoException saying the stored bytes are corrupt, when they differ
     */
    public static void verify(long stored, long computed, Supplier<String> what) {
        if (stored != 0 && stored != computed) {
            throw corrupt(what, stored, computed);
        }
    }

    private static VaultIoException corrupt(Supplier<String> what, long stored, long computed) {
        return new VaultIoException(what.get() + ": the stored bytes are corrupt (checksum "
                + Long.toHexString(computed) + " where " + Long.toHexString(stored)
                + " was written); the file was changed outside SQLite or the disk is failing");
    }

    private static void updateLong(CRC32C crc, long v) {
        for (int i = 0; i < 8; i++) {
            crc.update((int) (v >>> (8 * i)));
        }
    }

    private static void updateInt(CRC32C crc, int v) {
        for (int i = 0; i < 4; i++) {
            crc.update(v >>> (8 * i));
        }
    }
}
