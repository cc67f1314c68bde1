package io.kohakuvault

import java.nio.file.Path
import kotlin.reflect.typeOf
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir

/**
 * The column API as the Kotlin compiler sees it: each column type opens its own column class
 * without a cast, and every column is a list of non-null elements (`MutableList<String>`, never
 * `MutableList<String!>` or `MutableList<String?>`). Each check reads the type the compiler
 * inferred at the call site; see [kotlinTypeOf].
 */
class ColumnKotlinNullnessTest {
    @TempDir
    lateinit var dir: Path

    private lateinit var vault: Vault
    private lateinit var strings: StringColumn

    @BeforeEach
    fun openVault() {
        vault = Vault.open(dir.resolve("nullness.db"))
        strings = vault.column("strings", ColumnType.STRING)
        strings += "first"
    }

    @AfterEach
    fun closeVault() {
        vault.close()
    }

    /** How Kotlin spells the element type it inferred for [list], from the list's static type. */
    @Suppress("UNUSED_PARAMETER")
    private inline fun <reified E> elementTypeOf(list: List<E>): String = typeOf<E>().spelling()

    @Test
    fun `the element type helper tells platform element types from non-null ones`() {
        // Sanity check of the helper itself: an un-annotated JDK method gives a platform element type.
        assertThat(elementTypeOf(java.util.Collections.nCopies(1, "x"))).isEqualTo("String!")
        assertThat(elementTypeOf(listOf("x"))).isEqualTo("String")
        assertThat(elementTypeOf(listOf<String?>("x"))).isEqualTo("String?")
    }

    @Test
    fun `column infers the column class its type names, for every type`() {
        assertThat(kotlinTypeOf(vault.column("a", ColumnType.I64))).isEqualTo("LongColumn")
        assertThat(kotlinTypeOf(vault.column("b", ColumnType.I32))).isEqualTo("IntColumn")
        assertThat(kotlinTypeOf(vault.column("c", ColumnType.F64))).isEqualTo("DoubleColumn")
        assertThat(kotlinTypeOf(vault.column("d", ColumnType.F32))).isEqualTo("FloatColumn")
        assertThat(kotlinTypeOf(vault.column("e", ColumnType.BYTES))).isEqualTo("BytesColumn")
        assertThat(kotlinTypeOf(vault.column("f", ColumnType.bytes(8)))).isEqualTo("BytesColumn")
        assertThat(kotlinTypeOf(vault.columns().createColumn("g", ColumnType.STRING))).isEqualTo("StringColumn")
        assertThat(kotlinTypeOf(vault.withCache(1024, 512).column("h", ColumnType.F64))).isEqualTo("DoubleColumn")
        assertThat(kotlinTypeOf(ColumnType.F64)).isEqualTo("ColumnType<DoubleColumn>")
        assertThat(kotlinTypeOf(ColumnType.parse("f64"))).isEqualTo("ColumnType<*>")
        assertThat(kotlinTypeOf(vault.columns().column("a"))).isEqualTo("Column<*>")
    }

    @Test
    fun `a column of strings is a list of non-null String`() {
        val list: MutableList<String> = strings

        assertThat(elementTypeOf(strings)).isEqualTo("String")
        assertThat(elementTypeOf(list)).isEqualTo("String")
        assertThat(kotlinTypeOf(strings[0])).isEqualTo("String")
        assertThat(kotlinTypeOf(strings.first())).isEqualTo("String")
        assertThat(kotlinTypeOf(strings.iterator().next())).isEqualTo("String")
        assertThat(kotlinTypeOf(strings.toList())).isEqualTo("List<String>")
        assertThat(kotlinTypeOf(strings.subList(0, 1))).isEqualTo("List<String>")
        for (s in strings) assertThat(kotlinTypeOf(s)).isEqualTo("String")
        // So the elements need no `!!` or `?.`:
        assertThat(strings[0].length + strings.sumOf { it.length }).isEqualTo(10)
    }

    @Test
    fun `getString, getRange, set and removeAt return non-null String`() {
        strings += "second"

        assertThat(kotlinTypeOf(strings.getString(0))).isEqualTo("String")
        assertThat(kotlinTypeOf(strings.getRange(0, 2))).isEqualTo("List<String>")
        assertThat(kotlinTypeOf(strings.set(1, "2nd"))).isEqualTo("String")
        assertThat(kotlinTypeOf(strings.removeAt(1))).isEqualTo("String")
        assertThat(strings.getString(0).uppercase()).isEqualTo("FIRST")
    }

    @Test
    fun `every other column type has non-null elements and primitive results`() {
        val longs = vault.column("longs", ColumnType.I64).apply { extend(1L) }
        val ints = vault.column("ints", ColumnType.I32).apply { extend(1) }
        val doubles = vault.column("doubles", ColumnType.F64).apply { extend(1.0) }
        val floats = vault.column("floats", ColumnType.F32).apply { extend(1f) }
        val bytes = vault.column("bytes", ColumnType.BYTES).apply { append(byteArrayOf(1)) }

        assertThat(listOf(elementTypeOf(longs), elementTypeOf(ints), elementTypeOf(doubles), elementTypeOf(floats),
            elementTypeOf(bytes))).containsExactly("Long", "Int", "Double", "Float", "ByteArray")
        assertThat(kotlinTypeOf(longs.getLong(0))).isEqualTo("Long")
        assertThat(kotlinTypeOf(longs.getLongs(0, 1))).isEqualTo("LongArray")
        assertThat(kotlinTypeOf(longs.longStream())).isEqualTo("LongStream")
        assertThat(kotlinTypeOf(ints.getInts(0, 1))).isEqualTo("IntArray")
        assertThat(kotlinTypeOf(ints.intStream())).isEqualTo("IntStream")
        assertThat(kotlinTypeOf(doubles.getDoubles(0, 1))).isEqualTo("DoubleArray")
        assertThat(kotlinTypeOf(doubles.doubleStream())).isEqualTo("DoubleStream")
        assertThat(kotlinTypeOf(floats.getFloats(0, 1))).isEqualTo("FloatArray")
        assertThat(kotlinTypeOf(bytes[0])).isEqualTo("ByteArray")
        assertThat(kotlinTypeOf(bytes.getBytes(0))).isEqualTo("ByteArray")
        assertThat(kotlinTypeOf(bytes.getRange(0, 1))).isEqualTo("List<ByteArray>")
    }

    @Test
    fun `listColumns and ColumnInfo properties are non-null`() {
        val info = vault.columns().listColumns().single()

        assertThat(kotlinTypeOf(vault.columns().listColumns())).isEqualTo("List<ColumnInfo>")
        assertThat(kotlinTypeOf(info.name)).isEqualTo("String")
        assertThat(kotlinTypeOf(info.type)).isEqualTo("ColumnType<*>")
        assertThat(kotlinTypeOf(info.length)).isEqualTo("Long")
        assertThat(kotlinTypeOf(strings.name())).isEqualTo("String")
        assertThat(kotlinTypeOf(strings.type())).isEqualTo("ColumnType<*>")
        assertThat("${info.name} ${info.type.dtype()} ${info.length}").isEqualTo("strings str 1")
    }

    @Test
    fun `a null forced past the type system is refused with InvalidArgumentException`() {
        @Suppress("UNCHECKED_CAST")
        val unchecked = strings as MutableList<String?>

        val e = assertThrows<InvalidArgumentException> { unchecked += null }
        assertThrows<InvalidArgumentException> { unchecked[0] = null }
        assertThrows<InvalidArgumentException> { unchecked.addAll(listOf("ok", null)) }

        assertThat(e).hasMessageContaining("strings").hasMessageContaining("null")
        assertThat(strings).containsExactly("first")
    }
}
