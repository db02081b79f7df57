package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's training run walks the real start-up of every command, so its archive holds what a start loads. */
class CdsTrainingTest {
    @Test
    void everyStreamCommandGetsAsFarAsConnectingToTheSource(@TempDir Path status) {
        List<List<String>> commands = CdsTraining.commands(status);
        List<String> sinks = commands.stream().filter(c -> c.size() > 2 && c.get(0).equals("stream")).map(c -> c.get(1)).toList();
        assertThat(sinks).containsExactlyInAnyOrder("stdout", "file", "webhook", "postgres");
        for (List<String> command : commands) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = new PgFloCommandLine(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8)).execute(command.toArray(String[]::new));
            String stderr = err.toString(StandardCharsets.UTF_8);
            if (command.get(0).equals("stream") && command.size() > 2) {
                // Past parsing, the Guice wiring and the sink's options: a usage error here would leave all that out.
                assertThat(stderr).as(String.join(" ", command)).contains("cannot connect to 127.0.0.1:1/training");
            } else {
                assertThat(exit).as(String.join(" ", command) + ": " + stderr).isZero();
            }
        }
    }

    @Test
    void theArchiveTakesTheLibrariesOfAStreamButNotTheTestKit() {
        assertThat(CdsTraining.isRuntimeClass("org/postgresql/core/v3/QueryExecutorImpl.class")).isTrue();
        assertThat(CdsTraining.isRuntimeClass("okhttp3/internal/connection/RealCall.class")).isTrue();
        assertThat(CdsTraining.isRuntimeClass("io/pgflo/sink/postgres/PostgresSink.class")).isTrue();
        assertThat(CdsTraining.isRuntimeClass("io/pgflo/testkit/TestPostgres.class")).isFalse();
        assertThat(CdsTraining.isRuntimeClass("org/junit/jupiter/api/Test.class")).isFalse();
        assertThat(CdsTraining.isRuntimeClass("META-INF/versions/11/org/postgresql/Driver.class")).isFalse();
        assertThat(CdsTraining.isRuntimeClass("org/postgresql/module-info.class")).isFalse();
        assertThat(CdsTraining.isRuntimeClass("org/postgresql/driverconfig.properties")).isFalse();
    }
}
