package io.pgflo.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.domain.Batch;
import io.pgflo.domain.BatchPolicy;
import io.pgflo.domain.Lsn;
import io.pgflo.domain.Pipeline;
import io.pgflo.domain.Sink;
import io.pgflo.testkit.PipelineThread;
import io.pgflo.testkit.TestPostgres;
import io.pgflo.wal.PostgresChangeSource;
import io.pgflo.wal.WalSourceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A benchmark, not a timed test (the name keeps it out of the build's test run): events per second applying a
 * pre-generated workload through the real pipeline into a second server, beside PostgreSQL's own logical replication
 * (CREATE SUBSCRIPTION) applying the same WAL. Both consumers decode the same slot-retained WAL with pgoutput, each
 * starting only after the workload has committed; the clock runs from start to "target checkpoint past the end".
 *
 * <pre>
 * ./mvnw -o -pl sink-postgres test -Dtest=ApplyBenchmark -Dbench.rows=1000000 -Dbench.transactions=20000
 * </pre>
 * Results go to the log and to {@code target/apply-benchmark.txt}.
 */
class ApplyBenchmark {
    private static final int ROWS = Integer.getInteger("bench.rows", 200_000);
    private static final int TRANSACTIONS = Integer.getInteger("bench.transactions", 5_000);

    @Test
    void applyRateBesideNativeLogicalReplication() throws Exception {
        try (TestPostgres sourceServer = TestPostgres.start(); TestPostgres targetServer = TestPostgres.start()) {
            String source = sourceServer.createDatabase("bench_src");
            String pgflo = targetServer.createDatabase("bench_pgflo");
            String nativeDb = targetServer.createDatabase("bench_native");
            String table = "CREATE TABLE bench (id bigint PRIMARY KEY, a int NOT NULL, b text, c timestamptz)";
            sourceServer.execute(source, table, "CREATE PUBLICATION bench_native FOR TABLE bench");
            targetServer.execute(pgflo, table);
            targetServer.execute(nativeDb, table);
            targetServer.execute(nativeDb, "CREATE SUBSCRIPTION bench_native CONNECTION 'host=" + sourceServer.host()
                    + " port=" + sourceServer.port() + " dbname=" + source + " user=postgres password="
                    + TestPostgres.SUPERUSER_PASSWORD + "' PUBLICATION bench_native WITH (copy_data = false, enabled = false)");
            WalSourceConfig config = WalSourceConfig.of(sourceServer.endpoint(source), "bench", "public", List.of("bench"))
                    .withHeartbeatInterval(Duration.ZERO);
            PostgresChangeSource.open(config).close(); // creates the slot, so the workload's WAL is kept for it
            StringBuilder report = new StringBuilder();

            sourceServer.execute(source, "INSERT INTO bench SELECT g, g % 1000, md5(g::text), now() FROM generate_series(1, "
                    + ROWS + ") g");
            Lsn end = marker(sourceServer, source);
            measure("bulk insert of " + ROWS + " rows in one transaction", sourceServer, source, targetServer, pgflo,
                    nativeDb, config, end, report);

            sourceServer.execute(source, """
                    DO $$
                    DECLARE i int; k int;
                    BEGIN
                      FOR i IN 1..%d LOOP
                        FOR k IN 1..4 LOOP
                          INSERT INTO bench VALUES (%d + i * 4 + k, k, md5((i * k)::text), now());
                          UPDATE bench SET a = a + 1, b = md5(b) WHERE id = %d / 2 + i * 4 + k;
                        END LOOP;
                        DELETE FROM bench WHERE id = i * 2;
                        DELETE FROM bench WHERE id = i * 2 + 1;
                        COMMIT;
                      END LOOP;
                    END $$""".formatted(TRANSACTIONS, ROWS, ROWS));
            end = marker(sourceServer, source);
            measure(TRANSACTIONS + " transactions of 10 changes (4 inserts, 4 updates, 2 deletes)", sourceServer, source,
                    targetServer, pgflo, nativeDb, config, end, report);

            String digest = "SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM bench t";
            assertThat(targetServer.queryString(pgflo, digest)).isEqualTo(sourceServer.queryString(source, digest));
            assertThat(targetServer.queryString(nativeDb, digest)).isEqualTo(sourceServer.queryString(source, digest));
            Files.writeString(Path.of("target", "apply-benchmark.txt"), report.toString());
            System.out.print(report);
            targetServer.execute(nativeDb, "ALTER SUBSCRIPTION bench_native DISABLE",
                    "ALTER SUBSCRIPTION bench_native SET (slot_name = NONE)", "DROP SUBSCRIPTION bench_native");
        }
    }

    private static void measure(String workload, TestPostgres sourceServer, String source, TestPostgres targetServer,
            String pgflo, String nativeDb, WalSourceConfig config, Lsn end, StringBuilder report) throws Exception {
        AtomicLong events = new AtomicLong();
        AtomicLong sinkNanos = new AtomicLong();
        long started = System.nanoTime();
        try (PostgresChangeSource changes = PostgresChangeSource.open(config);
                PostgresSink sink = new PostgresSink(PostgresSinkConfig.of(targetServer.endpoint(pgflo), "bench"))) {
            Pipeline pipeline = new Pipeline(changes, counting(sink, events, sinkNanos), BatchPolicy.DEFAULT);
            PipelineThread running = PipelineThread.start(pipeline, "apply-benchmark");
            while (!Lsn.parse(targetServer.queryString(pgflo,
                    "SELECT coalesce(max(lsn), '0/0')::text FROM internal_pg_flo.lsn_status")).isAfter(end)) {
                Thread.sleep(20);
            }
            running.stop(Duration.ofMinutes(5));
        }
        double pgfloSeconds = (System.nanoTime() - started) / 1e9;

        started = System.nanoTime();
        targetServer.execute(nativeDb, "ALTER SUBSCRIPTION bench_native ENABLE");
        String confirmed = "SELECT coalesce(confirmed_flush_lsn, '0/0')::text FROM pg_replication_slots WHERE slot_name = 'bench_native'";
        while (!Lsn.parse(sourceServer.queryString(source, confirmed)).isAfter(end)) {
            Thread.sleep(20);
        }
        double nativeSeconds = (System.nanoTime() - started) / 1e9;
        targetServer.execute(nativeDb, "ALTER SUBSCRIPTION bench_native DISABLE");

        String line = String.format("%s: %d events; pg_flo %.1f s = %.0f events/s (%.1f s of it in the sink); "
                + "CREATE SUBSCRIPTION %.1f s = %.0f events/s%n", workload, events.get(), pgfloSeconds,
                events.get() / pgfloSeconds, sinkNanos.get() / 1e9, nativeSeconds, events.get() / nativeSeconds);
        report.append(line);
        System.out.print(line);
    }

    private static Lsn marker(TestPostgres server, String database) {
        return Lsn.parse(server.queryString(database, "SELECT pg_logical_emit_message(true, 'bench', '')::text"));
    }

    private static Sink counting(PostgresSink sink, AtomicLong events, AtomicLong nanos) {
        return new Sink() {
            @Override
            public Lsn lastCheckpoint() {
                return sink.lastCheckpoint();
            }

            @Override
            public void writeBatch(Batch batch) {
                long start = System.nanoTime();
                sink.writeBatch(batch);
                nanos.addAndGet(System.nanoTime() - start);
                events.addAndGet(batch.size());
            }

            @Override
            public void flush() {
                sink.flush();
            }

            @Override
            public void close() {
                sink.close();
            }
        };
    }
}
