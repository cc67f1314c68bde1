package io.kohakuvault.cli;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** How keys and byte values are shown on a line: printable UTF-8 as it is, anything else as {@code 0x} hex. */
final class KeyText {
    private KeyText() {}

    /**
     * @param key stored key bytes
     * @return the key as text when it is printable UTF-8, else {@code 0x} and its hex
     */
    static String show(byte[] key) {
        try {
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(key))
                    .toString();
            if (!text.startsWith("0x") && text.codePoints().noneMatch(Character::isISOControl)) {
                return text;
            }
        } catch (CharacterCodingException notText) {
            // hex below
        }
        return hex(key);
    }

    /** @return {@code 0x} and the bytes in hex */
    static String hex(byte[] bytes) {
        return "0x" + HexFormat.of().formatHex(bytes);
    }
}
