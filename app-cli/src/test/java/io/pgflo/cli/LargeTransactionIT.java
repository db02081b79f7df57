package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.sink.api.Lsn;
import io.pgflo.testkit.JavaProcess;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One transaction far larger than the heap could hold as events streams through a small heap: the batcher splits it.
 * (The 2,000,000-row soak runs from the benchmark tooling; this keeps the normal test run short.)
 */
@ExtendWith(PostgresExtension.class)
class LargeTransactionIT {
    private static final int ROWS = 300_000;

    @Test
    void aTransactionLargerThanTheHeapStreamsWithBoundedMemory(TestPostgres pg, @TempDir Path status) throws Exception {
        String db = pg.createDatabase("large");
        pg.execute(db, "CREATE TABLE big (id bigint PRIMARY KEY, payload text, amount numeric, at timestamptz)");
        try (JavaProcess process = JavaProcess.builder(Main.class)
                .args("stream", "stdout", "--host", pg.host(), "--port", Integer.toString(pg.port()), "--dbname", db,
                        "--user", TestPostgres.SUPERUSER, "--group", "large", "--tables", "big",
                        "--status-dir", status.toString(), "--batch-size", "2000", "--heartbeat-interval", "1")
                .env("PGFLO_PASSWORD", TestPostgres.SUPERUSER_PASSWORD)
                // ~300 bytes of JSON per event: 300,000 events held at once would need several times this heap.
                .jvmArgs("-Xmx48m", "-XX:+ExitOnOutOfMemoryError")
                .start()) {
            for (int i = 0; i < 600 && !"true".equals(pg.queryString(db, "SELECT coalesce((SELECT active::text FROM "
                    + "pg_replication_slots WHERE slot_name = 'pg_flo_large_slot'), 'none')")); i++) {
                Thread.sleep(100);
            }
            pg.execute(db, "INSERT INTO big SELECT g, repeat(md5(g::text), 4), g * 1.5, now() FROM generate_series(1, "
                    + ROWS + ") g");
            Lsn end = Lsn.parse(pg.queryString(db, "SELECT pg_current_wal_insert_lsn()::text"));
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (Lsn.parse(pg.queryString(db, "SELECT confirmed_flush_lsn::text FROM pg_replication_slots "
                    + "WHERE slot_name = 'pg_flo_large_slot'")).isBefore(end)) {
                assertThat(process.isAlive()).as("pg_flo alive (no OutOfMemoryError); stderr: %s", process.stderr()).isTrue();
                assertThat(System.nanoTime()).as("caught up within 180 s").isLessThan(deadline);
                Thread.sleep(200);
            }
            process.terminate();
            assertThat(process.waitFor(Duration.ofSeconds(30))).isTrue();
            assertThat(process.exitCode()).as(process.stderr()).isZero();
            long lines = 0;
            long lastId = 0;
            boolean ordered = true;
            try (BufferedReader reader = Files.newBufferedReader(process.stdoutFile())) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    int at = line.indexOf("\"data\":{\"id\":") + 13;
                    long id = Long.parseLong(line.substring(at, line.indexOf(',', at)));
                    ordered &= id == lastId + 1;
                    lastId = id;
                    lines++;
                }
            }
            assertThat(lines).isEqualTo(ROWS);
            assertThat(ordered).as("rows in order").isTrue();
        }
    }
}
