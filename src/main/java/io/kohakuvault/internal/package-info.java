/**
 * The engine behind the public API. Nothing here is API: names and signatures may change in any
 * release. Sub-packages: {@code db} (connections, transactions, retries, schema), {@code kv} (the
 * key-value engine) and {@code schema} (jOOQ classes generated from the migrations at build time).
 */
@NullMarked
package io.kohakuvault.internal;

import org.jspecify.annotations.NullMarked;
