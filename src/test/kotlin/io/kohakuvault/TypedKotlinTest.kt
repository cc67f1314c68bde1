package io.kohakuvault

import java.nio.file.Path
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import tools.jackson.dataformat.cbor.CBORMapper
import tools.jackson.module.kotlin.jacksonMapperBuilder
import tools.jackson.module.kotlin.kotlinModule

/** A Kotlin data class, which needs jackson-module-kotlin (the documented setup). */
data class KSettings(val theme: String, val fontSize: Int, val tags: List<String> = emptyList())

data class KEvent(val at: Long, val kind: String)

/**
 * The typed layer read as idiomatic Kotlin: `settings["k"] = s`, `settings["k"]` is `KSettings?`,
 * `for ((k, v) in settings)`, `events += event`, `emb.nearest(q, 5, Metric.COSINE)`.
 */
class TypedKotlinTest {
    @TempDir
    lateinit var dir: Path

    private lateinit var vault: Vault

    private val kotlinJson = Codec.json(jacksonMapperBuilder().build(), KSettings::class.java)

    @BeforeEach
    fun openVault() {
        vault = Vault.open(dir.resolve("typed.db"))
    }

    @AfterEach
    fun closeVault() {
        vault.close()
    }

    @Test
    fun indexing_dataClassWithKotlinModule_roundTrips() {
        val settings = vault.kv("settings", kotlinJson)
        settings["user:7"] = KSettings("dark", 14, listOf("a"))
        val back = settings["user:7"]
        assertThat(kotlinTypeOf(back)).isEqualTo("KSettings?")
        assertThat(back).isEqualTo(KSettings("dark", 14, listOf("a")))
        assertThat(settings["absent"]).isNull()
        assertThat("user:7" in settings).isTrue()
    }

    @Test
    fun forLoop_destructuresEntries() {
        val settings = vault.kv("settings").typed(kotlinJson)
        settings["b"] = KSettings("light", 12)
        settings["a"] = KSettings("dark", 10)
        val seen = mutableListOf<String>()
        for ((k, v) in settings) {
            seen += "$k:${v.fontSize}"
        }
        assertThat(seen).containsExactly("a:10", "b:12")
    }

    @Test
    fun cborMapperWithKotlinModule_roundTripsDataClass() {
        val codec = Codec.cbor(CBORMapper.builder().addModule(kotlinModule()).build(), KSettings::class.java)
        val settings = vault.kv("cbor", codec)
        settings["k"] = KSettings("x", 1)
        assertThat(settings.require("k")).isEqualTo(KSettings("x", 1))
    }

    @Test
    fun plusAssign_appendsToObjectColumn() {
        val events = vault.column("events", ColumnType.json(jacksonMapperBuilder().build(), KEvent::class.java))
        events += KEvent(1, "start")
        events += KEvent(2, "stop")
        val first: KEvent = events[0]
        assertThat(first).isEqualTo(KEvent(1, "start"))
        assertThat(events.map { it.kind }).containsExactly("start", "stop")
    }

    @Test
    fun nearest_cosine_findsTheClosestVectors() {
        val emb = vault.column("emb", ColumnType.vector(3))
        emb += floatArrayOf(1f, 0f, 0f)
        emb += floatArrayOf(0f, 1f, 0f)
        emb.append(floatArrayOf(0.9f, 0.1f, 0f))
        val q = floatArrayOf(1f, 0f, 0f)
        val hits = emb.nearest(q, 5, Metric.COSINE)
        assertThat(hits.map { it.index }).containsExactly(0L, 2L, 1L)
        assertThat(hits[0].distance).isEqualTo(0f)
    }
}
