package io.kohakuvault

import java.io.ByteArrayOutputStream
import java.nio.file.Files
import java.nio.file.Path
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir

/**
 * KVault used from Kotlin with no wrapper: operators, nullness, destructuring, collections and
 * streams, on a real SQLite file.
 */
class KVaultKotlinTest {
    @TempDir
    lateinit var dir: Path

    private lateinit var vault: Vault
    private lateinit var kv: KVault

    @BeforeEach
    fun openVault() {
        // A small chunk size so that the larger values below are stored as several chunk rows.
        vault = Vault.builder(dir.resolve("kv.db")).chunkSize(4096).open()
        kv = vault.kv()
    }

    @AfterEach
    fun closeVault() {
        vault.close()
    }

    // ---- indexing operators and nullness --------------------------------------------------

    @Test
    fun `index assignment stores a value and indexing reads it back`() {
        kv["image:123"] = byteArrayOf(1, 2, 3)

        val back: ByteArray? = kv["image:123"]

        assertThat(back).containsExactly(1, 2, 3)
        assertThat(kv.require("image:123")).containsExactly(1, 2, 3)
    }

    @Test
    fun `indexing an absent key is null`() {
        val absent: ByteArray? = kv["no such key"]

        assertThat(absent).isNull()
        assertThat(kv["no such key"]?.size ?: -1).isEqualTo(-1)
    }

    @Test
    fun `index assignment replaces the old value`() {
        kv["k"] = "old".utf8
        kv["k"] = "new".utf8

        assertThat(kv["k"]?.decodeToString()).isEqualTo("new")
        assertThat(kv.size()).isEqualTo(1L)
    }

    @Test
    fun `indexing with a byte array key reaches the same entry as the string key`() {
        kv["same"] = byteArrayOf(7)

        val viaBytes: ByteArray? = kv["same".utf8]
        kv["other".utf8] = byteArrayOf(8)

        assertThat(viaBytes).containsExactly(7)
        assertThat(kv["other"]).containsExactly(8)
    }

    @Test
    fun `smart cast after a null check gives a usable ByteArray`() {
        kv["k"] = byteArrayOf(4, 5)

        val value = kv["k"]
        val size: Int = if (value != null) value.size else 0

        assertThat(size).isEqualTo(2)
        assertThat(kv["missing"] ?: byteArrayOf(9)).containsExactly(9)
    }

    @Test
    fun `get with a fallback returns the fallback only for an absent key`() {
        kv["k"] = byteArrayOf(1)

        assertThat(kv.get("k", byteArrayOf(0))).containsExactly(1)
        assertThat(kv.get("absent", byteArrayOf(0))).containsExactly(0)
        assertThat(kv.get("absent", null)).isNull()
    }

    // ---- in / !in ---------------------------------------------------------------------------

    @Test
    fun `in and not-in tell whether a key exists`() {
        kv["present"] = ByteArray(0)

        assertThat("present" in kv).isTrue()
        assertThat("absent" in kv).isFalse()
        assertThat("absent" !in kv).isTrue()
        assertThat("present".utf8 in kv).isTrue()

        kv.delete("present")
        assertThat("present" !in kv).isTrue()
    }

    @Test
    fun `the empty key and the empty value are stored like any other`() {
        kv[""] = ByteArray(0)

        assertThat("" in kv).isTrue()
        assertThat(kv[""]).isNotNull().isEmpty()
    }

    // ---- iteration --------------------------------------------------------------------------

    @Test
    fun `destructuring for loop walks the entries in key order`() {
        kv["b"] = "2".utf8
        kv["ä"] = "4".utf8 // UTF-8 0xC3 0xA4: after every ASCII key
        kv["a"] = "1".utf8
        kv["c"] = "3".utf8

        val seen = mutableListOf<Pair<String, String>>()
        for ((k, v) in kv) {
            seen += k to v.decodeToString()
        }

        assertThat(seen).containsExactly("a" to "1", "b" to "2", "c" to "3", "ä" to "4")
    }

    @Test
    fun `Kotlin collection operations work on the store and on its entries`() {
        for (i in 0 until 5) kv["n:$i"] = byteArrayOf(i.toByte())

        assertThat(kv.map { (k, _) -> k }).containsExactly("n:0", "n:1", "n:2", "n:3", "n:4")
        assertThat(kv.associate { (k, v) -> k to v.single().toInt() }).containsEntry("n:3", 3).hasSize(5)
        assertThat(kv.count()).isEqualTo(5)
        assertThat(kv.firstOrNull()?.key).isEqualTo("n:0")
    }

    @Test
    fun `iteration over more entries than one page stays in order and complete`() {
        val n = 1_300 // more than the 512-entry page
        vault.transaction {
            for (i in 0 until n) kv["key:%05d".format(i)] = i.toString().utf8
        }

        var count = 0
        var previous = ""
        for ((k, v) in kv) {
            assertThat(k).isGreaterThan(previous)
            assertThat(v.decodeToString()).isEqualTo(k.removePrefix("key:").toInt().toString())
            previous = k
            count++
        }
        assertThat(count).isEqualTo(n)
    }

    @Test
    fun `keys with a prefix in a for loop and as a list, in key order`() {
        kv["video:2"] = byteArrayOf(2)
        kv["image:2"] = byteArrayOf(2)
        kv["image:1"] = byteArrayOf(1)
        kv["image"] = byteArrayOf(0) // shorter than the prefix: not matched
        kv["imagf:1"] = byteArrayOf(3) // just past the prefix: not matched

        val looped = mutableListOf<String>()
        for (key in kv.keys("image:")) {
            looped += key
        }

        assertThat(looped).containsExactly("image:1", "image:2")
        assertThat(kv.keys("image:").toList()).containsExactly("image:1", "image:2")
        assertThat(kv.keys("nothing:").toList()).isEmpty()
        assertThat(kv.keys().toList()).containsExactly("image", "image:1", "image:2", "imagf:1", "video:2")
    }

    @Test
    fun `rawKeys returns keys that are not UTF-8 exactly as stored`() {
        val notUtf8 = byteArrayOf(0xFF.toByte(), 0x00, 0x80.toByte())
        kv[notUtf8] = byteArrayOf(1)
        kv["a"] = byteArrayOf(2)

        val raw: List<ByteArray> = kv.rawKeys().toList()

        assertThat(raw).hasSize(2)
        assertThat(raw[0]).containsExactly(*"a".utf8)
        assertThat(raw[1]).containsExactly(*notUtf8) // 0xFF sorts after 'a' (unsigned order)
        assertThat(kv[raw[1]]).containsExactly(1)
        assertThat(kv.rawKeys("a".utf8).map { it.decodeToString() }).containsExactly("a")
    }

    @Test
    fun `values come in key order`() {
        kv["c"] = "three".utf8
        kv["a"] = "one".utf8
        kv["b"] = "two".utf8

        assertThat(kv.values().map { it.decodeToString() }).containsExactly("one", "two", "three")
    }

    // ---- asMap ------------------------------------------------------------------------------

    @Test
    fun `asMap is a live Kotlin MutableMap of String to ByteArray`() {
        val map: MutableMap<String, ByteArray> = kv.asMap()
        kv["existing"] = byteArrayOf(1)

        map["x"] = byteArrayOf(42)

        assertThat(kv["x"]).containsExactly(42)
        assertThat(map.size).isEqualTo(2)
        assertThat("x" in map).isTrue()
        assertThat(map["existing"]).containsExactly(1)
        assertThat(map["absent"]).isNull()
        assertThat(map.keys).containsExactly("existing", "x")

        val removed: ByteArray? = map.remove("x")

        assertThat(removed).containsExactly(42)
        assertThat("x" in kv).isFalse()
        assertThat(map.remove("x")).isNull()
        assertThat(map.size).isEqualTo(1)
    }

    @Test
    fun `asMap supports Kotlin map idioms`() {
        val map = kv.asMap()

        map.getOrPut("lazy") { "made".utf8 }
        map.getOrPut("lazy") { "not again".utf8 }
        map.putAll(mapOf("p" to byteArrayOf(1), "q" to byteArrayOf(2)))
        val pairs = map.map { (k, v) -> k to v.decodeToString() }

        assertThat(kv["lazy"]?.decodeToString()).isEqualTo("made")
        assertThat(pairs).containsExactly("lazy" to "made", "p" to "\u0001", "q" to "\u0002")
        assertThat(map.getOrDefault("absent", byteArrayOf(5))).containsExactly(5)

        map.clear()
        assertThat(map.isEmpty()).isTrue()
        assertThat(kv.size()).isZero()
    }

    // ---- streaming ------------------------------------------------------------------------

    @Test
    fun `putFile from a path, openStream use readBytes, and getToFile to a stream round-trip`() {
        val data = randomBytes(50_000, seed = 1) // about 13 chunks of 4096 bytes
        val source = dir.resolve("in.bin").toFile().apply { writeBytes(data) }

        kv.putFile("video:789", source.toPath())

        val streamed = kv.openStream("video:789").use { it.readBytes() }
        val out = ByteArrayOutputStream()
        val written: Long = kv.getToFile("video:789", out)

        assertThat(streamed).isEqualTo(data)
        assertThat(written).isEqualTo(data.size.toLong())
        assertThat(out.toByteArray()).isEqualTo(data)
        assertThat(kv["video:789"]).isEqualTo(data)
    }

    @Test
    fun `putFile from an input stream in use and getToFile to a path`() {
        val data = randomBytes(10_000, seed = 2)
        val source = dir.resolve("src.bin").toFile().apply { writeBytes(data) }

        source.inputStream().use { kv.putFile("blob", it) }
        source.inputStream().use { kv.putFile("sized", it, data.size.toLong()) }
        val target = dir.resolve("out.bin")
        val n = kv.getToFile("blob", target)

        assertThat(n).isEqualTo(10_000L)
        assertThat(Files.readAllBytes(target)).isEqualTo(data)
        assertThat(kv.require("sized")).isEqualTo(data)
    }

    @Test
    fun `putFile and getToFile leave the caller's streams open`() {
        val input = "payload".utf8.inputStream()
        kv.putFile("k", input)
        val out = ByteArrayOutputStream()
        kv.getToFile("k", out)

        // Still usable: neither stream was closed by the library.
        assertThat(input.read()).isEqualTo(-1)
        out.write('!'.code)
        assertThat(out.toByteArray().decodeToString()).isEqualTo("payload!")
    }

    @Test
    fun `streams of an absent key throw NotFoundException`() {
        assertThrows<NotFoundException> { kv.openStream("missing") }
        assertThrows<NotFoundException> { kv.getToFile("missing", ByteArrayOutputStream()) }
    }

    // ---- exceptions ---------------------------------------------------------------------------

    @Test
    fun `require of an absent key throws NotFoundException naming the key`() {
        val e = assertThrows<NotFoundException> { kv.require("missing") }

        assertThat(e).hasMessageContaining("missing")
        assertThat(e).isInstanceOf(KohakuVaultException::class.java)
    }

    @Test
    fun `require of an absent key with AssertJ`() {
        assertThatThrownBy { kv.require("missing") }
            .isInstanceOf(NotFoundException::class.java)
            .hasMessageContaining("missing")
    }

    @Test
    fun `Kotlin runCatching sees the library's unchecked exceptions`() {
        val result = runCatching { kv.require("missing") }

        assertThat(result.exceptionOrNull()).isInstanceOf(NotFoundException::class.java)
        assertThat(runCatching { kv.require("missing") }.getOrNull()).isNull()
    }
}
