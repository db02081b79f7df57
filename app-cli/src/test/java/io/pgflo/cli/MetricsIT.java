package io.pgflo.cli;

import static io.pgflo.cli.MetricsEndpoint.awaitAtLeast;
import static io.pgflo.cli.MetricsEndpoint.awaitMetric;
import static io.pgflo.cli.MetricsEndpoint.freePort;
import static io.pgflo.cli.MetricsEndpoint.get;
import static io.pgflo.cli.MetricsEndpoint.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.testkit.TestPostgres;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --metrics-port} on a real stream: counters move, the lag returns to 0, readiness follows the source. */
class MetricsIT {
    @Test
    void countersMoveTheLagReturnsToZeroAndReadinessFollowsASourceRestart(@TempDir Path dir) throws Exception {
        int port = freePort();
        try (TestPostgres pg = TestPostgres.start()) {
            String db = pg.createDatabase("metrics");
            pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY, v text)");
            PgFloProcess stream = PgFloProcess.start(pg, db, "metrics", dir.resolve("run"), "stdout", "--tables", "t",
                    "--status-dir", dir.resolve("status").toString(), "--metrics-port", Integer.toString(port));
            try {
                awaitStatus(port, "/health/ready", 200);
                pg.execute(db, "INSERT INTO t SELECT g, 'v' FROM generate_series(1, 500) g");
                pg.execute(db, "UPDATE t SET v = 'w' WHERE id <= 10");
                stream.awaitCaughtUp();
                awaitMetric(port, "pgflo_events_total{group=\"metrics\",op=\"INSERT\",sink=\"stdout\",table=\"public.t\"}",
                        500);
                awaitMetric(port, "pgflo_events_total{group=\"metrics\",op=\"UPDATE\",sink=\"stdout\",table=\"public.t\"}",
                        10);
                awaitAtLeast(port, "pgflo_transactions_total{group=\"metrics\",sink=\"stdout\"}", 2);
                awaitAtLeast(port, "pgflo_commit_to_durable_seconds_count{group=\"metrics\",sink=\"stdout\"}", 2);
                String text = get(port, "/metrics").body();
                assertThat(text).contains("jvm_memory_used_bytes");
                awaitMetric(port, "pgflo_replication_lag_seconds{group=\"metrics\",sink=\"stdout\"}", 0);
                assertThat(get(port, "/health/live").statusCode()).isEqualTo(200);

                List<Integer> seen = new CopyOnWriteArrayList<>();
                List<String> reasons = new CopyOnWriteArrayList<>();
                AtomicBoolean watching = new AtomicBoolean(true);
                Thread watcher = new Thread(() -> {
                    while (watching.get()) {
                        try {
                            HttpResponse<String> ready = get(port, "/health/ready");
                            seen.add(ready.statusCode());
                            if (ready.statusCode() == 503) {
                                reasons.add(ready.body());
                            }
                            Thread.sleep(10);
                        } catch (IOException | InterruptedException e) {
                            return;
                        }
                    }
                });
                watcher.start();
                pg.restart();
                pg.execute(db, "INSERT INTO t VALUES (1000, 'after')");
                stream.awaitCaughtUp();
                awaitStatus(port, "/health/ready", 200);
                watching.set(false);
                watcher.join();
                assertThat(seen).as("not ready while the source was away").contains(503);
                assertThat(reasons).anySatisfy(body -> assertThat(body).contains("reconnecting"));
                String after = get(port, "/metrics").body();
                assertThat(value(after, "pgflo_retries_total{group=\"metrics\",kind=\"source\",sink=\"stdout\"}"))
                        .isGreaterThanOrEqualTo(1);
                assertThat(value(after, "pgflo_slot_retained_wal_bytes{group=\"metrics\",sink=\"stdout\"}"))
                        .as("the slot keeps some WAL").isGreaterThanOrEqualTo(0);
                assertThat(value(after, "pgflo_replication_lag_bytes{group=\"metrics\",sink=\"stdout\"}"))
                        .isGreaterThanOrEqualTo(0);
                assertThat(stream.stop()).as(stream.stderr()).isZero();
            } finally {
                stream.close();
            }
        }
    }

    private static void awaitStatus(int port, String path, int status) throws Exception {
        MetricsEndpoint.awaitStatus(port, path, status, Duration.ofSeconds(60));
    }
}
