package io.kohakuvault

import kotlin.reflect.KClass
import kotlin.reflect.KType
import kotlin.reflect.typeOf

/** The type the Kotlin compiler inferred for [value], as the compiler saw it. */
@Suppress("UNUSED_PARAMETER")
internal inline fun <reified T> staticTypeOf(value: T): KType = typeOf<T>()

/**
 * How Kotlin spells a type the compiler inferred: `ByteArray?` for a nullable type, `ByteArray`
 * for a non-null one, and `ByteArray!` for a platform type (a Java type whose nullness Kotlin does
 * not know). Type arguments are spelled the same way: `Entry<String, ByteArray>`.
 * Needs no kotlin-reflect.
 */
internal fun KType.spelling(): String {
    val rendered = toString().removeSuffix(" (Kotlin reflection is not available)")
    val name = (classifier as? KClass<*>)?.simpleName ?: rendered
    val arguments = if (arguments.isEmpty()) "" else arguments.joinToString(", ", "<", ">") { it.type?.spelling() ?: "*" }
    val mark = when {
        rendered.endsWith("!") -> "!"
        isMarkedNullable -> "?"
        else -> ""
    }
    return name + arguments + mark
}

/** How Kotlin spells the static type of [value]; see [spelling]. */
internal inline fun <reified T> kotlinTypeOf(value: T): String = staticTypeOf(value).spelling()

/** The UTF-8 bytes of this string. */
internal val String.utf8: ByteArray get() = encodeToByteArray()

/** Deterministic pseudo-random bytes. */
internal fun randomBytes(size: Int, seed: Long): ByteArray = kotlin.random.Random(seed).nextBytes(size)
