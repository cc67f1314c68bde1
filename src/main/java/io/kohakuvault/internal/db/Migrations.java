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
 * The vault's Flyway migrations, named explicitly instead of found by a classpath scan: a scan is
 * slow, and would also pick up an application's own migrations under {@code db/migration}.
 * Every migration sets {@code vault_meta.schema_version} to its own version.
 */
public final class Migrations implements ResourceProvider {
    /** Where the scripts live on the classpath. */
    static final String FOLDER = "io/kohakuvault/migration/sqlite/";
    /** Every script, oldest first; the last one's version is {@link #LATEST_VERSION}. */
    static final List<String> SCRIPTS =
            List.of("V1__key_value_stores.sql", "V2__columns.sql", "V3__checksums.sql", "V4__engine_frees_blobs.sql");
    /** The schema version this library writes and reads. */
    public static final int LATEST_VERSION = 4;

    @Override
    public @Nullable LoadableResource getResource(String name) {
        return SCRIPTS.contains(name) ? new Script(name) : null;
    }

    @Override
    public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
        List<LoadableResource> found = new ArrayList<>();
        for (String name : SCRIPTS) {
            if (name.startsWith(prefix) && Arrays.stream(suffixes).anyMatch(name::endsWith)) {
                found.add(new Script(name));
            }
        }
        return found;
    }

    /** One migration script, read from the library's own jar. */
    private static final class Script extends LoadableResource {
        private final String name;

        Script(String name) {
            this.name = name;
        }

        @Override
        public Reader read() {
            InputStream in = Migrations.class.getClassLoader().getResourceAsStream(FOLDER + name);
            if (in == null) {
                throw new IllegalStateException("migration " + FOLDER + name + " is missing from the classpath");
            }
            return new InputStreamReader(in, StandardCharsets.UTF_8);
        }

        @Override
        public String getAbsolutePath() {
            return FOLDER + name;
        }

        @Override
        public String getAbsolutePathOnDisk() {
            return FOLDER + name;
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
