package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgflo.domain.Lsn;
import io.pgflo.testkit.JavaProcess;
import io.pgflo.testkit.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A real {@code pg_flo stream stdout} process against a test database, and what it printed. */
final class StdoutStream implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final TestPostgres pg;
    private final String database;
    private final String group;
    private final JavaProcess process;

    private StdoutStream(TestPostgres pg, String database, String group, JavaProcess process) {
        this.pg = pg;
        this.database = database;
        this.group = group;
        this.process = process;
    }

    static StdoutStream start(TestPostgres pg, String database, String group, Path statusDir, String tables) {
        JavaProcess process = JavaProcess.builder(Main.class)
                .args("stream", "stdout", "--host", pg.host(), "--port", Integer.toString(pg.port()), "--dbname", database,
                        "--user", TestPostgres.SUPERUSER, "--group", group, "--tables", tables,
                        "--status-dir", statusDir.toString(), "--batch-delay-ms", "50", "--heartbeat-interval", "1",
                        "--reconnect-backoff-ms", "200",
                        "--progress-interval", "0")
                .env("PGFLO_PASSWORD", TestPostgres.SUPERUSER_PASSWORD)
                .jvmArgs("-Xmx256m")
                .start();
        StdoutStream stream = new StdoutStream(pg, database, group, process);
        stream.awaitSlotActive();
        return stream;
    }

    private void awaitSlotActive() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("pg_flo exited with " + process.exitCode() + ": " + process.stderr());
            }
            String active = pg.queryString(database, "SELECT coalesce((SELECT active::text FROM pg_replication_slots "
                    + "WHERE slot_name = 'pg_flo_" + group + "_slot'), 'none')");
            if ("true".equals(active)) {
                return;
            }
            process.waitFor(Duration.ofMillis(50));
        }
        throw new IllegalStateException("pg_flo did not start streaming: " + process.stderr());
    }

    /** Waits until the slot is acknowledged past everything committed so far: all of it is on stdout. */
    void awaitCaughtUp() {
        Lsn end = Lsn.parse(pg.queryString(database, "SELECT pg_current_wal_insert_lsn()::text"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String confirmed = pg.queryString(database,
                    "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = 'pg_flo_" + group + "_slot'");
            if (!Lsn.parse(confirmed).isBefore(end)) {
                return;
            }
            assertThat(process.isAlive()).as("pg_flo alive; stderr: %s", process.stderr()).isTrue();
            process.waitFor(Duration.ofMillis(100));
        }
        throw new AssertionError("pg_flo did not catch up to " + end + "; stderr: " + process.stderr());
    }

    /** SIGTERM, and the exit status. */
    int stop() {
        process.terminate();
        assertThat(process.waitFor(Duration.ofSeconds(30))).as("stopped within 30 s").isTrue();
        return process.exitCode();
    }

    int kill() {
        return process.kill();
    }

    String stderr() {
        return process.stderr();
    }

    List<JsonNode> events() {
        List<JsonNode> events = new ArrayList<>();
        String out = process.stdout();
        for (String line : out.split("\n")) {
            if (!line.isEmpty()) {
                try {
                    events.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException("stdout line is not JSON: " + line, e);
                }
            }
        }
        return events;
    }

    String rawStdout() {
        return process.stdout();
    }

    @Override
    public void close() {
        process.close();
    }
}
