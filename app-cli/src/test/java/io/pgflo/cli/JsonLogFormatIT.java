package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgflo.sink.api.Lsn;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code --log-format json}: every line a real run writes on stderr is one JSON object with the documented fields. */
@ExtendWith(PostgresExtension.class)
class JsonLogFormatIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyLineOfAStreamIsAJsonObjectNamingTheGroupAndTheProgressLinesTheLsn(TestPostgres pg, @TempDir Path dir)
            throws Exception {
        String db = pg.createDatabase("jsonlog");
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY)");
        List<JsonNode> lines;
        try (PgFloProcess stream = PgFloProcess.start(pg, db, "jsonlog", dir.resolve("run"), "stdout", "--tables", "t",
                "--status-dir", dir.resolve("status").toString(), "--log-format", "json", "--progress-interval", "1")) {
            pg.execute(db, "INSERT INTO t VALUES (1)");
            stream.awaitCaughtUp();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!stream.stderr().contains("\"logger\":\"progress\"")) {
                assertThat(System.nanoTime()).as("a progress line; stderr: %s", stream.stderr()).isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(stream.stop()).as(stream.stderr()).isZero();
            lines = parse(stream.stderr());
        }

        assertThat(lines).hasSizeGreaterThanOrEqualTo(3);
        for (JsonNode line : lines) {
            assertThat(line.fieldNames()).toIterable().as(line.toString())
                    .startsWith("time", "level", "logger", "message", "thread", "group");
            assertThat(Instant.parse(line.get("time").asText())).isBefore(Instant.now());
            assertThat(line.get("time").asText()).endsWith("Z");
            assertThat(line.get("level").asText()).isIn("INFO", "WARN");
            assertThat(line.get("group").asText()).isEqualTo("jsonlog");
        }
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.get("message").asText()).startsWith("streaming [public.t] from slot pg_flo_jsonlog_slot");
            assertThat(line.get("logger").asText()).isEqualTo("io.pgflo.wal.PostgresChangeSource");
        });
        assertThat(lines).filteredOn(line -> line.get("logger").asText().equals("progress")).allSatisfy(line -> {
            assertThat(line.get("message").asText()).startsWith("events=");
            assertThat(Lsn.parse(line.get("lsn").asText())).isNotNull();
            assertThat(line.get("thread").asText()).isEqualTo("pg_flo-progress");
        });
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.get("message").asText()).startsWith("stopped cleanly at checkpoint");
            assertThat(line.has("lsn")).isTrue();
        });
    }

    @Test
    void theOneLineAboutAnErrorIsAJsonObjectToo(TestPostgres pg, @TempDir Path dir) {
        String db = pg.createDatabase("jsonlog_error");

        PgFloCommand.Ran ran = PgFloCommand.run(pg, db, dir, "status", "nosuch", "--log-format", "json");

        assertThat(ran.exitCode()).isEqualTo(2);
        List<JsonNode> lines = parse(ran.stderr());
        assertThat(lines).singleElement().satisfies(line -> {
            assertThat(line.get("level").asText()).isEqualTo("ERROR");
            assertThat(line.get("logger").asText()).isEqualTo("pg_flo");
            assertThat(line.get("group").asText()).isEqualTo("nosuch");
            assertThat(line.get("message").asText()).startsWith("there is no group 'nosuch' on ");
        });
    }

    private static List<JsonNode> parse(String stderr) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : stderr.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            try {
                JsonNode json = JSON.readTree(line);
                assertThat(json.isObject()).as(line).isTrue();
                lines.add(json);
            } catch (IOException e) {
                throw new UncheckedIOException("a stderr line that is not JSON: " + line + "\nall of stderr:\n" + stderr, e);
            }
        }
        return lines;
    }
}
