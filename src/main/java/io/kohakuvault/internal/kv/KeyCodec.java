package io.kohakuvault.internal.kv;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * How keys are stored and shown. A {@code String} key is stored as its UTF-8 bytes, so the two
 * spellings of the same bytes are the same key. Stored keys sort in unsigned byte order, which
 * for UTF-8 is code point order.
 */
public final class KeyCodec {
    /** The longest key, in bytes: 64 KiB. */
    public static final int MAX_KEY_BYTES = 64 * 1024;

    /**
     * The longest key of a PostgreSQL vault, in bytes: 2 KiB. A key is part of the table's B-tree
     * index, whose entries PostgreSQL limits to a third of a page (2,704 bytes with its 8 KiB
     * pages, headers and the store id included); a longer key that does not compress below that
     * fails there, so the vault refuses every key longer than this, compressible or not.
     */
    public static final int MAX_SERVER_KEY_BYTES = 2 * 1024;

    private static final int SHOWN_CHARS = 80;

    private KeyCodec() {}

    /**
     * @param key a text key
     * @return its UTF-8 bytes (an unpaired surrogate becomes {@code ?})
     */
    public static byte[] encode(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param key stored key bytes
     * @return the key as text; bytes that are not UTF-8 become U+FFFD
     */
    public static String decode(byte[] key) {
        return new String(key, StandardCharsets.UTF_8);
    }

    /**
     * Shows a key in a message: quoted text when it is printable UTF-8, else hex; long keys cut.
     *
     * @param key stored key bytes
     * @return e.g. {@code 'image:123'} or {@code 0xff00ab}
     */
    public static String describe(byte[] key) {
        try {
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(key))
                    .toString();
            if (text.codePoints().noneMatch(Character::isISOControl)) {
                return text.length() <= SHOWN_CHARS
                        ? "'" + text + "'"
                        : "'" + text.substring(0, SHOWN_CHARS) + "...' (" + key.length + " bytes)";
            }
        } catch (CharacterCodingException notText) {
            // shown as hex below
        }
        int shown = Math.min(key.length, SHOWN_CHARS / 2);
        String hex = "0x" + HexFormat.of().formatHex(key, 0, shown);
        return shown < key.length ? hex + "... (" + key.length + " bytes)" : hex;
    }

    /**
     * @param key stored key bytes
     * @param prefix a prefix
     * @return true when {@code key} starts with {@code prefix}
     */
    public static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }
}
