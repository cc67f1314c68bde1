package io.kohakuvault

import java.nio.file.Path
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir

/**
 * The JSpecify annotations reach the Kotlin compiler: the types it infers for the API are
 * `ByteArray?` where a value may be absent and non-null everywhere else, never platform types
 * (`ByteArray!`). Each check reads the type the compiler inferred at the call site.
 */
class KotlinNullnessTest {
    @TempDir
    lateinit var dir: Path

    private lateinit var vault: Vault
    private lateinit var kv: KVault

    @BeforeEach
    fun openVault() {
        vault = Vault.open(dir.resolve("nullness.db"))
        kv = vault.kv()
        kv["k"] = byteArrayOf(1)
    }

    @AfterEach
    fun closeVault() {
        vault.close()
    }

    @Test
    fun `the type spelling helper tells platform, nullable and non-null types apart`() {
        // Sanity check of the helper itself, on types whose nullness is known.
        assertThat(kotlinTypeOf(Path.of("a").fileName)).isEqualTo("Path!") // un-annotated JDK method
        assertThat(kotlinTypeOf(vault.path())).isEqualTo("Path?")
        assertThat(kotlinTypeOf("x")).isEqualTo("String")
    }

    @Test
    fun `indexing and get are ByteArray-nullable`() {
        assertThat(kotlinTypeOf(kv["k"])).isEqualTo("ByteArray?")
        assertThat(kotlinTypeOf(kv["k".utf8])).isEqualTo("ByteArray?")
        assertThat(kotlinTypeOf(kv.get("k"))).isEqualTo("ByteArray?")
        assertThat(kotlinTypeOf(kv.get("k", null))).isEqualTo("ByteArray?")
    }

    @Test
    fun `require is a non-null ByteArray`() {
        assertThat(kotlinTypeOf(kv.require("k"))).isEqualTo("ByteArray")
        // So it needs no `!!` or `?.`:
        assertThat(kv.require("k").size).isEqualTo(1)
    }

    @Test
    fun `keys, values, entries and asMap have non-null element types`() {
        assertThat(kotlinTypeOf(kv.keys())).isEqualTo("Iterable<String>")
        assertThat(kotlinTypeOf(kv.keys("k"))).isEqualTo("Iterable<String>")
        assertThat(kotlinTypeOf(kv.rawKeys())).isEqualTo("Iterable<ByteArray>")
        assertThat(kotlinTypeOf(kv.values())).isEqualTo("Iterable<ByteArray>")
        assertThat(kotlinTypeOf(kv.iterator().next())).isEqualTo("Entry<String, ByteArray>")
        assertThat(kotlinTypeOf(kv.asMap())).isEqualTo("Map<String, ByteArray>")
        assertThat(kotlinTypeOf(kv.asMap().remove("k"))).isEqualTo("ByteArray?")
    }

    @Test
    fun `destructured entries are String and ByteArray`() {
        for ((k, v) in kv) {
            assertThat(kotlinTypeOf(k)).isEqualTo("String")
            assertThat(kotlinTypeOf(v)).isEqualTo("ByteArray")
        }
    }

    @Test
    fun `vault, stores, builder and streams are non-null`() {
        assertThat(kotlinTypeOf(Vault.builder(dir.resolve("other.db")))).isEqualTo("VaultBuilder")
        assertThat(kotlinTypeOf(vault.kv())).isEqualTo("KVault")
        assertThat(kotlinTypeOf(vault.kv("media"))).isEqualTo("KVault")
        assertThat(kotlinTypeOf(vault.withCache(1024, 512))).isEqualTo("Vault")
        assertThat(kotlinTypeOf(kv.name())).isEqualTo("String")
        kv.openStream("k").use { assertThat(kotlinTypeOf(it)).isEqualTo("InputStream") }
    }

    @Test
    fun `transactionResult has the type of the lambda's result, nullable included`() {
        assertThat(kotlinTypeOf(vault.transactionResult { "s" })).isEqualTo("String")
        assertThat(kotlinTypeOf(vault.transactionResult { kv.require("k") })).isEqualTo("ByteArray")
        // A block that reads may find nothing: T must admit a nullable type.
        assertThat(kotlinTypeOf(vault.transactionResult { kv["absent"] })).isEqualTo("ByteArray?")
    }
}
