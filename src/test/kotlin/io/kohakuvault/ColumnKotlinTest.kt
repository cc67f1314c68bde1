package io.kohakuvault

import java.nio.file.Path
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir

/**
 * The column API used from Kotlin with no wrapper: a column is a `MutableList` of its element
 * type, so indexing, `+=`, `in`, `for`, `size` and the Kotlin collection functions work on it,
 * beside its primitive methods; on a real SQLite file.
 */
class ColumnKotlinTest {
    @TempDir
    lateinit var dir: Path

    private val file: Path get() = dir.resolve("columns.db")

    private lateinit var vault: Vault
    private lateinit var temps: DoubleColumn

    @BeforeEach
    fun openVault() {
        vault = Vault.open(file)
        temps = vault.column("temps", ColumnType.F64)
    }

    @AfterEach
    fun closeVault() {
        vault.close()
    }

    /** Closes the shared vault, then runs [block] on the file opened afresh. */
    private fun <T> reopened(block: (Vault) -> T): T {
        vault.close()
        return Vault.open(file).use(block)
    }

    // ---- operators on a DoubleColumn --------------------------------------------------------

    @Test
    fun `column with F64 infers a DoubleColumn that plusAssign appends to and indexing reads`() {
        val temps = vault.column("readings", ColumnType.F64) // no cast: the type fixes the class

        temps += 23.5
        temps += 19.25

        assertThat(temps[0]).isEqualTo(23.5)
        assertThat(temps.getDouble(1)).isEqualTo(19.25) // a DoubleColumn method, so no cast was needed
        assertThat(temps.size).isEqualTo(2)
        assertThat(temps.length()).isEqualTo(2L)
    }

    @Test
    fun `plusAssign works on a var column too and is not ambiguous`() {
        var series = vault.column("series", ColumnType.F64)

        series += 1.0
        series += listOf(2.0, 3.0)

        assertThat(series).containsExactly(1.0, 2.0, 3.0)
        assertThat(vault.column("series", ColumnType.F64)).isSameAs(series) // += appended, it did not copy
    }

    @Test
    fun `index assignment replaces one element and set returns the old one`() {
        temps.extend(10.0, 20.0, 30.0)

        temps[0] = 1.5
        val old = temps.set(2, 3.5)

        assertThat(old).isEqualTo(30.0)
        assertThat(temps).containsExactly(1.5, 20.0, 3.5)
        assertThat(temps.size).isEqualTo(3)
        assertThat(reopened { it.column("temps", ColumnType.F64).toList() }).containsExactly(1.5, 20.0, 3.5)
    }

    @Test
    fun `in and isEmpty follow the elements`() {
        assertThat(temps.isEmpty()).isTrue()
        assertThat(23.5 in temps).isFalse()

        temps += 23.5

        assertThat(temps.isEmpty()).isFalse()
        assertThat(temps.isNotEmpty()).isTrue()
        assertThat(23.5 in temps).isTrue()
        assertThat(99.0 !in temps).isTrue()
        assertThat(temps.indexOf(23.5)).isEqualTo(0)
    }

    @Test
    fun `for loop walks every element in order across many chunks`() {
        val n = 20_000 // 160 kB of doubles: several chunk rows at the default chunk sizes
        temps.extend(*DoubleArray(n) { it * 0.5 })

        var count = 0
        for (t in temps) {
            assertThat(t).isEqualTo(count * 0.5)
            count++
        }

        assertThat(count).isEqualTo(n)
        assertThat(temps.size).isEqualTo(n)
    }

    @Test
    fun `Kotlin collection functions read the column`() {
        temps.extend(1.0, 2.0, 3.0, 4.0)

        assertThat(temps.map { it * 10 }).containsExactly(10.0, 20.0, 30.0, 40.0)
        assertThat(temps.sum()).isEqualTo(10.0)
        assertThat(temps.average()).isEqualTo(2.5)
        assertThat(temps.maxOrNull()).isEqualTo(4.0)
        assertThat(temps.filter { it > 2 }).containsExactly(3.0, 4.0)
        assertThat(temps.toList()).containsExactly(1.0, 2.0, 3.0, 4.0)
        assertThat(temps.subList(1, 3)).containsExactly(2.0, 3.0)
        assertThat(temps.indices).containsExactly(0, 1, 2, 3)
        assertThat(temps.last()).isEqualTo(4.0)
        assertThat(temps.withIndex().map { (i, t) -> i * t }).containsExactly(0.0, 2.0, 6.0, 12.0)
        assertThat(temps.getOrNull(4)).isNull()
        assertThat(temps == listOf(1.0, 2.0, 3.0, 4.0)).isTrue()
        assertThat(listOf(1.0, 2.0, 3.0, 4.0) == temps).isTrue()
    }

    @Test
    fun `removeAt and add at an index shift the later elements`() {
        temps.extend(1.0, 2.0, 3.0, 4.0)

        val removed = temps.removeAt(1)
        temps.add(0, 0.5)
        temps.add(temps.size, 9.0) // at the end: an append

        assertThat(removed).isEqualTo(2.0)
        assertThat(temps).containsExactly(0.5, 1.0, 3.0, 4.0, 9.0)
        assertThat(temps.length()).isEqualTo(5L)
        assertThat(reopened { it.column("temps", ColumnType.F64).toList() }).containsExactly(0.5, 1.0, 3.0, 4.0, 9.0)
    }

    @Test
    fun `minusAssign removes the first equal element and subList is a live view`() {
        temps.extend(1.0, 2.0, 1.0, 3.0, 4.0)

        temps -= 1.0
        assertThat(temps).containsExactly(2.0, 1.0, 3.0, 4.0)

        temps.subList(1, 3).clear()
        assertThat(temps).containsExactly(2.0, 4.0)
    }

    @Test
    fun `sort and clear change the column in place`() {
        temps.extend(3.0, 1.0, 2.0)

        temps.sort()
        assertThat(temps).containsExactly(1.0, 2.0, 3.0)
        assertThat(temps.getDoubles(0, 3)).containsExactly(1.0, 2.0, 3.0)

        temps.clear()
        assertThat(temps.isEmpty()).isTrue()
        assertThat(vault.columns().hasColumn("temps")).isTrue() // clear empties the column, it stays
    }

    // ---- every column type ------------------------------------------------------------------

    @Test
    fun `LongColumn extend with varargs and with a list, then read through primitives and a LongStream`() {
        val ids = vault.column("ids", ColumnType.I64)

        ids.extend(1L, 2L)
        ids.extend(listOf(Long.MAX_VALUE, Long.MIN_VALUE))
        ids.append(-7L)
        ids += 42L
        ids.setLong(0, 100L)

        assertThat(ids).containsExactly(100L, 2L, Long.MAX_VALUE, Long.MIN_VALUE, -7L, 42L)
        assertThat(ids.getLong(2)).isEqualTo(Long.MAX_VALUE)
        assertThat(ids.getLongs(1, 4)).containsExactly(2L, Long.MAX_VALUE, Long.MIN_VALUE)
        assertThat(ids.getLongs(3, 3)).isEmpty()
        assertThat(ids.longStream().filter { it > 0 }.toArray()).containsExactly(100L, 2L, Long.MAX_VALUE, 42L)
        assertThat(ids.longStream().count()).isEqualTo(6L)
    }

    @Test
    fun `IntColumn reads through primitives and remove takes an element, removeAt an index`() {
        val counts = vault.column("counts", ColumnType.I32)
        counts.extend(5, 7, 0, Int.MAX_VALUE, Int.MIN_VALUE)
        counts.setInt(2, 3)

        assertThat(counts.getInt(3)).isEqualTo(Int.MAX_VALUE)
        assertThat(counts.getInts(0, 3)).containsExactly(5, 7, 3)
        assertThat(counts.intStream().limit(3).sum()).isEqualTo(15)

        val removedElement = counts.remove(7) // the element 7, not index 7 (Kotlin maps remove(int) to removeAt)
        val removedAt = counts.removeAt(0)

        assertThat(removedElement).isTrue()
        assertThat(removedAt).isEqualTo(5)
        assertThat(counts).containsExactly(3, Int.MAX_VALUE, Int.MIN_VALUE)
        assertThat(counts.remove(7)).isFalse()
    }

    @Test
    fun `DoubleColumn doubleStream averages and special values round-trip bit for bit`() {
        temps.extend(20.0, 22.0, 27.0)

        assertThat(temps.doubleStream().average().asDouble).isEqualTo(23.0)
        assertThat(vault.column("empty", ColumnType.F64).doubleStream().average().isPresent).isFalse()

        temps.extend(-0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.MIN_VALUE)
        val back = reopened { it.column("temps", ColumnType.F64).getDoubles(3, 7) }

        assertThat(back.map { it.toRawBits() })
            .containsExactly((-0.0).toRawBits(), Double.NaN.toRawBits(), Double.POSITIVE_INFINITY.toRawBits(),
                Double.MIN_VALUE.toRawBits())
    }

    @Test
    fun `FloatColumn extend with varargs and read through getFloat and getFloats`() {
        val floats = vault.column("floats", ColumnType.F32)

        floats.extend(1.5f, 2.25f)
        floats += Float.NaN
        floats.setFloat(0, -3.75f)

        assertThat(floats.getFloat(1)).isEqualTo(2.25f)
        assertThat(floats.getFloats(0, 2)).containsExactly(-3.75f, 2.25f)
        assertThat(floats[2].isNaN()).isTrue()
        assertThat(Float.NaN in floats).isTrue() // boxed Float equality: NaN equals NaN
        assertThat(floats.take(2).sum()).isEqualTo(-1.5f)
        assertThat(floats.size).isEqualTo(3)
    }

    @Test
    fun `BytesColumn holds ByteArray elements of any length, copied in and out`() {
        val blobs = vault.column("blobs", ColumnType.BYTES)
        val first = byteArrayOf(1, 2, 3)

        blobs += first
        blobs += ByteArray(0)
        blobs.append(randomBytes(10_000, seed = 3))
        first[0] = 99 // changing the array afterwards changes nothing stored
        blobs[0][1] = 99 // nor does changing an array read back

        assertThat(blobs[0]).containsExactly(1, 2, 3)
        assertThat(blobs.getBytes(1)).isEmpty()
        assertThat(blobs.getBytes(2)).containsExactly(*randomBytes(10_000, seed = 3))
        assertThat(blobs.map { it.size }).containsExactly(3, 0, 10_000)
        assertThat(blobs.getRange(0, 2).map { it.toList() }).containsExactly(listOf<Byte>(1, 2, 3), emptyList())
        assertThat(blobs.fixedSize()).isEqualTo(-1)
    }

    @Test
    fun `fixed-size BytesColumn pads a shorter value with zeros`() {
        val tags = vault.column("tags", ColumnType.bytes(4))

        tags += byteArrayOf(1, 2)
        tags += byteArrayOf(5, 6, 7, 8)
        tags[1] = byteArrayOf(9)

        assertThat(tags.fixedSize()).isEqualTo(4)
        assertThat(tags[0]).containsExactly(1, 2, 0, 0)
        assertThat(tags.getBytes(1)).containsExactly(9, 0, 0, 0)
        assertThat(reopened { it.column("tags", ColumnType.bytes(4)).map { b -> b.toList() } })
            .containsExactly(listOf<Byte>(1, 2, 0, 0), listOf<Byte>(9, 0, 0, 0))
    }

    @Test
    fun `fixed-size BytesColumn refuses a longer value with InvalidArgumentException and changes nothing`() {
        val tags = vault.column("tags", ColumnType.bytes(4))
        tags += byteArrayOf(1, 2, 3, 4)
        val tooLong = byteArrayOf(1, 2, 3, 4, 5)

        val e = assertThrows<InvalidArgumentException> { tags += tooLong }
        assertThrows<InvalidArgumentException> { tags[0] = tooLong }
        assertThrows<InvalidArgumentException> { tags.setBytes(0, tooLong) }
        assertThrows<InvalidArgumentException> { tags.add(0, tooLong) }
        assertThrows<InvalidArgumentException> { tags.extend(listOf(byteArrayOf(7), tooLong)) } // all or none

        assertThat(e).hasMessageContaining("tags").hasMessageContaining("5")
        assertThat(tags.size).isEqualTo(1)
        assertThat(tags[0]).containsExactly(1, 2, 3, 4)
    }

    @Test
    fun `StringColumn stores UTF-8 with non-ASCII text and emoji exactly`() {
        val log = vault.column("log", ColumnType.STRING)
        val texts = listOf(
            "plain", "héllo wörld", "日本語のテキスト", "emoji 🎉👩‍💻", "", "tab\tnew\nline\u0000nul",
        )

        log += texts
        log.setString(0, "Ünïcödé")

        val expected = listOf("Ünïcödé") + texts.drop(1)
        assertThat(log).containsExactlyElementsOf(expected)
        assertThat(log.getString(3)).isEqualTo("emoji 🎉👩‍💻")
        assertThat(log.getRange(1, 3)).containsExactly("héllo wörld", "日本語のテキスト")
        assertThat("日本語のテキスト" in log).isTrue()
        assertThat(log.joinToString("|")).isEqualTo(expected.joinToString("|"))
        assertThat(reopened { it.column("log", ColumnType.STRING).toList() }).containsExactlyElementsOf(expected)
    }

    @Test
    fun `StringColumn refuses an unpaired surrogate rather than storing a replacement`() {
        val log = vault.column("log", ColumnType.STRING)

        assertThrows<InvalidArgumentException> { log += "broken \uD83D" }

        assertThat(log.isEmpty()).isTrue()
    }

    // ---- persistence ------------------------------------------------------------------------

    @Test
    fun `Vault open use writes every column type and reopening reads the same values exactly`() {
        val other = dir.resolve("persist.db")
        Vault.open(other).use { v ->
            v.column("i64", ColumnType.I64).extend(1L, -2L, Long.MAX_VALUE)
            v.column("i32", ColumnType.I32).extend(3, -4, Int.MIN_VALUE)
            v.column("f64", ColumnType.F64).extend(0.1, -2.5e300)
            v.column("f32", ColumnType.F32).extend(0.1f, -1e30f)
            v.column("blob", ColumnType.BYTES) += listOf(byteArrayOf(), byteArrayOf(-1, 0, 1))
            v.column("hash", ColumnType.bytes(4)) += byteArrayOf(7)
            v.column("str", ColumnType.STRING) += listOf("a", "ß", "🙂")
        }

        Vault.open(other).use { v ->
            assertThat(v.column("i64", ColumnType.I64)).containsExactly(1L, -2L, Long.MAX_VALUE)
            assertThat(v.column("i32", ColumnType.I32)).containsExactly(3, -4, Int.MIN_VALUE)
            assertThat(v.column("f64", ColumnType.F64)).containsExactly(0.1, -2.5e300)
            assertThat(v.column("f32", ColumnType.F32)).containsExactly(0.1f, -1e30f)
            assertThat(v.column("blob", ColumnType.BYTES).map { it.toList() })
                .containsExactly(emptyList(), listOf<Byte>(-1, 0, 1))
            assertThat(v.column("hash", ColumnType.bytes(4)).single()).containsExactly(7, 0, 0, 0)
            assertThat(v.column("str", ColumnType.STRING)).containsExactly("a", "ß", "🙂")
        }
    }

    @Test
    fun `columns and key-value stores share one file without interfering`() {
        vault.kv()["temps"] = "not a column".utf8
        temps += 1.0

        reopened { v ->
            assertThat(v.kv()["temps"]?.decodeToString()).isEqualTo("not a column")
            assertThat(v.column("temps", ColumnType.F64)).containsExactly(1.0)
            assertThat(v.kv().size()).isEqualTo(1L)
        }
    }

    // ---- transactions -----------------------------------------------------------------------

    @Test
    fun `transaction that throws rolls back its column writes and rethrows`() {
        temps += 1.0

        val e = assertThrows<IllegalStateException> {
            vault.transaction {
                temps += 2.0
                temps[0] = 9.0
                assertThat(temps).containsExactly(9.0, 2.0) // the block sees its own writes
                error("boom")
            }
        }

        assertThat(e).hasMessage("boom")
        assertThat(temps).containsExactly(1.0)
        assertThat(temps.length()).isEqualTo(1L)
        assertThat(reopened { it.column("temps", ColumnType.F64).toList() }).containsExactly(1.0)
    }

    @Test
    fun `transaction that throws rolls back a column it created`() {
        assertThrows<IllegalStateException> {
            vault.transaction {
                vault.column("scratch", ColumnType.I64) += 1L
                error("boom")
            }
        }

        assertThat(vault.columns().hasColumn("scratch")).isFalse()
        assertThat(vault.columns().listColumns().map { it.name }).containsExactly("temps")
    }

    @Test
    fun `transaction that returns commits column and key-value writes together`() {
        val log = vault.column("log", ColumnType.STRING)

        vault.transaction {
            temps.extend(1.0, 2.0)
            log += "two readings"
            vault.kv()["count"] = byteArrayOf(2)
        }
        val total = vault.transactionResult { temps.sum() }

        assertThat(total).isEqualTo(3.0)
        reopened { v ->
            assertThat(v.column("temps", ColumnType.F64)).containsExactly(1.0, 2.0)
            assertThat(v.column("log", ColumnType.STRING)).containsExactly("two readings")
            assertThat(v.kv()["count"]).containsExactly(2)
        }
    }

    // ---- errors -----------------------------------------------------------------------------

    @Test
    fun `column by name alone throws NotFoundException when it is missing`() {
        val e = assertThrows<NotFoundException> { vault.columns().column("x") }

        assertThat(e).hasMessageContaining("x")
        assertThat(vault.columns().hasColumn("x")).isFalse()
    }

    @Test
    fun `column by name alone opens an existing column whose class a when smart-casts`() {
        temps += 21.0

        val description = when (val any = vault.columns().column("temps")) {
            is DoubleColumn -> "doubles, first ${any.getDouble(0)}"
            is LongColumn -> "longs"
            else -> "other"
        }

        assertThat(description).isEqualTo("doubles, first 21.0")
        assertThat(vault.columns().column("temps")).isSameAs(temps)
    }

    @Test
    fun `column with another type than the existing one throws InvalidArgumentException`() {
        temps += 1.0

        val e = assertThrows<InvalidArgumentException> { vault.column("temps", ColumnType.I64) }
        assertThrows<InvalidArgumentException> { vault.columns().column("temps", ColumnType.F32) }
        assertThrows<InvalidArgumentException> { vault.columns().createColumn("temps", ColumnType.F64) }

        assertThat(e).hasMessageContaining("temps").hasMessageContaining("f64").hasMessageContaining("i64")
        assertThat(vault.column("temps", ColumnType.F64)).containsExactly(1.0)
    }

    @Test
    fun `an index out of range throws IndexOutOfBoundsException and changes nothing`() {
        temps.extend(1.0, 2.0)

        assertThrows<IndexOutOfBoundsException> { temps[2] }
        assertThrows<IndexOutOfBoundsException> { temps[-1] }
        assertThrows<IndexOutOfBoundsException> { temps[2] = 0.0 }
        assertThrows<IndexOutOfBoundsException> { temps.removeAt(5) }
        assertThrows<IndexOutOfBoundsException> { temps.add(3, 0.0) }
        assertThrows<IndexOutOfBoundsException> { temps.getDouble(2) }
        assertThrows<IndexOutOfBoundsException> { temps.setDouble(-1, 0.0) }
        assertThrows<IndexOutOfBoundsException> { temps.getDoubles(0, 3) }
        assertThrows<IndexOutOfBoundsException> { temps.getDoubles(2, 1) }
        assertThrows<IndexOutOfBoundsException> { temps.subList(0, 3) }
        assertThrows<IndexOutOfBoundsException> { vault.column("log", ColumnType.STRING).getString(0) }

        assertThat(temps).containsExactly(1.0, 2.0)
        assertThat(temps.getOrElse(2) { -1.0 }).isEqualTo(-1.0) // the Kotlin way to read without throwing
    }

    // ---- cache, listColumns -----------------------------------------------------------------

    @Test
    fun `Vault open withCache column chains, and values are visible before and after flushCache`() {
        lateinit var cached: Vault
        val readings: DoubleColumn = Vault.open(dir.resolve("cached.db"))
            .withCache(64L shl 20, 16L shl 20)
            .also { cached = it }
            .column("temps", ColumnType.F64)

        cached.use {
            readings.extend(1.0, 2.0, 3.0)
            readings += 4.0

            assertThat(readings).containsExactly(1.0, 2.0, 3.0, 4.0) // still in the cache
            assertThat(readings.getDoubles(2, 4)).containsExactly(3.0, 4.0)
            assertThat(cached.columns().listColumns().single().length).isEqualTo(4L)

            assertThat(cached.flushCache()).isEqualTo(4) // the four cached elements were written now
            assertThat(cached.flushCache()).isZero()
            assertThat(readings).containsExactly(1.0, 2.0, 3.0, 4.0)
            readings += 5.0
        }

        Vault.open(dir.resolve("cached.db")).use { v ->
            assertThat(v.column("temps", ColumnType.F64)).containsExactly(1.0, 2.0, 3.0, 4.0, 5.0) // close flushed 5.0
        }
    }

    @Test
    fun `listColumns reports each column's name, type and length through record properties`() {
        temps.extend(1.0, 2.0, 3.0)
        vault.column("hashes", ColumnType.bytes(32)) += ByteArray(32)
        vault.column("names", ColumnType.STRING)

        val infos = vault.columns().listColumns()

        assertThat(infos.map { Triple(it.name, it.type, it.length) }).containsExactly(
            Triple("hashes", ColumnType.bytes(32), 1L),
            Triple("names", ColumnType.STRING, 0L),
            Triple("temps", ColumnType.F64, 3L),
        )
        assertThat(infos.associate { it.name to it.type.dtype() })
            .containsEntry("hashes", "bytes:32").containsEntry("temps", "f64").containsEntry("names", "str")
        assertThat(infos.sumOf { it.length }).isEqualTo(4L)
    }

    @Test
    fun `deleteColumn removes the column from the file and from listColumns`() {
        temps += 1.0

        assertThat(vault.columns().deleteColumn("temps")).isTrue()
        assertThat(vault.columns().deleteColumn("temps")).isFalse()

        assertThat(vault.columns().hasColumn("temps")).isFalse()
        assertThat(vault.columns().listColumns()).isEmpty()
        assertThrows<NotFoundException> { temps.length() }
        assertThat(vault.column("temps", ColumnType.I64).isEmpty()).isTrue() // the name is free for another type
    }
}
