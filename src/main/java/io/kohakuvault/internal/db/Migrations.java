package io.kohakuvault.internal.db;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;
import org.jspecify.annotations.Nullable;

/**
 * The vault's Flyway migrations for one database, named explicitly instead of found by a classpath
 * scan: a scan is slow, and would also pick up an application's own migrations under
 * {@code db/migration}. Every migration sets {@code vault_meta.schema_version} to its own version.
 * SQLite files keep the history they were created with; PostgreSQL starts at version 4, the
 * layout the SQLite files reached then, in one script.
 */
public final class Migrations implements ResourceProvider {
    /** The schema version this library writes and reads, on every database. */
    public static final int LATEST_VERSION = 4;

    /** SQLite's scripts. */
    static final Migrations SQLITE = new Migrations(
            "io/kohakuvault/migration/sqlite/",
            List.of("V1__key_value_stores.sql", "V2__columns.sql", "V3__checksums.sql", "V4__engine_frees_blobs.sql"));

    /** PostgreSQL's scripts. */
    static final Migrations POSTGRESQL =
            new Migrations("io/kohakuvault/migration/postgresql/", List.of("V4__vault_schema.sql"));

    private final String folder;
    private final List<String> scripts;

    private Migrations(String folder, List<String> scripts) {
        this.folder = folder;
        this.scripts = scripts;
    }

    /** @return where the scripts live on the classpath, ending in {@code /} */
    String folder() {
        return folder;
    }

    /** @return every script, oldest first; the last one's version is {@link #LATEST_VERSION} */
    List<String> scripts() {
        return scripts;
    }

    @Override
    public @Nullable LoadableResource getResource(String name) {
        return scripts.contains(name) ? new Script(folder, name) : null;
    }

    @Override
    public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
        List<LoadableResource> found = new ArrayList<>();
        for (String name : scripts) {
            if (name.startsWith(prefix) && Arrays.stream(suffixes).anyMatch(name::endsWith)) {
                found.add(new Script(folder, name));
            }
        }
        return found;
    }

    /** One migration script, read from the library's own jar. */
    private static final class Script extends LoadableResource {
        private final String folder;
        private final String name;

        Script(String folder, String name) {
            this.folder = folder;
            this.name = name;
        }

        @Override
        public Reader read() {
            InputStream in = Migrations.class.getClassLoader().getResourceAsStream(folder + name);
            if (in == null) {
                throw new IllegalStateException("migration " + folder + name + " is missing from the classpath");
            }
            return new InputStreamReader(in, StandardCharsets.UTF_8);
        }

        @Override
        public String getAbsolutePath() {
            return folder + name;
        }

        @Override
        public String getAbsolutePathOnDisk() {
            return folder + name;
        }

        @Override
        public String getFilename() {
            return name;
        }

        @Override
        public String getRelativePath() {
            return name;
        }
    }
}
