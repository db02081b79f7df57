package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgflo.sink.api.Lsn;
import io.pgflo.testkit.JavaProcess;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code --config FILE} against a real PostgreSQL: a stream set up by the file alone, and what a bad file leaves. */
@ExtendWith(PostgresExtension.class)
class ConfigFileIT {

    @Test
    void aStreamToTheFileSinkTakesEverySettingFromTheFile(TestPostgres pg, @TempDir Path dir) throws Exception {
        String db = pg.createDatabase("config_file");
        pg.execute(db, "CREATE TABLE items (id int PRIMARY KEY, name text)", "CREATE TABLE other (id int PRIMARY KEY)");
        Path out = dir.resolve("out");
        Path status = dir.resolve("status");
        // pg_flo's own spelling of the output directory, a YAML list of tables, the password in the file
        Path config = Files.writeString(dir.resolve("pg_flo.yaml"), """
                host: "%s"
                port: %d
                dbname: %s
                user: %s
                password: %s
                group: from_file
                tables:
                  - items
                file-output-dir: %s
                status-dir: %s
                batch-delay-ms: 20
                heartbeat-interval: 1
                progress-interval: 0
                nats-url: "nats://localhost:4222"
                """.formatted(pg.host(), pg.port(), db, TestPostgres.SUPERUSER, TestPostgres.SUPERUSER_PASSWORD, out,
                status));
        try (JavaProcess process = JavaProcess.builder(Main.class).args("stream", "file", "--config", config.toString())
                .jvmArgs("-Xmx128m").logDirectory(dir.resolve("logs")).start()) {
            awaitSlot(pg, db, "pg_flo_from_file_slot", process);
            pg.execute(db, "INSERT INTO items VALUES (1, 'one'), (2, 'two')", "INSERT INTO other VALUES (1)",
                    "UPDATE items SET name = 'uno' WHERE id = 1");
            awaitCaughtUp(pg, db, "pg_flo_from_file_slot", process);
            process.terminate();
            assertThat(process.waitFor(Duration.ofSeconds(60))).isTrue();
            assertThat(process.exitCode()).as(process.stderr()).isZero();
            assertThat(process.stderr()).contains(config + ":14:1: 'nats-url' is ignored");
        }
        List<JsonNode> events = TrackDdlIT.fileEvents(out);
        assertThat(events).extracting(e -> e.get("table").asText() + " " + e.get("type").asText())
                .containsExactly("items INSERT", "items INSERT", "items UPDATE");
        assertThat(status.toFile().list()).isNotEmpty();

        // status and drop take the source, the group and the checkpoints from the same file, and leave out its tables
        PgFloCommand.Ran shown = run(dir, "status", "--config", config.toString());
        assertThat(shown.exitCode()).as(shown.stderr()).isZero();
        assertThat(shown.stdout()).contains("slot pg_flo_from_file_slot").contains("public.items");
        PgFloCommand.Ran dropped = run(dir, "drop", "--config", config.toString());
        assertThat(dropped.exitCode()).as(dropped.stderr()).isZero();
        assertThat(pg.queryLong(db, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'pg_flo_from_file_slot'"))
                .isZero();
    }

    @Test
    void printConfigConnectsNowhereAndShowsNoSecret(TestPostgres pg, @TempDir Path dir) throws Exception {
        String db = pg.createDatabase("config_print");
        pg.execute(db, "CREATE TABLE items (id int PRIMARY KEY)");
        Path config = Files.writeString(dir.resolve("pg_flo.yaml"), """
                host: "%s"
                port: %d
                dbname: %s
                user: %s
                password: "src-pa55"
                group: printed
                target-host: "%s"
                target-dbname: %s
                target-user: %s
                """.formatted(pg.host(), pg.port(), db, TestPostgres.SUPERUSER, pg.host(), db, TestPostgres.SUPERUSER));
        PgFloCommand.Ran printed;
        try (JavaProcess process = JavaProcess.builder(Main.class)
                .args("stream", "postgres", "--config", config.toString(), "--print-config", "--track-ddl", "false")
                .env("PGFLO_TARGET_PASSWORD", "tgt-pa55").jvmArgs("-Xmx64m").logDirectory(dir.resolve("logs")).start()) {
            assertThat(process.waitFor(Duration.ofSeconds(60))).isTrue();
            printed = new PgFloCommand.Ran(process.exitCode(), process.stdout(), process.stderr());
        }
        assertThat(printed.exitCode()).as(printed.stderr()).isZero();
        assertThat(printed.stdout() + printed.stderr()).doesNotContain("src-pa55").doesNotContain("tgt-pa55");
        assertThat(printed.stdout())
                .contains("password: \"****\"  # file " + config + ":5:11")
                .contains("target-password: \"****\"  # env PGFLO_TARGET_PASSWORD")
                .contains("track-ddl: false  # flag")
                .contains("host: \"" + pg.host() + "\"  # file " + config + ":1:7");
        assertNothingOnTheSource(pg, db, "printed");
    }

    @Test
    void aBadConfigFileIsOneLineAndCreatesNothing(TestPostgres pg, @TempDir Path dir) throws Exception {
        String db = pg.createDatabase("config_bad");
        pg.execute(db, "CREATE TABLE items (id int PRIMARY KEY)");
        Path config = Files.writeString(dir.resolve("pg_flo.yaml"), """
                host: "%s"
                port: %d
                dbname: %s
                user: %s
                group: typo
                output-dir: %s
                tabels: [items]
                """.formatted(pg.host(), pg.port(), db, TestPostgres.SUPERUSER, dir.resolve("out")));
        PgFloCommand.Ran ran = run(dir, "stream", "file", "--config", config.toString());
        assertThat(ran.exitCode()).isEqualTo(2);
        assertThat(ran.stderr()).isEqualTo("pg_flo: " + config + ":7:1: unknown key 'tabels'; did you mean 'tables'?; "
                + "keys are the long flag names without '--' (see pg_flo stream <sink> --help)" + System.lineSeparator());
        assertNothingOnTheSource(pg, db, "typo");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    private static PgFloCommand.Ran run(Path dir, String... args) {
        try (JavaProcess process = JavaProcess.builder(Main.class).args(List.of(args)).jvmArgs("-Xmx64m")
                .logDirectory(dir.resolve(args[0] + "-" + System.nanoTime())).start()) {
            assertThat(process.waitFor(Duration.ofSeconds(90))).as("pg_flo %s returned", args[0]).isTrue();
            return new PgFloCommand.Ran(process.exitCode(), process.stdout(), process.stderr());
        }
    }

    private static void assertNothingOnTheSource(TestPostgres pg, String db, String group) {
        assertThat(pg.queryLong(db, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'pg_flo_" + group
                + "_slot'")).isZero();
        assertThat(pg.queryLong(db, "SELECT count(*) FROM pg_publication WHERE pubname = 'pg_flo_" + group
                + "_publication'")).isZero();
        assertThat(pg.queryLong(db, "SELECT count(*) FROM pg_namespace WHERE nspname = 'internal_pg_flo'")).isZero();
    }

    private static void awaitSlot(TestPostgres pg, String db, String slot, JavaProcess process) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("pg_flo running; stderr: %s", process.stderr()).isTrue();
            if ("true".equals(pg.queryString(db, "SELECT coalesce((SELECT active::text FROM pg_replication_slots "
                    + "WHERE slot_name = '" + slot + "'), 'none')"))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(slot + " never became active: " + process.stderr());
    }

    private static void awaitCaughtUp(TestPostgres pg, String db, String slot, JavaProcess process) throws Exception {
        Lsn end = Lsn.parse(pg.queryString(db, "SELECT pg_current_wal_insert_lsn()::text"));
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            Lsn confirmed = Lsn.parse(pg.queryString(db,
                    "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = '" + slot + "'"));
            if (!confirmed.isBefore(end)) {
                return;
            }
            assertThat(process.isAlive()).as("pg_flo running; stderr: %s", process.stderr()).isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("pg_flo did not catch up to " + end + ": " + process.stderr());
    }
}
