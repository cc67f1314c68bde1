package io.kohakuvault.cli;

import io.kohakuvault.internal.db.ServerUrls;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the passwords of a JDBC URL out of what the command line prints: every message that may
 * have come from elsewhere (the driver, the engine) goes through {@link #without} before it is
 * shown, as well as {@link ServerUrls#redacted}.
 */
final class Secrets {
    /** A password as a URL parameter, as {@link ServerUrls} reads it. */
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(?:password|pwd|sslpassword)=([^&;]*)");
    /** A password in the authority: {@code //user:password@host}. */
    private static final Pattern PASSWORD_IN_AUTHORITY = Pattern.compile("//[^/:@]*:([^/@]*)@");

    private Secrets() {}

    /**
     * @param message a message that may show {@code url}, or one of its passwords
     * @param url the JDBC URL the command was given
     * @return the message with the URL redacted and each of its passwords, as given and decoded,
     *     replaced by {@code ***}
     */
    static String without(@Nullable String message, String url) {
        String shown = ServerUrls.redacted(String.valueOf(message).replace(url, ServerUrls.redacted(url)));
        for (String password : passwords(url)) {
            shown = shown.replace(password, "***");
        }
        return shown;
    }

    private static List<String> passwords(String url) {
        List<String> found = new ArrayList<>();
        for (Pattern pattern : new Pattern[] {PASSWORD_PARAMETER, PASSWORD_IN_AUTHORITY}) {
            Matcher m = pattern.matcher(url);
            while (m.find()) {
                String raw = m.group(1);
                if (raw.isEmpty()) {
                    continue;
                }
                found.add(raw);
                try {
                    found.add(URLDecoder.decode(raw, StandardCharsets.UTF_8));
                } catch (IllegalArgumentException notEncoded) {
                    // shown as given only
                }
            }
        }
        // longer first, so that a password holding another is replaced whole
        found.sort((a, b) -> Integer.compare(b.length(), a.length()));
        return found;
    }
}
