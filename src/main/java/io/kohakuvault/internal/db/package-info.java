/**
 * Connections to the SQLite file, transactions, busy retries, error translation and schema
 * migration. Not API.
 */
@NullMarked
package io.kohakuvault.internal.db;

import org.jspecify.annotations.NullMarked;
