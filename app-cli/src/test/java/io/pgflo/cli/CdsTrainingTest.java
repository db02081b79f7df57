package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** The launcher's training run walks the real start-up of every command, so its archive holds what a start loads. */
class CdsTrainingTest {
    @Test
    void everyStreamCommandGetsAsFarAsConnectingToTheSource(@TempDir Path directory) {
        List<List<String>> commands = CdsTraining.commands(directory);
        List<String> sinks = commands.stream().map(c -> c.subList(2, c.size()))
                .filter(c -> c.size() > 2 && c.get(0).equals("stream")).map(c -> c.get(1)).toList();
        assertThat(sinks).containsExactlyInAnyOrder("stdout", "file", "webhook", "postgres");
        for (List<String> command : commands) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = new PgFloCommandLine(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8)).execute(command.toArray(String[]::new));
            String stderr = err.toString(StandardCharsets.UTF_8);
            assertThat(command.subList(0, 2)).as("no plugin runs in the training").containsExactly("--plugins-dir",
                    directory.resolve("plugins").toString());
            if (command.get(2).equals("stream") && command.size() > 4) {
                // Past parsing, the Guice wiring and the sink's options: a usage error here would leave all that out.
                assertThat(stderr).as(String.join(" ", command)).contains("cannot connect to 127.0.0.1:1/training");
            } else {
                assertThat(exit).as(String.join(" ", command) + ": " + stderr).isZero();
            }
        }
    }

    @Test
    void aStreamLeavesTheSignalHandlersAsItFoundThem(@TempDir Path directory) {
        Signal term = new Signal("TERM");
        SignalHandler mine = signal -> {};
        SignalHandler before = Signal.handle(term, mine);
        try {
            List<String> stdout = CdsTraining.commands(directory).stream()
                    .filter(c -> c.size() > 3 && c.get(2).equals("stream") && c.get(3).equals("stdout")).findFirst().orElseThrow();
            new PgFloCommandLine(Map.of(), new PrintStream(OutputStream.nullOutputStream()),
                    new PrintStream(OutputStream.nullOutputStream())).execute(stdout.toArray(String[]::new));

            assertThat(Signal.handle(term, mine)).isSameAs(mine);
        } finally {
            Signal.handle(term, before);
        }
    }

    @Test
    void theArchiveTakesTheLibrariesOfAStreamButNotTheTestKit() {
        assertThat(CdsTraining.isRuntimeClass("org/postgresql/core/v3/QueryExecutorImpl.class")).isTrue();
        assertThat(CdsTraining.isRuntimeClass("okhttp3/internal/connection/RealCall.class")).isTrue();
        assertThat(CdsTraining.isRuntimeClass("io/pgflo/sink/postgres/PostgresSink.class")).isTrue();
        assertThat(CdsTraining.isRuntimeClass("io/prometheus/metrics/core/metrics/Counter.class")).isTrue();
        assertThat(CdsTraining.isRuntimeClass("io/pgflo/testkit/TestPostgres.class")).isFalse();
        assertThat(CdsTraining.isRuntimeClass("org/junit/jupiter/api/Test.class")).isFalse();
        assertThat(CdsTraining.isRuntimeClass("META-INF/versions/11/org/postgresql/Driver.class")).isFalse();
        assertThat(CdsTraining.isRuntimeClass("org/postgresql/module-info.class")).isFalse();
        assertThat(CdsTraining.isRuntimeClass("org/postgresql/driverconfig.properties")).isFalse();
    }
}
