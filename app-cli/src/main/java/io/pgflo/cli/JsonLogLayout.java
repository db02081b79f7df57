package io.pgflo.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;

/**
 * {@code --log-format json}: one JSON object per event, on one line whatever the message holds (JSON escapes line
 * breaks): {@code time} (ISO-8601, UTC, milliseconds), {@code level}, {@code logger}, {@code message}, {@code thread},
 * {@code group} (the process's {@code --group}), then the event's MDC entries ({@code lsn} where the code knows one),
 * and for an exception {@code error} (its class and message, and its causes'), with {@code stack_trace} too when the
 * log level is debug or trace.
 *
 * <p>Not Logback's own {@code JsonEncoder}: it writes the time as epoch milliseconds, nests the MDC and the context under
 * keys of their own, and puts the message both with and without its arguments, which log collectors would have to
 * reshape.
 */
final class JsonLogLayout extends LayoutBase<ILoggingEvent> {
    /** The logger context property that holds the group, so that every thread's lines carry it (MDC is per thread). */
    static final String GROUP_PROPERTY = "group";
    private static final Set<String> RESERVED = Set.of("time", "level", "logger", "message", "thread", "group",
            "error", "stack_trace");
    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Override
    public String doLayout(ILoggingEvent event) {
        IThrowableProxy thrown = event.getThrowableProxy();
        String group = getContext() == null ? null : getContext().getProperty(GROUP_PROPERTY);
        return line(new Line(event.getInstant(), event.getLevel().toString(), event.getLoggerName(),
                event.getFormattedMessage(), event.getThreadName(), group, event.getMDCPropertyMap(),
                thrown == null ? null : describe(thrown),
                thrown != null && debugging() ? ThrowableProxyUtil.asString(thrown) : null));
    }

    /** One log line's fields; {@code group}, {@code error} and {@code stackTrace} may be null, {@code mdc} empty. */
    record Line(Instant time, String level, String logger, String message, String thread, String group,
            Map<String, String> mdc, String error, String stackTrace) {}

    /** The line as JSON, ending in a line feed. */
    static String line(Line line) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("time", TIME.format(line.time()));
            json.writeStringField("level", line.level());
            json.writeStringField("logger", line.logger());
            json.writeStringField("message", line.message());
            json.writeStringField("thread", line.thread());
            if (line.group() != null) {
                json.writeStringField("group", line.group());
            }
            for (Map.Entry<String, String> entry : line.mdc().entrySet()) {
                if (!RESERVED.contains(entry.getKey()) && entry.getValue() != null) {
                    json.writeStringField(entry.getKey(), entry.getValue());
                }
            }
            if (line.error() != null) {
                json.writeStringField("error", line.error());
            }
            if (line.stackTrace() != null) {
                json.writeStringField("stack_trace", line.stackTrace());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render a log line as JSON", e); // a StringWriter does not fail
        }
        return text.append('\n').toString();
    }

    /** {@code Class: message}, and each cause's after {@code "; caused by "}. */
    private static String describe(IThrowableProxy thrown) {
        StringBuilder text = new StringBuilder();
        for (IThrowableProxy current = thrown; current != null; current = current.getCause()) {
            if (current != thrown) {
                text.append("; caused by ");
            }
            text.append(current.getClassName());
            if (current.getMessage() != null) {
                text.append(": ").append(current.getMessage());
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return text.toString();
    }

    private boolean debugging() {
        if (!(getContext() instanceof LoggerContext loggers)) {
            return false;
        }
        Level root = loggers.getLogger(Logger.ROOT_LOGGER_NAME).getLevel();
        return root != null && root.levelInt <= Level.DEBUG_INT;
    }
}
