package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgflo.plugintestkit.PgFloProcess;
import io.pgflo.plugintestkit.PgFloRun;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example plugin run as {@code pg_flo stream table-counts} from pg_flo.jar, through the plugin test kit: the test
 * a plugin's author writes, and the kit's own proof.
 */
@ExtendWith(PostgresExtension.class)
class PluginStreamIT {

    @Test
    void theExamplePluginStreamsAndResumesAfterARestartExactlyOnce(TestPostgres pg, @TempDir Path dir) throws Exception {
        Path countsFile = dir.resolve("counts.json");
        String db = pg.createDatabase("plugin");
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY, v text)");
        PgFloRun run = PgFloRun.with(PluginJars.EXAMPLE).source(pg, db).tables("t")
                .sink("table-counts", "--counts-file", countsFile);

        try (PgFloProcess first = run.start()) {
            first.awaitStreaming();
            pg.execute(db, "INSERT INTO t SELECT g, 'x' FROM generate_series(1, 100) g", "UPDATE t SET v = 'y' WHERE id <= 10");
            first.awaitCaughtUp();
            assertThat(first.stop()).as(first.stderr()).isZero();
        }
        pg.execute(db, "INSERT INTO t SELECT g, 'x' FROM generate_series(101, 150) g", "DELETE FROM t WHERE id <= 5");
        try (PgFloProcess second = run.start()) {
            second.awaitStreaming();
            second.awaitCaughtUp();
            assertThat(second.stop()).as(second.stderr()).isZero();
        }
        JsonNode counts = new ObjectMapper().readTree(countsFile.toFile()).get("counts");
        assertThat(counts.get("public.t INSERT").asLong()).isEqualTo(150);
        assertThat(counts.get("public.t UPDATE").asLong()).isEqualTo(10);
        assertThat(counts.get("public.t DELETE").asLong()).isEqualTo(5);
    }

    @Test
    void aPluginSinkIsAFirstClassSubcommandWithHelpAndAListing() {
        PgFloRun run = PgFloRun.with(PluginJars.EXAMPLE);
        try (PgFloProcess help = run.command("stream", "table-counts", "--help")) {
            assertThat(help.awaitExit()).isZero();
            assertThat(help.stdout()).contains("--counts-file").contains("--dbname");
        }
        try (PgFloProcess sinks = run.command("sinks")) {
            assertThat(sinks.awaitExit()).isZero();
            assertThat(sinks.stdout()).contains("table-counts").contains("plugin example-sink.jar 0.1.0-SNAPSHOT").contains("stdout");
        }
    }
}
