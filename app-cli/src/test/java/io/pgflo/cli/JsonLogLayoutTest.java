package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JsonLogLayoutTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LoggerContext context = new LoggerContext();
    private final JsonLogLayout layout = new JsonLogLayout();

    @BeforeEach
    void setUp() {
        layout.setContext(context);
        layout.start();
        context.putProperty(JsonLogLayout.GROUP_PROPERTY, "orders");
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO); // as pg_flo sets it; a new context has DEBUG
    }

    private LoggingEvent event(Level level, String message, Throwable thrown, Object... arguments) {
        Logger logger = context.getLogger("io.pgflo.cli.StreamRunner");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, level, message, thrown, arguments);
        event.setMDCPropertyMap(Map.of("lsn", "0/16B3748"));
        return event;
    }

    @Test
    void anEventIsOneLineOfJsonWithItsFieldsAtTheTopLevel() throws Exception {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String line = layout.doLayout(event(Level.INFO, "copied {} rows\nof \"t\"\tdone", null, 12));

        assertThat(line).endsWith("\n").hasLineCount(1);
        JsonNode json = JSON.readTree(line);
        assertThat(json.fieldNames()).toIterable()
                .containsExactly("time", "level", "logger", "message", "thread", "group", "lsn");
        assertThat(json.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(Instant.parse(json.get("time").asText())).isBetween(before, Instant.now());
        assertThat(json.get("level").asText()).isEqualTo("INFO");
        assertThat(json.get("logger").asText()).isEqualTo("io.pgflo.cli.StreamRunner");
        assertThat(json.get("message").asText()).isEqualTo("copied 12 rows\nof \"t\"\tdone");
        assertThat(json.get("thread").asText()).isEqualTo(Thread.currentThread().getName());
        assertThat(json.get("group").asText()).isEqualTo("orders");
        assertThat(json.get("lsn").asText()).isEqualTo("0/16B3748");
    }

    @Test
    void anExceptionIsItsMessageAndCausesAndAtDebugItsStackTraceToo() throws Exception {
        Exception failure = new IllegalStateException("sink failed\nat line 2", new java.io.IOException("disk full"));

        JsonNode atInfo = JSON.readTree(layout.doLayout(event(Level.WARN, "stream failed", failure)));
        assertThat(atInfo.get("error").asText()).isEqualTo(
                "java.lang.IllegalStateException: sink failed\nat line 2; caused by java.io.IOException: disk full");
        assertThat(atInfo.has("stack_trace")).isFalse();

        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.DEBUG);
        String line = layout.doLayout(event(Level.WARN, "stream failed", failure));
        assertThat(line).hasLineCount(1);
        JsonNode atDebug = JSON.readTree(line);
        assertThat(atDebug.get("stack_trace").asText())
                .startsWith("java.lang.IllegalStateException: sink failed")
                .contains("at io.pgflo.cli.JsonLogLayoutTest.")
                .contains("Caused by: java.io.IOException: disk full");
    }

    @Test
    void withoutAGroupTheFieldIsLeftOut() throws Exception {
        context.putProperty(JsonLogLayout.GROUP_PROPERTY, null);
        assertThat(JSON.readTree(layout.doLayout(event(Level.INFO, "starting", null))).has("group")).isFalse();
    }

    @Test
    void pgFlosOwnErrorLinesBecomeJsonLinesToo() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = JsonErrorLines.around(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        err.println("pg_flo: there is no group 'x' on h:5432/d as u; check --group");
        err.print("pg_flo: second\r\n");

        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(2);
        JsonNode first = JSON.readTree(lines[0]);
        assertThat(first.get("level").asText()).isEqualTo("ERROR");
        assertThat(first.get("logger").asText()).isEqualTo("pg_flo");
        assertThat(first.get("message").asText()).isEqualTo("there is no group 'x' on h:5432/d as u; check --group");
        assertThat(JSON.readTree(lines[1]).get("message").asText()).isEqualTo("second");
    }
}
