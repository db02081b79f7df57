package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Position;
import io.pgflo.testkit.JavaProcess;
import io.pgflo.testkit.NatsServer;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --partitions 2} on the replicator and two webhook workers, one per partition, delivering to a real local HTTP
 * server: every change arrives, each row's changes in commit order, and both partitions carry a share.
 */
@ExtendWith(PostgresExtension.class)
class PartitionedWorkersIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS = 40;
    private static final int ROUNDS = 6;

    @Test
    void twoPartitionsDeliverEveryChangeInOrderPerRow(TestPostgres pg, @TempDir Path dir) throws Exception {
        String db = pg.createDatabase("partitions");
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY, v int)");
        ConcurrentLinkedQueue<String[]> received = new ConcurrentLinkedQueue<>();
        List<JavaProcess> processes = new ArrayList<>();
        try (NatsServer nats = NatsServer.start(); MockWebServer receiver = new MockWebServer()) {
            receiver.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    received.add(new String[] {request.getPath(), request.getBody().readUtf8()});
                    return new MockResponse().setResponseCode(200);
                }
            });
            receiver.start();
            processes.add(start(dir, "replicator", "replicator", "--host", pg.host(), "--port",
                    Integer.toString(pg.port()), "--dbname", db, "--user", TestPostgres.SUPERUSER, "--group", "parts",
                    "--tables", "t", "--batch-delay-ms", "20", "--progress-interval", "0", "--status-dir",
                    dir.resolve("status").toString(), "--nats-url", nats.url(), "--partitions", "2"));
            ScaleOutProcesses.awaitSlotActive(pg, db, "parts", processes.get(0));
            int metricsPort;
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                metricsPort = socket.getLocalPort();
            }
            for (int p = 0; p < 2; p++) {
                processes.add(start(dir, "worker-" + p, "worker", "webhook", "--group", "parts", "--nats-url",
                        nats.url(), "--partition", Integer.toString(p), "--status-dir",
                        dir.resolve("status-" + p).toString(), "--webhook-url", receiver.url("/p" + p).toString(),
                        "--batch-delay-ms", "20", "--metrics-port", Integer.toString(p == 0 ? metricsPort : 0)));
            }
            pg.execute(db, "INSERT INTO t SELECT g, 0 FROM generate_series(1, " + ROWS + ") g");
            for (int round = 1; round <= ROUNDS; round++) {
                // Each round touches every row, in transactions of several rows: they span both partitions.
                for (int first = 1; first <= ROWS; first += 8) {
                    pg.execute(db, "UPDATE t SET v = " + round + " WHERE id BETWEEN " + first + " AND " + (first + 7));
                }
            }
            int expected = ROWS + ROWS * ROUNDS;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (distinct(received).size() < expected && System.nanoTime() < deadline) {
                for (JavaProcess process : processes) {
                    assertThat(process.isAlive()).as("%s: %s", process, process.stderr()).isTrue();
                }
                Thread.sleep(100);
            }
            Map<String, JsonNode> events = distinct(received);
            assertThat(events).as("every change delivered").hasSize(expected);

            Map<Integer, List<Position>> perRow = new HashMap<>();
            Map<String, Integer> perPath = new HashMap<>();
            for (String[] request : received) {
                JsonNode event = JSON.readTree(request[1]);
                perPath.merge(request[0], 1, Integer::sum);
                perRow.computeIfAbsent(event.get("data").get("id").asInt(), id -> new ArrayList<>()).add(
                        Position.of(Lsn.parse(event.get("commit_lsn").asText()), event.get("ordinal").asInt()));
            }
            assertThat(perPath).as("both partitions carry rows").containsOnlyKeys("/p0", "/p1");
            for (Map.Entry<Integer, List<Position>> row : perRow.entrySet()) {
                assertThat(row.getValue()).as("row %s: its changes in commit order", row.getKey()).isSorted();
                assertThat(row.getValue()).as("row %s: one insert and %s updates", row.getKey(), ROUNDS)
                        .hasSize(ROUNDS + 1);
            }
            String metrics = new String(java.net.URI.create("http://127.0.0.1:" + metricsPort + "/metrics").toURL()
                    .openStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(metrics).contains("pgflo_nats_consumer_pending_messages{consumer=\"webhook-p0\",group=\"parts\"}")
                    .contains("pgflo_events_total{");
            try (JavaProcess status = start(dir, "status", "status", "--host", pg.host(), "--port",
                    Integer.toString(pg.port()), "--dbname", db, "--user", TestPostgres.SUPERUSER, "--group", "parts",
                    "--status-dir", dir.resolve("status").toString(), "--nats-url", nats.url())) {
                assertThat(status.waitFor(Duration.ofSeconds(60))).isTrue();
                assertThat(status.exitCode()).as(status.stderr()).isZero();
                assertThat(status.stdout()).contains("stream pgflo_parts_stream: ")
                        .contains("replicator: published up to ").contains("worker webhook-p0 (pgflo.parts.0): ")
                        .contains("worker webhook-p1 (pgflo.parts.1): ");
            }
            ScaleOutProcesses.stopCleanly(processes);
        } finally {
            processes.forEach(JavaProcess::close);
        }
    }

    /** Deliveries by change (commit LSN and ordinal): a redelivery counts once. */
    private static Map<String, JsonNode> distinct(ConcurrentLinkedQueue<String[]> received) throws Exception {
        Map<String, JsonNode> events = new LinkedHashMap<>();
        for (String[] request : received) {
            JsonNode event = JSON.readTree(request[1]);
            events.putIfAbsent(event.get("commit_lsn").asText() + "#" + event.get("ordinal").asText(), event);
        }
        return events;
    }

    private static JavaProcess start(Path dir, String name, String... args) {
        return ScaleOutProcesses.start(dir.resolve("logs").resolve(name), List.of(args));
    }
}
