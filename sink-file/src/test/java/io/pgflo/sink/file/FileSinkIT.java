package io.pgflo.sink.file;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgflo.domain.BatchPolicy;
import io.pgflo.sink.api.Lsn;
import io.pgflo.domain.Pipeline;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.PipelineThread;
import io.pgflo.testkit.TestPostgres;
import io.pgflo.testkit.Workload;
import io.pgflo.wal.PostgresChangeSource;
import io.pgflo.wal.WalSourceConfig;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The file sink behind the real pipeline and the real replication stream. */
@ExtendWith(PostgresExtension.class)
class FileSinkIT {
    private static final Duration CATCH_UP = Duration.ofSeconds(120);

    @TempDir
    Path temp;

    @Test
    void streamOnlyScenarioLeavesExactly1000Inserts500Updates250DeletesInCommitOrder(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("file_users");
        try {
            Workload.createUsersTable(pg, db);
            Path out = temp.resolve("out");
            FileSinkConfig config = FileSinkConfig.of(out, temp.resolve("status")).withMaxFileSize(64 * 1024);
            try (RunningPipeline running = RunningPipeline.start(pg, db, "file_users", "users", config)) {
                Workload.runUsersScenario(pg, db, 1000, 500, 250);
                running.awaitLines(out, 1750);
            }

            List<JsonNode> events = OutputFiles.events(out);
            assertThat(events).hasSize(1750);
            assertThat(events).allSatisfy(event -> assertThat(event.get("table").asText()).isEqualTo("users"));
            List<String> types = events.stream().map(event -> event.get("type").asText()).toList();
            assertThat(types.subList(0, 1000)).containsOnly("INSERT");
            assertThat(types.subList(1000, 1500)).containsOnly("UPDATE");
            assertThat(types.subList(1500, 1750)).containsOnly("DELETE");
            assertThat(events.subList(0, 1000).stream().map(event -> event.get("data").get("id").asLong()))
                    .isEqualTo(LongStream.rangeClosed(1, 1000).boxed().toList());
            assertThat(events.subList(1000, 1500).stream().map(event -> event.get("data").get("data").asText()))
                    .isEqualTo(LongStream.rangeClosed(1, 500).mapToObj(id -> "updated-" + id).toList());
            assertThat(events.subList(1500, 1750).stream().map(event -> event.get("old_data").get("id").asLong()))
                    .isEqualTo(LongStream.rangeClosed(1, 250).boxed().toList());
            assertThat(events.stream().map(event -> Lsn.parse(event.get("commit_lsn").asText())).toList())
                    .as("commit order").isSorted();

            List<Path> files = OutputFiles.list(out);
            assertThat(files).as("rotated by size").hasSizeGreaterThan(3);
            for (Path file : files) {
                String content = OutputFiles.content(file);
                assertThat(content.isEmpty() || content.endsWith("\n")).as("%s ends with a line end", file).isTrue();
            }
        } finally {
            pg.dropDatabase(db);
        }
    }

    @Test
    void resumesAfterACleanStopWithoutRepeatsOrGaps(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("file_resume");
        try {
            Workload.createUsersTable(pg, db);
            Path out = temp.resolve("out");
            FileSinkConfig config = FileSinkConfig.of(out, temp.resolve("status")).withMaxFileSize(4 * 1024).withCompress(true);
            try (RunningPipeline running = RunningPipeline.start(pg, db, "file_resume", "users", config);
                    Connection connection = pg.connect(db)) {
                Workload.insertUsers(connection, 100);
                running.awaitLines(out, 100);
            }
            try (Connection connection = pg.connect(db)) {
                Workload.insertUsers(connection, 150);
            }
            try (RunningPipeline running = RunningPipeline.start(pg, db, "file_resume", "users", config)) {
                running.awaitLines(out, 250);
            }

            assertThat(OutputFiles.ids(out)).isEqualTo(LongStream.rangeClosed(1, 250).boxed().toList());
            List<String> names = OutputFiles.names(out);
            assertThat(names.subList(0, names.size() - 1)).allMatch(name -> name.endsWith(".jsonl.gz"));
        } finally {
            pg.dropDatabase(db);
        }
    }

    /** A pipeline from a table to a file sink on a thread of its own; close() stops it cleanly. */
    private static final class RunningPipeline implements AutoCloseable {
        private final PostgresChangeSource source;
        private final FileSink sink;
        private final PipelineThread running;

        private RunningPipeline(PostgresChangeSource source, FileSink sink) {
            this.source = source;
            this.sink = sink;
            this.running = PipelineThread.start(new Pipeline(source, sink, new BatchPolicy(200, Duration.ofMillis(50))),
                    "file-sink-it-pipeline");
        }

        static RunningPipeline start(TestPostgres pg, String db, String group, String table, FileSinkConfig config) {
            WalSourceConfig wal = WalSourceConfig.of(pg.endpoint(db), group, "public", List.of(table))
                    .withHeartbeatInterval(Duration.ZERO);
            PostgresChangeSource source = PostgresChangeSource.open(wal);
            FileSink sink = new FileSink(config);
            return new RunningPipeline(source, sink);
        }

        /** Waits until the files hold {@code count} line ends in all (whatever their checkpoint). */
        void awaitLines(Path out, long count) throws InterruptedException {
            long deadline = System.nanoTime() + CATCH_UP.toNanos();
            long lines = 0;
            while (System.nanoTime() < deadline && running.failure() == null) {
                lines = countLineEnds(out);
                if (lines >= count) {
                    return;
                }
                Thread.sleep(50);
            }
            throw new AssertionError("the files hold " + lines + " of " + count + " events after " + CATCH_UP, running.failure());
        }

        @Override
        public void close() {
            running.stop(Duration.ofSeconds(30));
            sink.close();
            source.close();
            assertThat(running.isAlive()).as("pipeline stopped").isFalse();
            assertThat(running.failure()).as("pipeline failure").isNull();
        }

        /** Line ends in all files; a file being gzipped (both forms present) counts once. */
        private static long countLineEnds(Path out) {
            long lines = 0;
            List<String> names = OutputFiles.names(out);
            for (String name : names) {
                boolean plain = name.endsWith(".jsonl");
                if (!plain && !name.endsWith(".jsonl.gz") || plain && names.contains(name + ".gz")) {
                    continue;
                }
                try {
                    lines += OutputFiles.content(out.resolve(name)).chars().filter(c -> c == '\n').count();
                } catch (UncheckedIOException e) {
                    // Renamed or deleted by a compression meanwhile: counted at the next look.
                }
            }
            return lines;
        }
    }
}
