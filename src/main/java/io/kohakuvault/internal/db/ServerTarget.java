package io.kohakuvault.internal.db;

import javax.sql.DataSource;

/**
 * Where a server vault lives: the database a data source reaches, and the schema there that holds
 * the vault's tables.
 *
 * @param dataSource gives the vault its connections (it keeps a writer and up to {@code maxReaders} readers open)
 * @param schema the schema's name, validated: lower-case letters, digits and {@code _}
 * @param shownAs how messages name the database, with no password in it
 */
public record ServerTarget(DataSource dataSource, String schema, String shownAs) {}
