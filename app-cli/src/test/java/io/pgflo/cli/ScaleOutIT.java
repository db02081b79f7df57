package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgflo.testkit.JavaProcess;
import io.pgflo.testkit.NatsServer;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * pg_flo's scale-out on real servers: one replicator publishing to a real nats-server's JetStream, a file worker and a
 * PostgreSQL worker consuming it, all separate processes. The replicator, each worker and the NATS server are killed
 * (SIGKILL) three times each during a mixed workload: the target must equal the source, and the file must hold every
 * change exactly once.
 */
@ExtendWith(PostgresExtension.class)
class ScaleOutIT {
    private static final String TABLE = "CREATE TABLE t (id int PRIMARY KEY, v text, n bigint)";
    private static final String CHECKSUM = "SELECT count(*) || ':' || coalesce(md5(string_agg(id || '=' || coalesce(v, '') "
            + "|| '/' || coalesce(n::text, ''), ',' ORDER BY id)), '') FROM t";

    @Test
    void replicatorAndWorkersKilledAndNatsRestartedLoseNothingAndRepeatNothing(TestPostgres pg, @TempDir Path dir)
            throws Exception {
        String db = pg.createDatabase("scale_src");
        String target = pg.createDatabase("scale_dst");
        pg.execute(db, TABLE);
        pg.execute(target, TABLE);
        String group = "scaleout";
        Path out = dir.resolve("out");
        try (NatsServer nats = NatsServer.start()) {
            Supplier<JavaProcess> replicator = () -> start(dir, "replicator", List.of("replicator", "--host", pg.host(),
                    "--port", Integer.toString(pg.port()), "--dbname", db, "--user", TestPostgres.SUPERUSER, "--group",
                    group, "--tables", "t", "--batch-delay-ms", "20", "--heartbeat-interval", "1",
                    "--progress-interval", "0", "--reconnect-backoff-ms", "200", "--status-dir",
                    dir.resolve("replicator-status").toString(), "--nats-url", nats.url()));
            Supplier<JavaProcess> fileWorker = () -> start(dir, "file-worker", List.of("worker", "file", "--group", group,
                    "--nats-url", nats.url(), "--status-dir", dir.resolve("file-status").toString(),
                    "--file-output-dir", out.toString(), "--max-file-size", "16384", "--batch-delay-ms", "20",
                    "--worker-lease-ttl", "2s"));
            Supplier<JavaProcess> postgresWorker = () -> start(dir, "pg-worker", List.of("worker", "postgres", "--group",
                    group, "--nats-url", nats.url(), "--status-dir", dir.resolve("pg-status").toString(),
                    "--target-host", pg.host(), "--target-port", Integer.toString(pg.port()), "--target-dbname", target,
                    "--target-user", TestPostgres.SUPERUSER, "--source-host", pg.host(), "--source-port",
                    Integer.toString(pg.port()), "--source-dbname", db, "--source-user", TestPostgres.SUPERUSER,
                    "--tables", "t", "--batch-delay-ms", "20", "--worker-lease-ttl", "2s"));

            List<JavaProcess> all = new ArrayList<>();
            // Workers started first wait for the replicator to make the stream.
            JavaProcess[] running = {null, fileWorker.get(), postgresWorker.get()};
            running[0] = replicator.get();
            all.addAll(List.of(running));
            ScaleOutProcesses.awaitSlotActive(pg, db, group, running[0]);
            Workload workload = new Workload(pg, db);
            Thread writer = new Thread(workload::run, "workload");
            writer.start();
            try {
                List<Supplier<JavaProcess>> starters = List.of(replicator, fileWorker, postgresWorker);
                for (int round = 0; round < 3; round++) {
                    for (int which = 0; which < 3; which++) {
                        pause();
                        assertThat(running[which].isAlive()).as("%s alive; stderr: %s", running[which],
                                running[which].stderr()).isTrue();
                        assertThat(running[which].kill()).isEqualTo(JavaProcess.KILLED_EXIT_CODE);
                        running[which] = starters.get(which).get();
                        all.add(running[which]);
                    }
                    pause();
                    nats.kill();
                    pause();
                    nats.restart();
                }
                workload.stop = true;
                writer.join();
                assertThat(workload.failure).isNull();
                assertThat(workload.transactions).as("transactions committed during the faults").isGreaterThan(20);

                String expected = pg.queryString(db, CHECKSUM);
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (!pg.queryString(target, CHECKSUM).equals(expected) && System.nanoTime() < deadline) {
                    for (JavaProcess process : running) {
                        assertThat(process.isAlive()).as("%s alive; stderr: %s", process, process.stderr()).isTrue();
                    }
                    Thread.sleep(200);
                }
                assertThat(pg.queryString(target, CHECKSUM)).as("target equals source").isEqualTo(expected);
                awaitFileEvents(out, workload.events.get(), running[1]);
                ScaleOutProcesses.stopCleanly(List.of(running));
                assertFileHoldsEveryChangeOnce(ScaleOutProcesses.fileEvents(out), workload);
            } finally {
                writer.interrupt();
                all.forEach(JavaProcess::close);
            }
        }
    }

    private static JavaProcess start(Path dir, String name, List<String> args) {
        return ScaleOutProcesses.start(dir.resolve("logs").resolve(name + "-" + System.nanoTime()), args);
    }

    private static void pause() throws InterruptedException {
        Thread.sleep(ThreadLocalRandom.current().nextLong(300, 900));
    }

    /** Transactions of inserts, updates and deletes, one after the other with short pauses, until stopped. */
    private static final class Workload {
        private final TestPostgres pg;
        private final String db;
        final AtomicInteger events = new AtomicInteger();
        final Map<String, Integer> byType = new HashMap<>();
        volatile Throwable failure;
        volatile boolean stop;
        volatile int transactions;

        Workload(TestPostgres pg, String db) {
            this.pg = pg;
            this.db = db;
        }

        void run() {
            try {
                int next = 1;
                for (int tx = 0; !stop; tx++) {
                    int size = ThreadLocalRandom.current().nextInt(1, 12);
                    List<String> statements = new ArrayList<>(List.of("BEGIN", "INSERT INTO t SELECT g, 'v' || g, g * 7 "
                            + "FROM generate_series(" + next + ", " + (next + size - 1) + ") g"));
                    count("INSERT", size);
                    statements.add("UPDATE t SET v = 'updated-" + tx + "', n = NULL WHERE id = " + next);
                    count("UPDATE", 1);
                    if (tx % 3 == 2 && next > 1) {
                        statements.add("DELETE FROM t WHERE id = " + (next - 1));
                        count("DELETE", 1);
                    }
                    statements.add("COMMIT");
                    pg.execute(db, statements.toArray(String[]::new));
                    next += size;
                    transactions = tx + 1;
                    Thread.sleep(ThreadLocalRandom.current().nextLong(5, 40));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable e) {
                failure = e;
            }
        }

        private synchronized void count(String type, int n) {
            byType.merge(type, n, Integer::sum);
            events.addAndGet(n);
        }
    }

    private static void awaitFileEvents(Path out, int expected, JavaProcess worker) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (ScaleOutProcesses.fileEvents(out).size() >= expected) {
                return;
            }
            assertThat(worker.isAlive()).as("file worker alive; stderr: %s", worker.stderr()).isTrue();
            Thread.sleep(200);
        }
        throw new AssertionError("the file worker wrote " + ScaleOutProcesses.fileEvents(out).size() + " of " + expected + " events");
    }

    private static void assertFileHoldsEveryChangeOnce(List<JsonNode> events, Workload workload) {
        Set<String> positions = new HashSet<>();
        Map<String, Integer> byType = new HashMap<>();
        for (JsonNode event : events) {
            assertThat(positions.add(event.get("commit_lsn").asText() + "#" + event.get("ordinal").asText()))
                    .as("change %s written once", event).isTrue();
            byType.merge(event.get("type").asText(), 1, Integer::sum);
        }
        assertThat(byType).isEqualTo(workload.byType);
        assertThat(events).extracting(e -> io.pgflo.sink.api.Position.of(io.pgflo.sink.api.Lsn.parse(
                e.get("commit_lsn").asText()), e.get("ordinal").asInt())).as("commit order").isSorted();
    }
}
