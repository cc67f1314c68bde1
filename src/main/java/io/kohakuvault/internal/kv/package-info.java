/** The key-value engine: statements, chunked values, the write-back cache, iteration. Not API. */
@NullMarked
package io.kohakuvault.internal.kv;

import org.jspecify.annotations.NullMarked;
