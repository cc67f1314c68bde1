package io.kohakuvault.internal.db;

import org.jooq.Query;
import org.jooq.SQLDialect;
import org.jspecify.annotations.Nullable;

/**
 * One statement of the engine, built once from jOOQ's generated classes and rendered once per
 * database type: for SQLite when it is made (every vault has a file's statements at hand), for
 * PostgreSQL the first time a PostgreSQL connection asks for it. Connections prepare the text of
 * their own database and keep the prepared statement, so a statement on a hot path is rendered once
 * and prepared once per connection. Thread-safe.
 */
public final class SqlText {
    private final Query query;
    private final @Nullable String sqlite;
    private volatile @Nullable String postgres;

    private SqlText(Query query, boolean forSqlite) {
        this.query = query;
        this.sqlite = forSqlite ? Sql.render(query, SQLDialect.SQLITE) : null;
    }

    /**
     * @param query the statement, built with {@link Sql#dsl()}
     * @return the statement, rendered for SQLite now
     */
    public static SqlText of(Query query) {
        return new SqlText(query, true);
    }

    /**
     * @param query a statement only PostgreSQL runs (a row lock SQLite has no syntax for), built
     *     with {@link Sql#dsl()}
     * @return the statement, rendered for PostgreSQL on first use
     */
    public static SqlText postgresOnly(Query query) {
        return new SqlText(query, false);
    }

    /**
     * @return the statement as SQLite runs it
     * @throws IllegalStateException for a {@link #postgresOnly} statement
     */
    public String sqlite() {
        if (sqlite == null) {
            throw new IllegalStateException("a statement for PostgreSQL only: " + in(SQLDialect.POSTGRES));
        }
        return sqlite;
    }

    /**
     * @param dialect {@link SQLDialect#SQLITE} or {@link SQLDialect#POSTGRES}
     * @return the statement as that database runs it, rendered on the first call for it
     * @throws IllegalArgumentException for another dialect
     */
    public String in(SQLDialect dialect) {
        if (dialect == SQLDialect.SQLITE) {
            return sqlite();
        }
        if (dialect != SQLDialect.POSTGRES) {
            throw new IllegalArgumentException("the vault runs on SQLite and PostgreSQL, not " + dialect);
        }
        String rendered = postgres;
        if (rendered == null) {
            rendered = Sql.render(query, SQLDialect.POSTGRES);
            postgres = rendered; // a race renders twice, the same text
        }
        return rendered;
    }

    @Override
    public String toString() {
        return sqlite != null ? sqlite : in(SQLDialect.POSTGRES);
    }
}
