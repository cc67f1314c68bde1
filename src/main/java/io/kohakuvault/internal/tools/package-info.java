/**
 * Engine-side work for the tools around the library (the {@code kohakuvault} command line):
 * catalogues with sizes, verification of every checksum, backups, copies between vaults. Not API:
 * nothing here is for users to touch.
 */
@NullMarked
package io.kohakuvault.internal.tools;

import org.jspecify.annotations.NullMarked;
