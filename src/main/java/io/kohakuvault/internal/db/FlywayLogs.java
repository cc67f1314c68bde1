package io.kohakuvault.internal.db;

import java.lang.System.Logger.Level;
import org.flywaydb.core.api.logging.Log;
import org.flywaydb.core.api.logging.LogCreator;

/**
 * Sends Flyway's messages to the JDK's {@link System.Logger}, under
 * {@code io.kohakuvault.migration.<Flyway's class>}, at debug level (Flyway's own debug messages
 * at trace).
 *
 * <p>Why: a library prints nothing it was not asked to. Left to itself Flyway logs about ten INFO
 * lines on standard error for every new vault (through {@code java.util.logging}, whose default
 * console handler shows INFO), and SEVERE lines when several processes migrate one new file at
 * once, a race {@code SchemaMigrator} recovers from by itself. Every failure that matters reaches
 * the caller as an exception carrying Flyway's message, so nothing here is above debug: an
 * application that wants the details turns {@code io.kohakuvault.migration} up to DEBUG in its
 * logging (JUL's FINE, or whatever backs {@code System.Logger}).
 *
 * <p>Named to Flyway by class name ({@code FluentConfiguration.loggers}), which instantiates it
 * with the public no-argument constructor; only the vault's own Flyway configurations use it, so
 * an application's Flyway keeps its own logging.
 */
public final class FlywayLogs implements LogCreator {
    /** The prefix of every logger name used for Flyway's messages. */
    public static final String LOGGER_PREFIX = "io.kohakuvault.migration";

    /** Made by Flyway, by reflection. */
    public FlywayLogs() {}

    @Override
    public Log createLogger(Class<?> type) {
        return new DebugLog(System.getLogger(LOGGER_PREFIX + "." + type.getSimpleName()));
    }

    /** One Flyway class's messages, each at debug level (Flyway's debug ones at trace). */
    private record DebugLog(System.Logger logger) implements Log {
        @Override
        @SuppressWarnings("deprecation") // Flyway 12 deprecates it, yet its Log interface still declares it
        public boolean isDebugEnabled() {
            return logger.isLoggable(Level.TRACE);
        }

        @Override
        public void debug(String message) {
            logger.log(Level.TRACE, message);
        }

        @Override
        public void info(String message) {
            logger.log(Level.DEBUG, message);
        }

        @Override
        public void warn(String message) {
            logger.log(Level.DEBUG, message);
        }

        @Override
        public void error(String message) {
            logger.log(Level.DEBUG, message);
        }

        @Override
        public void error(String message, Exception e) {
            logger.log(Level.DEBUG, message, e);
        }

        @Override
        public void notice(String message) {
            logger.log(Level.DEBUG, message);
        }
    }
}
