package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Names that need quoting: mixed case, spaces, quotes, reserved words, unicode. */
@ExtendWith(PostgresExtension.class)
class QuotedIdentifiersIT {

    @Test
    void tablesAndColumnsWhoseNamesNeedQuotingStream(TestPostgres pg, @TempDir Path status) throws Exception {
        String db = pg.createDatabase("quoted");
        pg.execute(db, "CREATE SCHEMA \"My Schema\"",
                "CREATE TABLE \"My Schema\".\"Order \"\"Items\"\" ü\" (\"select\" int PRIMARY KEY, \"Has Space\" text, \"ÜberName\" text)");
        try (var process = io.pgflo.testkit.JavaProcess.builder(Main.class)
                .args("stream", "stdout", "--host", pg.host(), "--port", Integer.toString(pg.port()), "--dbname", db,
                        "--user", TestPostgres.SUPERUSER, "--group", "Quoted Group!", "--schema", "My Schema",
                        "--tables", "Order \"Items\" ü", "--status-dir", status.toString(), "--batch-delay-ms", "50")
                .env("PGFLO_PASSWORD", TestPostgres.SUPERUSER_PASSWORD)
                .start()) {
            for (int i = 0; i < 600 && !"true".equals(pg.queryString(db, "SELECT coalesce((SELECT active::text FROM "
                    + "pg_replication_slots WHERE slot_name = 'pg_flo_quoted_group__slot'), 'none')")); i++) {
                assertThat(process.isAlive()).as(process.stderr()).isTrue();
                Thread.sleep(100);
            }
            pg.execute(db, "INSERT INTO \"My Schema\".\"Order \"\"Items\"\" ü\" VALUES (1, 'a b', 'ü')",
                    "UPDATE \"My Schema\".\"Order \"\"Items\"\" ü\" SET \"Has Space\" = 'c' WHERE \"select\" = 1");
            process.awaitOutput("\"c\"", java.time.Duration.ofSeconds(30));
            process.terminate();
            assertThat(process.waitFor(java.time.Duration.ofSeconds(30))).isTrue();
            assertThat(process.exitCode()).isZero();
            List<String> lines = process.stdout().lines().toList();
            assertThat(lines).hasSize(2);
            JsonNode insert = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.get(0));
            assertThat(insert.get("schema").asText()).isEqualTo("My Schema");
            assertThat(insert.get("table").asText()).isEqualTo("Order \"Items\" ü");
            assertThat(insert.get("key").get(0).asText()).isEqualTo("select");
            assertThat(insert.get("data").get("Has Space").asText()).isEqualTo("a b");
            assertThat(insert.get("data").get("ÜberName").asText()).isEqualTo("ü");
        }
    }
}
