package io.kohakuvault

import java.io.IOException
import java.nio.file.Path
import java.time.Duration
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir

/**
 * Vault used from Kotlin with no wrapper: `use`, transaction lambdas, the fluent builder with
 * java.time.Duration, chaining and named stores, on a real SQLite file.
 */
class VaultKotlinTest {
    @TempDir
    lateinit var dir: Path

    private val file: Path get() = dir.resolve("vault.db")

    // ---- open / use / close -------------------------------------------------------------------

    @Test
    fun `Vault open use writes durably and the value survives reopening`() {
        Vault.open(file).use { vault ->
            vault.kv()["greeting"] = "hello".utf8
        }

        val back = Vault.open(file).use { it.kv()["greeting"] }

        assertThat(back?.decodeToString()).isEqualTo("hello")
    }

    @Test
    fun `Vault open with a string path works with use too`() {
        Vault.open(file.toString()).use { it.kv()["k"] = byteArrayOf(1) }

        Vault.open(file.toString()).use { assertThat(it.kv()["k"]).containsExactly(1) }
    }

    @Test
    fun `after use the vault is closed and every call throws VaultIoException`() {
        val vault = Vault.open(file)
        val kv = vault.use {
            it.kv().also { kv -> kv["k"] = byteArrayOf(1) }
        }

        assertThat(vault.isClosed).isTrue()
        val e = assertThrows<VaultIoException> { kv["k"] }
        assertThat(e).hasMessageContaining("closed")
        assertThrows<VaultIoException> { kv["k"] = byteArrayOf(2) }
        assertThrows<VaultIoException> { "k" in kv }
        assertThrows<VaultIoException> { vault.kv() }
        assertThrows<VaultIoException> { vault.transaction { } }
        vault.close() // idempotent: a second close does not throw
    }

    @Test
    fun `use closes the vault even when its block throws, and the exception comes through`() {
        val vault = Vault.open(file)

        val e = assertThrows<IllegalStateException> {
            vault.use {
                it.kv()["before"] = byteArrayOf(1)
                error("block failed")
            }
        }

        assertThat(e).hasMessage("block failed")
        assertThat(vault.isClosed).isTrue()
        Vault.open(file).use { assertThat("before" in it.kv()).isTrue() }
    }

    // ---- transactions ---------------------------------------------------------------------------

    @Test
    fun `transaction lambda commits every write across stores together`() {
        Vault.open(file).use { vault ->
            val kv = vault.kv()
            val media = vault.kv("media")

            vault.transaction {
                kv["a"] = byteArrayOf(1)
                media["b"] = byteArrayOf(2)
            }
        }

        Vault.open(file).use { vault ->
            assertThat(vault.kv()["a"]).containsExactly(1)
            assertThat(vault.kv("media")["b"]).containsExactly(2)
        }
    }

    @Test
    fun `transaction lambda that throws rolls back and rethrows the same exception`() {
        Vault.open(file).use { vault ->
            val kv = vault.kv()
            kv["kept"] = "old".utf8
            val boom = IllegalStateException("boom")

            val thrown = assertThrows<IllegalStateException> {
                vault.transaction {
                    kv["kept"] = "new".utf8
                    kv["added"] = byteArrayOf(1)
                    vault.kv("media")["m"] = byteArrayOf(2)
                    throw boom
                }
            }

            assertThat(thrown).isSameAs(boom)
            assertThat(kv["kept"]?.decodeToString()).isEqualTo("old")
            assertThat(kv["added"]).isNull()
            assertThat("m" in vault.kv("media")).isFalse()
        }
        Vault.open(file).use { vault ->
            assertThat(vault.kv().keys().toList()).containsExactly("kept")
        }
    }

    @Test
    fun `transaction lambda that throws a checked exception rethrows it unchanged`() {
        // Kotlin has no checked exceptions: a block may throw IOException straight through Runnable.
        Vault.open(file).use { vault ->
            val kv = vault.kv()
            val ioFailure = IOException("disk said no")

            val thrown = assertThrows<IOException> {
                vault.transaction {
                    kv["k"] = byteArrayOf(1)
                    throw ioFailure
                }
            }

            assertThat(thrown).isSameAs(ioFailure)
            assertThat(kv["k"]).isNull()
        }
    }

    @Test
    fun `transactionResult returns the lambda's value with its Kotlin type`() {
        Vault.open(file).use { vault ->
            val kv = vault.kv()

            val count: Int = vault.transactionResult {
                kv["x"] = byteArrayOf(1)
                kv["y"] = byteArrayOf(2)
                kv.keys().count()
            }
            val text: String = vault.transactionResult { kv.require("x").size.toString() }

            assertThat(count).isEqualTo(2)
            assertThat(text).isEqualTo("1")
        }
    }

    @Test
    fun `transactionResult may return a nullable value read inside it`() {
        Vault.open(file).use { vault ->
            val kv = vault.kv()
            kv["present"] = byteArrayOf(7)

            val absent: ByteArray? = vault.transactionResult { kv["absent"] }
            val present: ByteArray? = vault.transactionResult { kv["present"] }

            assertThat(absent).isNull()
            assertThat(present).containsExactly(7)
        }
    }

    @Test
    fun `transactionResult that throws rolls back and rethrows the same exception`() {
        Vault.open(file).use { vault ->
            val kv = vault.kv()
            val boom = IllegalArgumentException("no result")

            val thrown = assertThrows<IllegalArgumentException> {
                vault.transactionResult<Int> {
                    kv["k"] = byteArrayOf(1)
                    throw boom
                }
            }

            assertThat(thrown).isSameAs(boom)
            assertThat("k" in kv).isFalse()
        }
    }

    @Test
    fun `nested transaction lambdas undo only the inner block when its failure is caught`() {
        Vault.open(file).use { vault ->
            val kv = vault.kv()

            vault.transaction {
                kv["outer"] = byteArrayOf(1)
                runCatching {
                    vault.transaction {
                        kv["inner"] = byteArrayOf(2)
                        error("inner failed")
                    }
                }
            }

            assertThat("outer" in kv).isTrue()
            assertThat("inner" in kv).isFalse()
        }
    }

    // ---- builder, chaining, named stores ------------------------------------------------------

    @Test
    fun `fluent builder with java time Duration opens a working vault`() {
        Vault.builder(file)
            .retries(2)
            .backoffBase(Duration.ofMillis(5))
            .chunkSize(4096)
            .open()
            .use { vault ->
                val big = randomBytes(20_000, seed = 3) // several 4096-byte chunks
                vault.kv()["big"] = big
                vault.kv()["small"] = byteArrayOf(1)

                assertThat(vault.kv()["big"]).isEqualTo(big)
                assertThat(vault.kv().openStream("big").use { it.readBytes() }).isEqualTo(big)
                assertThat(vault.path()).isEqualTo(file)
            }

        Vault.open(file).use { assertThat(it.kv()["big"]).isEqualTo(randomBytes(20_000, seed = 3)) }
    }

    @Test
    fun `builder rejects a bad option with InvalidArgumentException naming it`() {
        val e = assertThrows<InvalidArgumentException> {
            Vault.builder(file).backoffBase(Duration.ofMillis(-1)).open()
        }
        assertThat(e).hasMessageContaining("backoffBase")

        assertThatThrownBy { Vault.builder(file).chunkSize(1).open() }
            .isInstanceOf(InvalidArgumentException::class.java)
            .hasMessageContaining("chunkSize")
            .hasMessageContaining("1")
    }

    @Test
    fun `builder table names the default store`() {
        Vault.builder(file).table("mine").open().use { it.kv()["k"] = byteArrayOf(1) }

        Vault.open(file).use { vault ->
            assertThat("k" in vault.kv()).isFalse()
            assertThat(vault.kv("mine")["k"]).containsExactly(1)
        }
    }

    @Test
    fun `withCache chains, caches writes that reads see, and flushes them on flushCache`() {
        Vault.open(file).withCache(1L shl 20, 1L shl 19).use { vault ->
            val kv = vault.kv()
            kv["cached"] = byteArrayOf(1)

            assertThat(kv.isCacheEnabled).isTrue()
            assertThat(vault.kv("media").isCacheEnabled).isTrue()
            assertThat(kv["cached"]).containsExactly(1)
            Vault.open(file).use { other -> assertThat("cached" in other.kv()).isFalse() }

            val flushed: Int = vault.flushCache()

            assertThat(flushed).isEqualTo(1)
            Vault.open(file).use { other -> assertThat(other.kv()["cached"]).containsExactly(1) }
        }
    }

    @Test
    fun `withCache writes are flushed when use closes the vault`() {
        Vault.open(file).withCache(1L shl 20, 1L shl 19).use { it.kv()["k"] = byteArrayOf(5) }

        Vault.open(file).use { assertThat(it.kv()["k"]).containsExactly(5) }
    }

    @Test
    fun `kv with a name is a separate store in the same file`() {
        Vault.open(file).use { vault ->
            val media: KVault = vault.kv("media")
            media["k"] = "media".utf8
            vault.kv()["k"] = "default".utf8

            assertThat(vault.kv("media")).isSameAs(media)
            assertThat(media.name()).isEqualTo("media")
            assertThat(media["k"]?.decodeToString()).isEqualTo("media")
            assertThat(vault.kv()["k"]?.decodeToString()).isEqualTo("default")
            assertThat(media.size()).isEqualTo(1L)
        }
    }

    @Test
    fun `an empty store name throws InvalidArgumentException naming the problem`() {
        Vault.open(file).use { vault ->
            val e = assertThrows<InvalidArgumentException> { vault.kv("") }

            assertThat(e).hasMessageContaining("store name")
            assertThat(e).hasMessageContaining("''")
            assertThat(e).isInstanceOf(KohakuVaultException::class.java)
        }
    }

    @Test
    fun `a file that is not a vault throws VaultIoException naming the path`() {
        val notADatabase = dir.resolve("not-a-db.txt").toFile().apply { writeText("just some text, not SQLite".repeat(50)) }
        val before = notADatabase.readBytes()

        val e = assertThrows<VaultIoException> { Vault.open(notADatabase.toPath()).use { } }

        assertThat(e).hasMessageContaining(notADatabase.name)
        assertThat(notADatabase.readBytes()).isEqualTo(before)
    }
}
