package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgflo.testkit.JavaProcess;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
        Path config = Files.writeString(dir.resolve("pg_flo.yaml"), source(pg, db) + """
                password: %s
                group: from_file
                tables:
                  - items
                file-output-dir: %s
                status-dir: %s
                batch-delay-ms: 20
                heartbeat-interval: 1
                progress-interval: 0
                target-disable-foreign-keys: true
                """.formatted(TestPostgres.SUPERUSER_PASSWORD, out, status));
        try (PgFloProcess process = PgFloProcess.startExactly(pg, db, "from_file", dir.resolve("logs"),
                List.of("stream", "file", "--config", config.toString()))) {
            pg.execute(db, "INSERT INTO items VALUES (1, 'one'), (2, 'two')", "INSERT INTO other VALUES (1)",
                    "UPDATE items SET name = 'uno' WHERE id = 1");
            process.awaitCaughtUp();
            assertThat(process.stop()).as(process.stderr()).isZero();
            assertThat(process.stderr()).contains(config + ":14:1: 'target-disable-foreign-keys' is ignored");
        }
        List<JsonNode> events = FileSinkEvents.read(out);
        assertThat(events).extracting(e -> e.get("table").asText() + " " + e.get("type").asText())
                .containsExactly("items INSERT", "items INSERT", "items UPDATE");
        assertThat(status.toFile().list()).isNotEmpty();

        // status and drop take the source, the group and the checkpoints from the same file, and leave out its tables
        PgFloCommand.Ran shown = run(dir, Map.of(), "status", "--config", config.toString());
        assertThat(shown.exitCode()).as(shown.stderr()).isZero();
        assertThat(shown.stdout()).contains("slot pg_flo_from_file_slot").contains("public.items");
        PgFloCommand.Ran dropped = run(dir, Map.of(), "drop", "--config", config.toString());
        assertThat(dropped.exitCode()).as(dropped.stderr()).isZero();
        assertThat(pg.queryLong(db, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'pg_flo_from_file_slot'"))
                .isZero();
    }

    @Test
    void printConfigConnectsNowhereAndShowsNoSecret(TestPostgres pg, @TempDir Path dir) throws Exception {
        String db = pg.createDatabase("config_print");
        pg.execute(db, "CREATE TABLE items (id int PRIMARY KEY)");
        Path config = Files.writeString(dir.resolve("pg_flo.yaml"), source(pg, db) + """
                password: "src-pa55"
                group: printed
                target-host: "%s"
                target-dbname: %s
                target-user: %s
                """.formatted(pg.host(), db, TestPostgres.SUPERUSER));
        PgFloCommand.Ran printed = run(dir, Map.of("PGFLO_TARGET_PASSWORD", "tgt-pa55"),
                "stream", "postgres", "--config", config.toString(), "--print-config", "--track-ddl", "false");
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
        Path config = Files.writeString(dir.resolve("pg_flo.yaml"), source(pg, db) + """
                group: typo
                output-dir: %s
                tabels: [items]
                """.formatted(dir.resolve("out")));
        PgFloCommand.Ran ran = run(dir, Map.of(), "stream", "file", "--config", config.toString());
        assertThat(ran.exitCode()).isEqualTo(2);
        assertThat(ran.stderr()).isEqualTo("pg_flo: " + config + ":7:1: unknown key 'tabels'; did you mean 'tables'?; "
                + "keys are the long flag names without '--' (see pg_flo stream <sink> --help)" + System.lineSeparator());
        assertNothingOnTheSource(pg, db, "typo");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    /** The first lines of a config file: the test server and database, as the superuser. */
    private static String source(TestPostgres pg, String db) {
        return "host: \"%s\"\nport: %d\ndbname: %s\nuser: %s\n".formatted(pg.host(), pg.port(), db,
                TestPostgres.SUPERUSER);
    }

    @Test
    void theFilesLogFormatCountsFromTheFirstLine(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("pg_flo.yaml"), "log-format: json\nouput-dir: /out\n");
        PgFloCommand.Ran ran = run(dir, Map.of(), "stream", "file", "--config", config.toString(), "--dbname", "d",
                "--user", "u", "--group", "g");
        assertThat(ran.exitCode()).isEqualTo(2);
        assertThat(ran.stderr().lines().toList()).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(ran.stderr());
        assertThat(line.get("message").asText()).isEqualTo(config + ":2:1: unknown key 'ouput-dir'; did you mean "
                + "'output-dir'?; keys are the long flag names without '--' (see pg_flo stream <sink> --help)");
    }

    private static PgFloCommand.Ran run(Path dir, Map<String, String> env, String... args) {
        try (JavaProcess process = JavaProcess.builder(Main.class).args(List.of(args)).env(env).jvmArgs("-Xmx64m")
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
}
