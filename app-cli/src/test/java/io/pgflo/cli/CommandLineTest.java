package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the command line says to bad input, before anything connects anywhere. */
class CommandLineTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return new PgFloCommandLine(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
    }

    private int run(String... args) {
        return run(Map.of(), args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anUnknownFlagIsOneLineAndStatusTwo() {
        assertThat(run("stream", "stdout", "--dbname", "d", "--user", "u", "--group", "g", "--bogus", "1")).isEqualTo(2);
        assertThat(err()).isEqualTo("pg_flo: unknown flag '--bogus'; see 'pg_flo stream stdout --help'" + System.lineSeparator());
    }

    @Test
    void aPasswordOnTheCommandLineIsWarnedAboutButNotShown() throws Exception {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("pg_flo");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
                new ch.qos.logback.core.read.ListAppender<>();
        log.start();
        logger.addAppender(log);
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
            int port = closed.getLocalPort();
            closed.close();
            assertThat(run("stream", "stdout", "--port", Integer.toString(port), "--dbname", "d", "--user", "u",
                    "--group", "g", "--password", "s3cret-on-argv")).isEqualTo(2);
        } finally {
            logger.detachAppender(log);
        }
        assertThat(log.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .containsExactly("--password is visible to other local users (ps, /proc); prefer PGFLO_PASSWORD or "
                        + "PGPASSWORD, or ~/.pgpass");
        assertThat(err()).doesNotContain("s3cret-on-argv");
    }

    @Test
    void aFlagGivenTwiceTakesItsLastValue() throws Exception {
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
            int port = closed.getLocalPort();
            closed.close();
            assertThat(run("stream", "stdout", "--port", "1", "--dbname", "d", "--user", "u", "--group", "g",
                    "--log-level", "loud", "--log-level", "warn", "--port", Integer.toString(port))).isEqualTo(2);
        }
        assertThat(err()).as("the last --log-level and --port won").contains("server not reachable")
                .doesNotContain("--log-level").doesNotContain(":1/").hasLineCount(1);
    }

    @Test
    void missingRequiredFlagsAreNamed() {
        assertThat(run("stream", "stdout", "--dbname", "d")).isEqualTo(2);
        assertThat(err()).contains("missing required flags").contains("--user").contains("--group").hasLineCount(1);
    }

    @Test
    void anInvalidPortIsRefused() {
        assertThat(run("stream", "stdout", "--dbname", "d", "--user", "u", "--group", "g", "--port", "70000")).isEqualTo(2);
        assertThat(err()).contains("--port must be a port number from 1 to 65535, got 70000").hasLineCount(1);
        err.reset();
        assertThat(run("stream", "stdout", "--dbname", "d", "--user", "u", "--group", "g", "--port", "abc")).isEqualTo(2);
        assertThat(err()).contains("got 'abc'");
    }

    @Test
    void anUnknownSinkIsNamed() {
        assertThat(run("stream", "kafka")).isEqualTo(2);
        assertThat(err()).contains("unknown command or sink 'kafka'").hasLineCount(1);
    }

    @Test
    void aGroupWithoutLettersIsRefusedBeforeConnecting() {
        assertThat(run("stream", "stdout", "--dbname", "d", "--user", "u", "--group", "!!!", "--port", "1")).isEqualTo(2);
        assertThat(err()).contains("--group '!!!' has no letters or digits").hasLineCount(1);
    }

    @Test
    void flagsComeFromTheEnvironmentAndPasswordsAreNeverPrinted() {
        Map<String, String> env = Map.of("PGFLO_DBNAME", "d", "PGFLO_USER", "u", "PGFLO_GROUP", "g",
                "PGFLO_PASSWORD", "hunter2-secret", "PGFLO_HOST", "127.0.0.1", "PGFLO_PORT", "1");
        assertThat(run(env, "stream", "stdout")).isEqualTo(2);
        assertThat(err()).contains("cannot connect to 127.0.0.1:1/d as u").doesNotContain("hunter2-secret").hasLineCount(1);
    }

    @Test
    void aBadLogLevelIsRefused() {
        assertThat(run("stream", "stdout", "--dbname", "d", "--user", "u", "--group", "g", "--log-level", "loud")).isEqualTo(2);
        assertThat(err()).contains("--log-level must be one of");
    }

    @Test
    void aBadLogFormatIsRefused() {
        assertThat(run("status", "--dbname", "d", "--user", "u", "--group", "g", "--log-format", "xml")).isEqualTo(2);
        assertThat(err()).contains("--log-format must be one of text, json, got 'xml'").hasLineCount(1);
        err.reset();
        assertThat(run("stream", "stdout", "--dbname", "d", "--user", "u", "--group", "g", "--log-format", "xml"))
                .isEqualTo(2);
        assertThat(err()).contains("--log-format must be one of text, json, got 'xml'").hasLineCount(1);
    }

    @Test
    void inTheJsonLogFormatTheErrorLineIsAJsonObjectWithoutThePassword() throws Exception {
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
            int port = closed.getLocalPort();
            closed.close();
            assertThat(run(Map.of("PGFLO_PASSWORD", "hunter2-secret"), "drop", "--port", Integer.toString(port),
                    "--dbname", "d", "--user", "u", "--group", "Orders", "--log-format", "json")).isEqualTo(2);
        } finally {
            LogConfigurator.useFormat(LogFormat.TEXT); // the process's logging, which the other tests share
            LogConfigurator.setGroup(null);
        }
        assertThat(err()).hasLineCount(1).doesNotContain("hunter2-secret");
        com.fasterxml.jackson.databind.JsonNode line = new com.fasterxml.jackson.databind.ObjectMapper().readTree(err());
        assertThat(line.get("level").asText()).isEqualTo("ERROR");
        assertThat(line.get("group").asText()).isEqualTo("orders");
        assertThat(line.get("message").asText()).startsWith("cannot connect to localhost:");
    }

    @Test
    void statusAndDropListTheirFlags() {
        assertThat(run("--help")).isZero();
        assertThat(out()).contains("status").contains("drop");
        out.reset();
        assertThat(run("status", "--help")).isZero();
        assertThat(out()).contains("--group", "--status-dir", "--json", "--log-format", "PGFLO_STATUS_DIR");
        out.reset();
        assertThat(run("drop", "--help")).isZero();
        assertThat(out()).contains("--group", "--force", "--log-format").doesNotContain("pg_flo_status");
    }

    @Test
    void helpListsTheSinksAndEachSinksFlags() {
        assertThat(run("--help")).isZero();
        assertThat(out()).contains("stream <sink>").contains("demo");
        out.reset();
        assertThat(run("stream", "--help")).isZero();
        assertThat(out()).contains("stdout");
        out.reset();
        assertThat(run("stream", "stdout", "--help")).isZero();
        assertThat(out()).contains("--dbname", "--tables", "--status-dir", "PGFLO_STATUS_DIR");
    }

    @Test
    void sinksListsTheBuiltInSinksWithTheirOrigin() {
        assertThat(run("sinks")).isZero();
        assertThat(out()).contains("stdout").contains("one JSON event per line");
    }

    @Test
    void noCommandPrintsUsageToStderrWithStatusTwo() {
        assertThat(run()).isEqualTo(2);
        assertThat(err()).contains("Usage: pg_flo");
    }

    @Test
    void environmentVariableNamesFollowTheFlags() {
        assertThat(EnvironmentDefaults.variableFor("--status-dir")).isEqualTo("PGFLO_STATUS_DIR");
        assertThat(EnvironmentDefaults.variableFor("--password")).isEqualTo("PGFLO_PASSWORD");
    }
}
