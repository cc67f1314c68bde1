package io.kohakuvault.internal.db;

import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * Renders jOOQ queries built from the generated classes into SQL text, once, for statements that
 * connections prepare and reuse. Also holds the few statements jOOQ does not model: SQLite's
 * transaction control.
 */
public final class Sql {
    /** Starts a write transaction that takes the write lock at once, so it can never deadlock on upgrade. */
    public static final String BEGIN_IMMEDIATE = "BEGIN IMMEDIATE";
    /** Starts a read transaction (read-only vaults). */
    public static final String BEGIN_DEFERRED = "BEGIN DEFERRED";
    /** Commits the open transaction. */
    public static final String COMMIT = "COMMIT";
    /** Rolls back the open transaction. */
    public static final String ROLLBACK = "ROLLBACK";

    /** Guards the writing of a transaction's held-back writes (see {@code Database.StagedWrites}). */
    static final String STAGED_SAVEPOINT = "SAVEPOINT vault_staged";
    /** Keeps the held-back writes. */
    static final String STAGED_RELEASE = "RELEASE vault_staged";
    /** Undoes a failed writing of held-back writes. */
    static final String STAGED_ROLLBACK = "ROLLBACK TO vault_staged";

    private static final DSLContext RENDERER;
    private static final DSLContext POSTGRES_RENDERER;

    static {
        // jOOQ prints a banner on first use unless told not to; a library should not print.
        if (System.getProperty("org.jooq.no-logo") == null) {
            System.setProperty("org.jooq.no-logo", "true");
        }
        if (System.getProperty("org.jooq.no-tips") == null) {
            System.setProperty("org.jooq.no-tips", "true");
        }
        RENDERER = DSL.using(SQLDialect.SQLITE, settings());
        POSTGRES_RENDERER = DSL.using(SQLDialect.POSTGRES, settings());
    }

    /** Names unquoted (the vault's are lower case, so PostgreSQL folds nothing), one line per statement. */
    private static Settings settings() {
        return new Settings()
                .withRenderQuotedNames(RenderQuotedNames.EXPLICIT_DEFAULT_UNQUOTED)
                .withRenderFormatted(false);
    }

    private Sql() {}

    /** @return the context to build queries with; it is never executed (see {@link SqlText}) */
    public static DSLContext dsl() {
        return RENDERER;
    }

    /**
     * Renders a query with {@code ?} placeholders for its bind values, in their order. The engine's
     * statements go through {@link SqlText}, which renders each once per database type.
     *
     * @param query a query built from the generated table classes
     * @param dialect {@link SQLDialect#SQLITE} or {@link SQLDialect#POSTGRES}
     * @return its SQL text for that database
     */
    static String render(Query query, SQLDialect dialect) {
        return (dialect == SQLDialect.POSTGRES ? POSTGRES_RENDERER : RENDERER).render(query);
    }

    /** @return SQL that opens savepoint number {@code depth} */
    static String savepoint(int depth) {
        return "SAVEPOINT vault_savepoint_" + depth;
    }

    /** @return SQL that releases (keeps) savepoint number {@code depth} */
    static String release(int depth) {
        return "RELEASE vault_savepoint_" + depth;
    }

    /** @return SQL that undoes everything since savepoint number {@code depth} */
    static String rollbackTo(int depth) {
        return "ROLLBACK TO vault_savepoint_" + depth;
    }
}
