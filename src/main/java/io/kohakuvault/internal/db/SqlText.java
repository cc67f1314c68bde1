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
    private final String sqlite;
    private volatile @Nullable String postgres;

    private SqlText(Query query) {
        this.query = query;
        this.sqlite = Sql.render(query, SQLDialect.SQLITE);
    }

    /**
     * @param query the statement, built with {@link Sql#dsl()}
     * @return the statement, rendered for SQLite now
     */
    public static SqlText of(Query query) {
        return new SqlText(query);
    }

    /** @return the statement as SQLite runs it */
    public String sqlite() {
        return sqlite;
    }

    /**
     * @param dialect {@link SQLDialect#SQLITE} or {@link SQLDialect#POSTGRES}
     * @return the statement as that database runs it, rendered on the first call for it
     * @throws IllegalArgumentException for another dialect
     */
    public String in(SQLDialect dialect) {
        if (dialect == SQLDialect.SQLITE) {
            return sqlite;
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
        return sqlite;
    }
}
