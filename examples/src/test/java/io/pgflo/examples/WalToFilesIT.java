package io.pgflo.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.file.FileSinkConfig;
import io.pgflo.testkit.JavaProcess;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@link WalToFiles} against a real PostgreSQL: what the files hold, a clean stop, and a resume. */
@ExtendWith(PostgresExtension.class)
class WalToFilesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GROUP = "example_files";

    @TempDir
    Path temp;

    @Test
    void writesEachChangeOnceStopsCleanlyAndResumesAfterItsCheckpoint(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("example_files");
        try {
            pg.execute(db, "CREATE TABLE items (id int PRIMARY KEY, name text)");
            DatabaseEndpoint source = pg.endpoint(db);
            Path out = temp.resolve("out");
            Path status = temp.resolve("status");
            ReplicationSlot slot = new ReplicationSlot(pg, db, GROUP);
            ExampleRun.Program program = stop -> WalToFiles.run(source, GROUP, List.of("items"), out, status, stop);

            List<String> firstRun = List.of("INSERT {\"id\":1,\"name\":\"apple\"}", "INSERT {\"id\":2,\"name\":\"pear\"}",
                    "INSERT {\"id\":3,\"name\":\"plum\"}", "UPDATE {\"id\":2,\"name\":\"green pear\"}", "DELETE {\"id\":3}");
            Lsn firstStop;
            try (ExampleRun run = ExampleRun.start("wal-to-files", program)) {
                slot.awaitStreaming(run::assertRunning);
                pg.execute(db, "INSERT INTO items VALUES (1, 'apple'), (2, 'pear'), (3, 'plum')",
                        "UPDATE items SET name = 'green pear' WHERE id = 2", "DELETE FROM items WHERE id = 3");
                run.awaitUntil("5 changes in the files", () -> changes(out).size() >= firstRun.size());
                firstStop = run.stop().lsn(); // a clean stop checkpoints after a whole transaction
            }
            assertThat(changes(out)).containsExactlyElementsOf(firstRun);
            assertStoppedCleanly(slot, status, firstStop);

            // Written while nothing streams: the slot keeps them for the next run.
            pg.execute(db, "INSERT INTO items VALUES (4, 'fig')", "UPDATE items SET name = 'red apple' WHERE id = 1");
            List<String> everything = new ArrayList<>(firstRun);
            everything.addAll(List.of("INSERT {\"id\":4,\"name\":\"fig\"}", "UPDATE {\"id\":1,\"name\":\"red apple\"}"));
            Lsn secondStop;
            try (ExampleRun run = ExampleRun.start("wal-to-files-again", program)) {
                run.awaitUntil("7 changes in the files", () -> changes(out).size() >= everything.size());
                secondStop = run.stop().lsn(); // a clean stop checkpoints after a whole transaction
            }
            assertThat(changes(out)).as("the first run's changes once, then the rest")
                    .containsExactlyElementsOf(everything);
            assertThat(secondStop).isGreaterThan(firstStop);
            assertStoppedCleanly(slot, status, secondStop);
        } finally {
            pg.dropDatabase(db);
        }
    }

    @Test
    void mainTakesItsSettingsFromArgumentsAndEnvironmentAndStopsCleanlyOnSigterm(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("example_files_main");
        try {
            pg.execute(db, "CREATE TABLE items (id int PRIMARY KEY, name text)");
            Path out = temp.resolve("out");
            Path status = temp.resolve("status");
            try (JavaProcess main = JavaProcess.builder(WalToFiles.class)
                    .args("example_files_main", out.toString(), status.toString(), "items")
                    .env(Map.of("PGFLO_HOST", pg.host(), "PGFLO_PORT", String.valueOf(pg.port()), "PGFLO_DBNAME", db,
                            "PGFLO_USER", TestPostgres.SUPERUSER, "PGFLO_PASSWORD", TestPostgres.SUPERUSER_PASSWORD))
                    .start()) {
                Runnable stillRunning = () -> assertThat(main.isAlive()).as("running; stderr: %s", main.stderr()).isTrue();
                new ReplicationSlot(pg, db, "example_files_main").awaitStreaming(stillRunning);
                pg.execute(db, "INSERT INTO items VALUES (1, 'apple')", "DELETE FROM items WHERE id = 1");
                Await.until("2 changes in the files", () -> changes(out).size() >= 2, stillRunning);
                main.terminate();
                assertThat(main.waitFor(ExampleRun.PATIENCE)).as("stopped within %s", ExampleRun.PATIENCE).isTrue();
                assertThat(changes(out)).containsExactly("INSERT {\"id\":1,\"name\":\"apple\"}", "DELETE {\"id\":1}");
                assertThat(main.stderr()).contains("stopped cleanly at checkpoint " + savedCheckpoint(status));
            }
        } finally {
            pg.dropDatabase(db);
        }
    }

    /** The run returned its checkpoint, saved it, acknowledged it to the slot and let go of the slot. */
    private static void assertStoppedCleanly(ReplicationSlot slot, Path status, Lsn stoppedAt) throws IOException {
        assertThat(savedCheckpoint(status)).as("saved checkpoint").isEqualTo(stoppedAt);
        slot.awaitReleased();
        assertThat(slot.confirmedPosition()).as("position acknowledged to the slot").isEqualTo(stoppedAt);
    }

    private static Lsn savedCheckpoint(Path status) throws IOException {
        return Lsn.parse(JSON.readTree(status.resolve(FileSinkConfig.STATUS_FILE).toFile()).get("lsn").asText());
    }

    /** Every change in the files, in file then line order, as {@code TYPE row} (the old key for a DELETE). */
    private static List<String> changes(Path out) {
        if (!Files.isDirectory(out)) {
            return List.of();
        }
        List<String> changes = new ArrayList<>();
        try (Stream<Path> files = Files.list(out)) {
            for (Path file : files.filter(file -> file.getFileName().toString().endsWith(".jsonl")).sorted().toList()) {
                String content = Files.readString(file);
                // The sink may be writing: a line counts once it is whole.
                for (String line : content.substring(0, content.lastIndexOf('\n') + 1).lines().toList()) {
                    JsonNode event = JSON.readTree(line);
                    JsonNode row = event.has("data") ? event.get("data") : event.get("old_data");
                    changes.add(event.get("type").asText() + " " + row);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return changes;
    }
}
