/** The column engine: chunk layout, reads, the write-back append buffer, vector search. Not API. */
@NullMarked
package io.kohakuvault.internal.column;

import org.jspecify.annotations.NullMarked;
