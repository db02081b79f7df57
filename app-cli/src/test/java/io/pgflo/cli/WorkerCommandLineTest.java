package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code pg_flo worker} and {@code pg_flo replicator} command lines: bad input is one line and status 2. */
class WorkerCommandLineTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new PgFloCommandLine(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aWorkerNeedsASinkThatIsNotThePublisher() {
        assertThat(run("worker")).isEqualTo(ExitCode.USAGE);
        assertThat(err()).contains("name a sink: pg_flo worker <sink>").contains("file").doesNotContain("jetstream");
        assertThat(run("worker", "jetstream", "--group", "g", "--nats-url", "nats://127.0.0.1:1")).isEqualTo(ExitCode.USAGE);
        assertThat(err()).contains("no sink 'jetstream' for a worker");
    }

    @Test
    void aWorkerNeedsItsGroupAndServer() {
        assertThat(run("worker", "file", "--output-dir", "/tmp/x", "--group", "g")).isEqualTo(ExitCode.USAGE);
        assertThat(err()).contains("--nats-url");
        assertThat(run("worker", "file", "--output-dir", "/tmp/x", "--nats-url", "nats://127.0.0.1:1"))
                .isEqualTo(ExitCode.USAGE);
        assertThat(err()).contains("--group");
    }

    @Test
    void aWorkerThatCannotReachNatsSaysWhereInOneLine() {
        assertThat(run("worker", "file", "--file-output-dir", System.getProperty("java.io.tmpdir") + "/pgflo-worker-cli",
                "--group", "g", "--nats-url", "nats://127.0.0.1:1", "--status-dir",
                System.getProperty("java.io.tmpdir") + "/pgflo-worker-cli-status")).isEqualTo(ExitCode.USAGE);
        assertThat(err()).startsWith("pg_flo: cannot connect to NATS at nats://127.0.0.1:1").hasLineCount(1);
    }

    @Test
    void workerHelpListsTheNatsAndTheSinksFlags() {
        assertThat(run("worker", "postgres", "--help")).isEqualTo(ExitCode.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--group").contains("--nats-url")
                .contains("--worker-name").contains("--target-host").contains("PGFLO_NATS_PASSWORD")
                .contains("--rules-config").contains("--routing-config").contains("--config").contains("--print-config")
                .contains("--log-level").contains("--metrics-port").contains("--batch-delay-ms");
    }

    @Test
    void pgFlosSpellingsBecomeOurs() {
        assertThat(PgFloWorkerSpellings.translate(new String[] {"worker", "postgres", "--target-sync-schema",
                "--target-disable-foreign-keys", "--retry-max-attempts", "5", "--retry-initial-wait", "1s"}))
                .containsExactly("worker", "postgres", "--sync-schema", "--target-retries", "5");
        assertThat(PgFloWorkerSpellings.translate(new String[] {"worker", "webhook", "--retry-max-attempts=3",
                "--retry-initial-wait", "2s", "--retry-max-wait=1m"}))
                .containsExactly("worker", "webhook", "--webhook-max-attempts=3", "--webhook-backoff-ms=2000",
                        "--webhook-max-backoff-ms=60000");
        assertThat(PgFloWorkerSpellings.translate(new String[] {"worker", "file", "--file-output-dir", "/d"}))
                .containsExactly("worker", "file", "--output-dir", "/d");
    }

    @Test
    void theReplicatorIsTheJetStreamStream() {
        assertThat(ReplicatorCommand.asStream(new String[] {"replicator", "--group", "g"}))
                .containsExactly("stream", "jetstream", "--group", "g");
        assertThat(ReplicatorCommand.asStream(new String[] {"stream", "file"})).containsExactly("stream", "file");
        assertThat(run("replicator", "--help")).isEqualTo(ExitCode.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--nats-url").contains("--partitions")
                .contains("--nats-stream-max-age");
    }
}
