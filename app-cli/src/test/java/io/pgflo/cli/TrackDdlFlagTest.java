package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code --track-ddl} on the command line: common to every sink, the PostgreSQL sink's own where it declares it. */
class TrackDdlFlagTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new PgFloCommandLine(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int occurrences(String text, String flag) {
        Matcher matcher = Pattern.compile(Pattern.quote(flag) + "(?![a-z-])").matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }

    @Test
    void pgFlosWebhookEndToEndCommandLineIsAccepted() {
        // internal/scripts/webhook_test.sh in pg_flo, flag for flag
        assertThat(run("stream", "webhook", "--host", "localhost", "--port", "5432", "--dbname", "myapp",
                "--user", "mydb", "--password", "mypassword", "--group", "group-webhook", "--tables", "users",
                "--schema", "public", "--status-dir", "/tmp", "--webhook-url", "https://hooks.example.com/in",
                "--track-ddl", "--print-config")).as("stderr: %s", err).isZero();
        assertThat(out()).contains("track-ddl: true  # flag").contains("tables: [\"users\"]  # flag");
    }

    @Test
    void everySinksHelpListsTheFlagOnce() {
        for (String sink : new String[] {"file", "stdout", "webhook", "postgres"}) {
            out.reset();
            assertThat(run("stream", sink, "--help")).isZero();
            assertThat(occurrences(out(), "--track-ddl")).as("%s help: %s", sink, out()).isEqualTo(1);
            assertThat(out()).contains("--config").contains("--print-config");
        }
    }

    @Test
    void thePostgresSinkKeepsItsOwnDefaultAndTakesAValue() {
        assertThat(run("stream", "postgres", "--dbname", "d", "--user", "u", "--group", "g", "--target-host", "t",
                "--target-dbname", "d", "--target-user", "u", "--print-config")).isZero();
        assertThat(out()).contains("track-ddl: true  # default");
        assertThat(occurrences(out(), "track-ddl:")).isEqualTo(1);
        out.reset();
        assertThat(run("stream", "postgres", "--dbname", "d", "--user", "u", "--group", "g", "--target-host", "t",
                "--target-dbname", "d", "--target-user", "u", "--track-ddl", "false", "--print-config")).isZero();
        assertThat(out()).contains("track-ddl: false  # flag");
    }
}
