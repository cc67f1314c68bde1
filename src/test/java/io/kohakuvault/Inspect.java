package io.kohakuvault;

import static io.kohakuvault.internal.schema.Tables.VAULT_KV_BLOB;
import static io.kohakuvault.internal.schema.Tables.VAULT_KV_CHUNK;

import org.jooq.impl.DSL;

/** Looks inside a vault's tables, through the generated jOOQ classes, for assertions on layout. */
final class Inspect {
    private Inspect() {}

    /** @return how many chunk rows the vault holds */
    static int chunkRows(Vault vault) {
        return vault.database().withWriter(c -> DSL.using(c.jdbc(), c.dialect()).fetchCount(VAULT_KV_CHUNK));
    }

    /** @return how many blob rows the vault holds */
    static int blobRows(Vault vault) {
        return vault.database().withWriter(c -> DSL.using(c.jdbc(), c.dialect()).fetchCount(VAULT_KV_BLOB));
    }
}
