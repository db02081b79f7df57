package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.testkit.JavaProcess;
import io.pgflo.testkit.NatsServer;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-node JetStream cluster (three nats-server processes), the stream kept in three replicas: one node killed
 * (SIGKILL) and restarted while changes are committed. The file worker ends with every change, once.
 */
@ExtendWith(PostgresExtension.class)
class JetStreamClusterIT {

    @Test
    void aNodeKilledAndRestartedDuringTheWorkloadLosesNothing(TestPostgres pg, @TempDir Path dir) throws Exception {
        String db = pg.createDatabase("cluster");
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY, v text)");
        List<NatsServer> cluster = NatsServer.cluster(3);
        List<JavaProcess> processes = new ArrayList<>();
        Path out = dir.resolve("out");
        try {
            String urls = cluster.stream().map(NatsServer::url).collect(Collectors.joining(","));
            processes.add(start(dir, "replicator", "replicator", "--host", pg.host(), "--port",
                    Integer.toString(pg.port()), "--dbname", db, "--user", TestPostgres.SUPERUSER, "--group", "cluster",
                    "--tables", "t", "--batch-delay-ms", "20", "--progress-interval", "0", "--reconnect-backoff-ms",
                    "200", "--status-dir", dir.resolve("status").toString(), "--nats-url", urls,
                    "--nats-stream-replicas", "3"));
            processes.add(start(dir, "worker", "worker", "file", "--group", "cluster", "--nats-url", urls,
                    "--status-dir", dir.resolve("worker-status").toString(), "--output-dir", out.toString(),
                    "--batch-delay-ms", "20"));
            ScaleOutProcesses.awaitSlotActive(pg, db, "cluster", processes.get(0));
            int inserted = 0;
            for (int round = 0; round < 60; round++) {
                if (round == 20) {
                    cluster.get(0).kill();
                }
                if (round == 40) {
                    cluster.get(0).restart();
                }
                pg.execute(db, "INSERT INTO t SELECT g, 'r" + round + "' FROM generate_series(" + (inserted + 1) + ", "
                        + (inserted + 5) + ") g");
                inserted += 5;
                Thread.sleep(50);
            }
            // Liveness, not speed: a worker whose pull request died with a node must pull again within seconds. With
            // the client's default 30 s pulls it sat idle for 75 to 86 s under load, past this bound.
            long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
            while (ids(out).size() < inserted && System.nanoTime() < deadline) {
                for (JavaProcess process : processes) {
                    assertThat(process.isAlive()).as("%s: %s", process, process.stderr()).isTrue();
                }
                Thread.sleep(200);
            }
            List<Integer> ids = ids(out);
            assertThat(ids).as("every change, once; %s", state(urls)).hasSize(inserted);
            assertThat(new HashSet<>(ids)).hasSize(inserted);
            ScaleOutProcesses.stopCleanly(processes);
        } finally {
            processes.forEach(JavaProcess::close);
            cluster.forEach(NatsServer::close);
        }
    }

    /** The stream's and the consumer's state, for a failure's message. */
    private static String state(String urls) {
        try (io.nats.client.Connection connection = io.nats.client.Nats.connect(new io.nats.client.Options.Builder()
                .servers(urls.split(",")).build())) {
            io.nats.client.JetStreamManagement management = connection.jetStreamManagement();
            return management.getStreamInfo("pgflo_cluster_stream").getStreamState() + " / "
                    + management.getConsumerInfo("pgflo_cluster_stream", "file");
        } catch (Exception e) {
            return "no state: " + e;
        }
    }

    private static List<Integer> ids(Path out) throws Exception {
        return ScaleOutProcesses.fileEvents(out).stream().map(event -> event.get("data").get("id").asInt()).toList();
    }

    private static JavaProcess start(Path dir, String name, String... args) {
        return ScaleOutProcesses.start(dir.resolve("logs").resolve(name), List.of(args));
    }
}
