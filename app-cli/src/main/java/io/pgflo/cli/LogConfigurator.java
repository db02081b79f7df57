package io.pgflo.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * pg_flo's logging, set up in code: logs go to stderr (stdout belongs to the stdout sink), at INFO, with the chatty
 * libraries at WARN. In code rather than in {@code logback.xml} because reading XML costs about a third of a second of
 * start-up. {@code -Dlogback.configurationFile=FILE} still replaces it (and then {@code --log-format} changes nothing;
 * such a file can still name the group with {@code %property{group}}).
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n";
    static final String APPENDER = "STDERR";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName(APPENDER);
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder(context, LogFormat.TEXT));
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stderr);
        context.getLogger("io.zonky").setLevel(Level.WARN);
        context.getLogger("org.postgresql").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Sets the root logger's level from {@code --log-level}, when SLF4J logs through Logback (as in pg_flo.jar). */
    static void setLevel(String level) {
        Level parsed = Level.toLevel(level.toUpperCase(Locale.ROOT), null);
        if (parsed == null) {
            throw new IllegalArgumentException("--log-level must be one of error, warn, info, debug, trace; got '" + level + "'");
        }
        Object root = LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root instanceof Logger logback) {
            logback.setLevel(parsed);
        }
    }

    /**
     * Switches the lines on stderr to {@code format}, when SLF4J logs through Logback configured by this class (as in
     * pg_flo.jar); with a {@code logback.configurationFile} of the user's, the file decides.
     */
    static void useFormat(LogFormat format) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            useFormat(context, format);
        }
    }

    static void useFormat(LoggerContext context, LogFormat format) {
        Appender<ILoggingEvent> appender = context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(APPENDER);
        if (appender instanceof ConsoleAppender<ILoggingEvent> stderr) {
            // Swapped in place rather than by stopping the appender, which would close its stream: System.err.
            stderr.setEncoder(encoder(context, format));
        }
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext context, LogFormat format) {
        if (format == LogFormat.JSON) {
            JsonLogLayout layout = new JsonLogLayout();
            layout.setContext(context);
            layout.start();
            LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
            encoder.setContext(context);
            encoder.setCharset(StandardCharsets.UTF_8);
            encoder.setLayout(layout);
            encoder.start();
            return encoder;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        return encoder;
    }

    /**
     * Names the process's group on every JSON log line. A logger context property rather than MDC: MDC is per thread,
     * and the stream's lines come from many (reader, pipeline, sink workers, heartbeat, progress).
     */
    static void setGroup(String group) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.putProperty(JsonLogLayout.GROUP_PROPERTY, group);
        }
    }

    /** The group set by {@link #setGroup}, or null. */
    static String group() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        return factory instanceof LoggerContext context ? context.getProperty(JsonLogLayout.GROUP_PROPERTY) : null;
    }
}
