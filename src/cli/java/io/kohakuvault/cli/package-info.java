/**
 * The {@code kohakuvault} command line: look inside a vault file, move values in and out, verify,
 * back up and copy it, without writing code. Built into the CLI jar only, never into the library.
 */
@NullMarked
package io.kohakuvault.cli;

import org.jspecify.annotations.NullMarked;
