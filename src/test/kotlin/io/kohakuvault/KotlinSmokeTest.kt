package io.kohakuvault

import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test

class KotlinSmokeTest {
    @Test
    fun `indexing reads and writes`() {
        Vault.open(":memory:").use { vault ->
            val kv = vault.kv()
            kv["k"] = byteArrayOf(1, 2)
            val v: ByteArray? = kv["k"]
            assertThat(v).containsExactly(1, 2)
            assertThat("k" in kv).isTrue()
        }
    }
}
