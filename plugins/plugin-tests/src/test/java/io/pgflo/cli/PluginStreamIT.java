package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgflo.sink.api.Lsn;
import io.pgflo.testkit.JavaProcess;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The example plugin dropped into a plugins directory and run as {@code pg_flo stream table-counts}. */
@ExtendWith(PostgresExtension.class)
class PluginStreamIT {

    @Test
    void theExamplePluginStreamsAndResumesAfterARestartExactlyOnce(TestPostgres pg, @TempDir Path dir) throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.copy(PluginJars.EXAMPLE, plugins.resolve("example-sink.jar"));
        Path countsFile = dir.resolve("counts.json");
        String db = pg.createDatabase("plugin");
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY, v text)");

        try (JavaProcess first = start(pg, db, plugins, dir, countsFile)) {
            awaitActive(pg, db, first);
            pg.execute(db, "INSERT INTO t SELECT g, 'x' FROM generate_series(1, 100) g", "UPDATE t SET v = 'y' WHERE id <= 10");
            awaitCaughtUp(pg, db, first);
            first.terminate();
            assertThat(first.waitFor(Duration.ofSeconds(30))).isTrue();
            assertThat(first.exitCode()).as(first.stderr()).isZero();
        }
        pg.execute(db, "INSERT INTO t SELECT g, 'x' FROM generate_series(101, 150) g", "DELETE FROM t WHERE id <= 5");
        try (JavaProcess second = start(pg, db, plugins, dir, countsFile)) {
            awaitActive(pg, db, second);
            awaitCaughtUp(pg, db, second);
            second.terminate();
            assertThat(second.waitFor(Duration.ofSeconds(30))).isTrue();
            assertThat(second.exitCode()).as(second.stderr()).isZero();
        }
        JsonNode counts = new ObjectMapper().readTree(countsFile.toFile()).get("counts");
        assertThat(counts.get("public.t INSERT").asLong()).isEqualTo(150);
        assertThat(counts.get("public.t UPDATE").asLong()).isEqualTo(10);
        assertThat(counts.get("public.t DELETE").asLong()).isEqualTo(5);
    }

    @Test
    void aPluginSinkIsAFirstClassSubcommandWithHelpAndAListing(@TempDir Path dir) throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.copy(PluginJars.EXAMPLE, plugins.resolve("example-sink.jar"));
        try (JavaProcess help = JavaProcess.builder(Main.class)
                .args("--plugins-dir", plugins.toString(), "stream", "table-counts", "--help").start()) {
            assertThat(help.waitFor(Duration.ofSeconds(30))).isTrue();
            assertThat(help.exitCode()).isZero();
            assertThat(help.stdout()).contains("--counts-file").contains("--dbname");
        }
        try (JavaProcess sinks = JavaProcess.builder(Main.class).args("sinks").env("PGFLO_PLUGINS_DIR", plugins.toString()).start()) {
            assertThat(sinks.waitFor(Duration.ofSeconds(30))).isTrue();
            assertThat(sinks.stdout()).contains("table-counts").contains("plugin example-sink.jar 0.1.0-SNAPSHOT").contains("stdout");
        }
    }

    private static JavaProcess start(TestPostgres pg, String db, Path plugins, Path dir, Path countsFile) {
        return JavaProcess.builder(Main.class)
                .args("--plugins-dir", plugins.toString(), "stream", "table-counts", "--host", pg.host(),
                        "--port", Integer.toString(pg.port()), "--dbname", db, "--user", TestPostgres.SUPERUSER,
                        "--group", "plugin", "--tables", "t", "--status-dir", dir.resolve("status").toString(),
                        "--batch-delay-ms", "50", "--heartbeat-interval", "1", "--counts-file", countsFile.toString())
                .env("PGFLO_PASSWORD", TestPostgres.SUPERUSER_PASSWORD)
                .start();
    }

    private static void awaitActive(TestPostgres pg, String db, JavaProcess process) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            assertThat(process.isAlive()).as("pg_flo running; stderr: %s", process.stderr()).isTrue();
            if ("true".equals(pg.queryString(db, "SELECT coalesce((SELECT active::text FROM pg_replication_slots "
                    + "WHERE slot_name = 'pg_flo_plugin_slot'), 'none')"))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("slot never became active: " + process.stderr());
    }

    private static void awaitCaughtUp(TestPostgres pg, String db, JavaProcess process) throws InterruptedException {
        Lsn end = Lsn.parse(pg.queryString(db, "SELECT pg_current_wal_insert_lsn()::text"));
        for (int i = 0; i < 600; i++) {
            Lsn confirmed = Lsn.parse(pg.queryString(db,
                    "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = 'pg_flo_plugin_slot'"));
            if (!confirmed.isBefore(end)) {
                return;
            }
            assertThat(process.isAlive()).as("pg_flo running; stderr: %s", process.stderr()).isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("pg_flo did not catch up: " + process.stderr());
    }
}
