package io.kohakuvault;

import static org.assertj.core.api.Assertions.assertThat;

import io.kohakuvault.internal.kv.KeyCodec;
import org.junit.jupiter.api.Test;

/** How keys appear in messages. */
class KeyCodecTest {
    @Test
    void describe_printableText_isQuoted() {
        assertThat(KeyCodec.describe(KeyCodec.encode("image:123"))).isEqualTo("'image:123'");
    }

    @Test
    void describe_binaryOrControlBytes_isHex() {
        assertThat(KeyCodec.describe(new byte[] {(byte) 0xff, 0x00, 0x10})).isEqualTo("0xff0010");
        assertThat(KeyCodec.describe(KeyCodec.encode("a\nb"))).isEqualTo("0x610a62");
    }

    @Test
    void describe_longKeys_areCutWithTheirLength() {
        assertThat(KeyCodec.describe(KeyCodec.encode("x".repeat(500)))).endsWith("...' (500 bytes)");
        assertThat(KeyCodec.describe(new byte[300])).endsWith("... (300 bytes)");
    }
}
