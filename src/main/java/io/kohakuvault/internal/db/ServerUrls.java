package io.kohakuvault.internal.db;

import io.kohakuvault.InvalidArgumentException;
import io.kohakuvault.KohakuVaultException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What {@code Vault.open(String)} does with a JDBC URL instead of a file path: it never takes one
 * for a file name (which would create a folder named {@code jdbc:postgresql:} and put the URL's
 * password in a path), it opens a PostgreSQL vault when the optional artifacts are there, and its
 * messages show the URL without its credentials.
 */
public final class ServerUrls {
    /** A password as a URL parameter: {@code password=...} up to the next separator. */
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password|pwd|sslpassword)=[^&;]*");
    /** A password in the authority: {@code //user:password@host}. */
    private static final Pattern PASSWORD_IN_AUTHORITY = Pattern.compile("//([^/:@]*):[^/@]*@");

    /** For each artifact a server vault needs, a class it holds. */
    private static final List<String[]> POSTGRESQL_ARTIFACTS =
            List.of(new String[] {"org.postgresql:postgresql", "org.postgresql.Driver"}, new String[] {
                "org.flywaydb:flyway-database-postgresql", "org.flywaydb.database.postgresql.PostgreSQLDatabaseType"
            });

    private ServerUrls() {}

    /**
     * @param path what the caller passed as a path
     * @return whether it is a JDBC URL ({@code jdbc:...}), not a file path
     */
    public static boolean isJdbcUrl(String path) {
        return path.regionMatches(true, 0, "jdbc:", 0, 5);
    }

    /**
     * @param url a JDBC URL
     * @return the URL with every password replaced by {@code ***}, for messages and logs
     */
    public static String redacted(String url) {
        String withoutParameters = PASSWORD_PARAMETER.matcher(url).replaceAll("$1=***");
        return PASSWORD_IN_AUTHORITY.matcher(withoutParameters).replaceAll("//$1:***@");
    }

    /**
     * What opening {@code url} needs first: a PostgreSQL URL, and the optional artifacts a server
     * vault runs on.
     *
     * @param url a JDBC URL
     * @return null when the URL can be opened; otherwise the exception to throw, which names the
     *     missing artifacts or the database that is not supported, and holds no password
     */
    public static @Nullable RuntimeException refusal(String url) {
        String shown = redacted(url);
        if (!url.toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql:")) {
            return new InvalidArgumentException(
                    "cannot open " + shown
                            + ": a vault is a SQLite file (give its path) or, with a jdbc:postgresql: URL, a PostgreSQL database");
        }
        return missingArtifacts(shown);
    }

    /**
     * @param shown how the message names the database, with no password
     * @return null when the optional artifacts a server vault runs on are on the class path;
     *     otherwise the exception to throw, naming those missing
     */
    public static @Nullable KohakuVaultException missingArtifacts(String shown) {
        List<String> missing = new ArrayList<>();
        for (String[] artifact : POSTGRESQL_ARTIFACTS) {
            if (!onClassPath(artifact[1])) {
                missing.add(artifact[0]);
            }
        }
        if (missing.isEmpty()) {
            return null;
        }
        return new KohakuVaultException("cannot open " + shown + ": a PostgreSQL vault needs "
                + String.join(" and ", missing) + " on the class path (optional dependencies of KohakuVault:"
                + " declare them beside it)");
    }

    private static boolean onClassPath(String className) {
        try {
            Class.forName(className, false, ServerUrls.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
