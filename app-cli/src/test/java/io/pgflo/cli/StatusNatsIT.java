package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Position;
import io.pgflo.testkit.JavaProcess;
import io.pgflo.testkit.NatsServer;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pg_flo status --nats-url} against a real replicator and nats-server: the stream, the replicator's published
 * position and lag, and a stopped worker's consumer with what it has pending, as JSON and as text.
 */
@ExtendWith(PostgresExtension.class)
class StatusNatsIT {
    private static final String GROUP = "natsstatus";

    @Test
    void statusShowsTheStreamTheReplicatorsLagAndEachConsumer(TestPostgres pg, @TempDir Path dir) throws Exception {
        String db = pg.createDatabase("status_nats");
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY, v text)");
        Path status = dir.resolve("status");
        Path out = dir.resolve("out");
        try (NatsServer nats = NatsServer.start();
                JavaProcess replicator = ScaleOutProcesses.start(dir.resolve("replicator"), List.of("replicator",
                        "--host", pg.host(), "--port", Integer.toString(pg.port()), "--dbname", db, "--user",
                        TestPostgres.SUPERUSER, "--group", GROUP, "--tables", "t", "--batch-delay-ms", "20",
                        "--status-dir", status.toString(), "--nats-url", nats.url()))) {
            ScaleOutProcesses.awaitSlotActive(pg, db, GROUP, replicator);
            pg.execute(db, "INSERT INTO t VALUES (1, 'a')");
            pg.execute(db, "INSERT INTO t VALUES (2, 'b')");
            try (JavaProcess worker = ScaleOutProcesses.start(dir.resolve("worker"), List.of("worker", "file",
                    "--group", GROUP, "--nats-url", nats.url(), "--worker-name", "archive", "--status-dir",
                    dir.resolve("worker-status").toString(), "--output-dir", out.toString(), "--batch-delay-ms", "20"))) {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (ScaleOutProcesses.fileEvents(out).size() < 2 && System.nanoTime() < deadline) {
                    assertThat(worker.isAlive()).as("worker alive; stderr: %s", worker.stderr()).isTrue();
                    Thread.sleep(100);
                }
                assertThat(ScaleOutProcesses.fileEvents(out)).hasSize(2);
                ScaleOutProcesses.stopCleanly(List.of(worker));
            }
            // Published after the worker stopped: pending on its consumer.
            pg.execute(db, "INSERT INTO t VALUES (3, 'c')");
            pg.execute(db, "INSERT INTO t VALUES (4, 'd')");

            JsonNode report = awaitPending(pg, db, dir, status, nats);
            Lsn server = Lsn.parse(report.get("server_lsn").asText());
            JsonNode stream = report.get("nats");
            assertThat(stream.get("stream").asText()).isEqualTo("pgflo_" + GROUP + "_stream");
            long last = stream.get("last_sequence").asLong();
            assertThat(stream.get("first_sequence").asLong()).isEqualTo(1);
            assertThat(stream.get("messages").asLong()).isEqualTo(last);
            assertThat(stream.get("bytes").asLong()).isPositive();
            assertThat(stream.get("storage").asText()).isEqualTo("file");
            assertThat(stream.get("replicas").asInt()).isEqualTo(1);
            JsonNode published = stream.get("replicator");
            Position position = Position.parse(published.get("published").asText());
            assertThat(published.get("lag_bytes").asLong()).isEqualTo(server.value() - position.lsn().value());
            assertThat(published.get("last_published_at").asText()).endsWith("Z");
            JsonNode consumer = stream.get("consumers").get(0);
            assertThat(stream.get("consumers")).hasSize(1);
            assertThat(consumer.get("name").asText()).isEqualTo("archive");
            assertThat(consumer.get("subject").asText()).isEqualTo("pgflo." + GROUP);
            long floor = consumer.get("ack_floor").asLong();
            assertThat(floor).isPositive().isLessThan(last);
            assertThat(consumer.get("pending").asLong() + consumer.get("ack_pending").asLong())
                    .as("what the stopped worker has not acknowledged").isEqualTo(last - floor);

            PgFloCommand.Ran text = PgFloCommand.run(pg, db, dir, "status", GROUP, "--status-dir", status.toString(),
                    "--nats-url", nats.url());
            assertThat(text.exitCode()).as(text.stderr()).isZero();
            assertThat(text.stdout()).contains("stream pgflo_" + GROUP + "_stream: ")
                    .containsPattern("replicator: published up to \\S+, \\d+ bytes behind the server")
                    .contains("worker archive (pgflo." + GROUP + "): ");

            PgFloCommand.Ran missing = PgFloCommand.run(pg, db, dir, "status", "nosuchgroup", "--status-dir",
                    status.toString(), "--nats-url", nats.url());
            assertThat(missing.exitCode()).isEqualTo(ExitCode.USAGE);
        }
    }

    /** {@code pg_flo status --json --nats-url} once the stopped worker's consumer has a message pending. */
    private static JsonNode awaitPending(TestPostgres pg, String db, Path dir, Path status, NatsServer nats)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            PgFloCommand.Ran json = PgFloCommand.run(pg, db, dir, "status", GROUP, "--status-dir", status.toString(),
                    "--json", "--nats-url", nats.url());
            assertThat(json.exitCode()).as(json.stderr()).isZero();
            JsonNode report = json.json();
            JsonNode consumers = report.get("nats").get("consumers");
            boolean behind = consumers.size() == 1 && consumers.get(0).get("pending").asLong() >= 1;
            if (behind || System.nanoTime() > deadline) {
                return report;
            }
            Thread.sleep(200);
        }
    }
}
