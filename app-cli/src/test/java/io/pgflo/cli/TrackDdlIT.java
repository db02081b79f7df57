package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgflo.sink.api.Lsn;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --track-ddl} for sinks other than PostgreSQL: a schema change of a replicated table reaches the sink as a
 * {@code DDL} event in WAL order, between the changes committed before and after it.
 */
@ExtendWith(PostgresExtension.class)
class TrackDdlIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theFileSinkReceivesAnAddColumnBetweenTheChangesAroundIt(TestPostgres pg, @TempDir Path dir) throws Exception {
        String db = pg.createDatabase("ddl_file");
        pg.execute(db, "CREATE TABLE items (id int PRIMARY KEY, name text)");
        Path out = dir.resolve("out");
        try (PgFloProcess run = PgFloProcess.start(pg, db, "ddl_file", dir.resolve("logs"), "file",
                "--output-dir", out.toString(), "--status-dir", dir.resolve("status").toString(),
                "--tables", "items", "--track-ddl")) {
            pg.execute(db, "INSERT INTO items VALUES (1, 'before')");
            pg.execute(db, "ALTER TABLE items ADD COLUMN price numeric(10,2) DEFAULT 0");
            pg.execute(db, "INSERT INTO items VALUES (2, 'after', 9.50)");
            run.awaitCaughtUp();
            assertThat(run.stop()).as(run.stderr()).isZero();
        }
        List<JsonNode> events = FileSinkEvents.read(out);
        assertThat(events).extracting(event -> event.get("type").asText()).containsExactly("INSERT", "DDL", "INSERT");
        assertThat(events.get(0).get("data").get("id").asInt()).isEqualTo(1);
        assertThat(events.get(2).get("data").get("price").asDouble()).isEqualTo(9.5);
        JsonNode ddl = events.get(1);
        assertThat(ddl.get("schema").asText()).isEqualTo("public");
        assertThat(ddl.get("table").asText()).isEqualTo("items");
        JsonNode change = JSON.readTree(ddl.get("ddl").asText());
        assertThat(columnNames(change.get("previous"))).containsExactly("id", "name");
        assertThat(columnNames(change.get("definition"))).containsExactly("id", "name", "price");
        assertThat(change.at("/definition/columns/2/type").asText()).isEqualTo("numeric(10,2)");
        // in WAL order: each event's commit after the one before it
        Lsn previous = Lsn.ZERO;
        for (JsonNode event : events) {
            Lsn commit = Lsn.parse(event.get("commit_lsn").asText());
            assertThat(commit.isBefore(previous)).as("commit %s after %s", commit, previous).isFalse();
            previous = commit;
        }
    }

    @Test
    void withoutTheFlagTheFileSinkGetsNoDdlAndTheSourceNoTrigger(TestPostgres pg, @TempDir Path dir) throws Exception {
        String db = pg.createDatabase("ddl_off");
        pg.execute(db, "CREATE TABLE items (id int PRIMARY KEY, name text)");
        Path out = dir.resolve("out");
        try (PgFloProcess run = PgFloProcess.start(pg, db, "ddl_off", dir.resolve("logs"), "file",
                "--output-dir", out.toString(), "--status-dir", dir.resolve("status").toString(), "--tables", "items")) {
            pg.execute(db, "INSERT INTO items VALUES (1, 'before')");
            pg.execute(db, "ALTER TABLE items ADD COLUMN price numeric(10,2)");
            pg.execute(db, "INSERT INTO items VALUES (2, 'after', 9.50)");
            run.awaitCaughtUp();
            assertThat(run.stop()).as(run.stderr()).isZero();
        }
        assertThat(FileSinkEvents.read(out)).extracting(event -> event.get("type").asText()).containsExactly("INSERT", "INSERT");
        assertThat(pg.queryLong(db, "SELECT count(*) FROM pg_event_trigger")).isZero();
    }

    /** pg_flo's own webhook end-to-end script's command line, flag for flag, with --track-ddl. */
    @Test
    void pgFlosWebhookEndToEndCommandLineRunsAndDeliversTheDdl(TestPostgres pg, @TempDir Path dir) throws Exception {
        String db = pg.createDatabase("ddl_webhook");
        pg.execute(db, "CREATE TABLE users (id int PRIMARY KEY, email text)");
        try (MockWebServer receiver = new MockWebServer()) {
            for (int i = 0; i < 20; i++) {
                receiver.enqueue(new MockResponse().setResponseCode(200));
            }
            receiver.start();
            List<String> args = List.of("stream", "webhook",
                    "--host", pg.host(),
                    "--port", Integer.toString(pg.port()),
                    "--dbname", db,
                    "--user", TestPostgres.SUPERUSER,
                    "--password", TestPostgres.SUPERUSER_PASSWORD,
                    "--group", "group-webhook",
                    "--tables", "users",
                    "--schema", "public",
                    "--status-dir", dir.resolve("status").toString(),
                    "--webhook-url", receiver.url("/events").toString(),
                    "--track-ddl");
            try (PgFloProcess process = PgFloProcess.startExactly(pg, db, "group-webhook", dir.resolve("logs"), args)) {
                pg.execute(db, "INSERT INTO users VALUES (1, 'a@example.com')");
                pg.execute(db, "ALTER TABLE users ADD COLUMN name text");
                pg.execute(db, "INSERT INTO users VALUES (2, 'b@example.com', 'Bea')");
                List<String> types = new ArrayList<>();
                while (types.size() < 3) {
                    RecordedRequest request = receiver.takeRequest(60, TimeUnit.SECONDS);
                    assertThat(request).as("a POST; stderr: %s", process.stderr()).isNotNull();
                    JsonNode body = JSON.readTree(request.getBody().readUtf8());
                    for (JsonNode event : body.isArray() ? body : List.of(body)) {
                        types.add(event.get("type").asText());
                    }
                }
                assertThat(types).containsExactly("INSERT", "DDL", "INSERT");
                assertThat(process.stop()).as(process.stderr()).isZero();
            }
        }
    }

    private static List<String> columnNames(JsonNode definition) {
        List<String> names = new ArrayList<>();
        definition.get("columns").forEach(column -> names.add(column.get("name").asText()));
        return names;
    }

}
