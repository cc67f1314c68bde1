/**
 * KohakuVault for the JVM: a single-file embedded store on SQLite.
 *
 * <p>Start with {@link io.kohakuvault.Vault#open(java.nio.file.Path)}. A {@link io.kohakuvault.Vault}
 * holds any number of named {@link io.kohakuvault.KVault} key-value stores in one SQLite file.
 * Every exception thrown is unchecked and extends {@link io.kohakuvault.KohakuVaultException}.
 */
@NullMarked
package io.kohakuvault;

import org.jspecify.annotations.NullMarked;
