package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgflo.testkit.JavaProcess;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code --copy-and-stream} and {@code --copy}: the rows that existed before the stream reach the sink, consistent
 * with it, while a writer changes rows across the boundary; through {@code kill -9} during the copy too.
 */
@ExtendWith(PostgresExtension.class)
class CopyAndStreamIT {
    private static final int ROWS = 100_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHECKSUM = "SELECT count(*) || ':' || md5(string_agg(id || '=' || v || '/' || n, ',' "
            + "ORDER BY id)) FROM t";

    enum SinkKind { FILE, POSTGRES }

    @ParameterizedTest
    @EnumSource(SinkKind.class)
    void copiesAndStreamsWhileAWriterChangesRowsAcrossTheBoundary(SinkKind kind, TestPostgres pg, @TempDir Path dir)
            throws Exception {
        Setup setup = new Setup(pg, kind, "copy_" + kind.name().toLowerCase(), dir);
        Workload writer = new Workload(pg, setup.db);
        try {
            writer.start();
            Thread.sleep(300); // changes before the slot exists, then during the copy, then after it
            PgFloProcess run = setup.start("run");
            try {
                awaitCopied(run);
                Thread.sleep(500);
                writer.finish();
                run.awaitCaughtUp();
                assertThat(run.stop()).as(run.stderr()).isZero();
                assertThat(run.stderr()).contains("copy complete");
            } finally {
                run.close();
            }
            setup.assertSinkEqualsSource();
        } finally {
            writer.finish();
        }
    }

    @ParameterizedTest
    @EnumSource(SinkKind.class)
    void killedThreeTimesDuringTheCopyEndsEqualToTheSource(SinkKind kind, TestPostgres pg, @TempDir Path dir)
            throws Exception {
        Setup setup = new Setup(pg, kind, "copykill_" + kind.name().toLowerCase(), dir);
        Workload writer = new Workload(pg, setup.db);
        List<PgFloProcess> runs = new ArrayList<>();
        try {
            writer.start();
            for (int kill = 0; kill < 3; kill++) {
                PgFloProcess run = setup.start("run-" + kill, "--batch-size", "500");
                runs.add(run);
                if (!awaitCopyUnderWay(run)) {
                    run.kill();
                    break; // an earlier run finished the copy before its kill
                }
                Thread.sleep(ThreadLocalRandom.current().nextLong(0, 300));
                assertThat(run.kill()).isEqualTo(JavaProcess.KILLED_EXIT_CODE);
            }
            PgFloProcess last = setup.start("run-last");
            runs.add(last);
            awaitStreaming(last);
            assertThat(runs.subList(1, runs.size())).as("a later run resumed a copy a kill cut short")
                    .anyMatch(run -> run.stderr().contains("resuming the copy"));
            writer.finish();
            last.awaitCaughtUp();
            assertThat(last.stop()).as(last.stderr()).isZero();
            setup.assertSinkEqualsSource();
        } finally {
            writer.finish();
            runs.forEach(PgFloProcess::close);
        }
    }

    @Test
    void copyOnlyCopiesExitsZeroAndLeavesNothingOnTheSource(TestPostgres pg, @TempDir Path dir) throws Exception {
        Setup setup = new Setup(pg, SinkKind.POSTGRES, "copyonly", dir);
        PgFloProcess run = PgFloProcess.launch(pg, setup.db, setup.group, dir.resolve("run"), "postgres",
                setup.args(true).toArray(String[]::new));
        try {
            assertThat(run.awaitExit(Duration.ofSeconds(120))).as(run.stderr()).isZero();
        } finally {
            run.close();
        }
        assertThat(pg.queryString(setup.target, CHECKSUM)).isEqualTo(pg.queryString(setup.db, CHECKSUM));
        assertThat(pg.queryLong(setup.db, "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'pg_flo_copyonly%'"))
                .as("no slot left to hold WAL").isZero();
        assertThat(pg.queryLong(setup.db, "SELECT count(*) FROM pg_publication WHERE pubname LIKE 'pg_flo_copyonly%'"))
                .isZero();
    }

    @Test
    void aTableTheRoleMayNotReadIsRefusedWithOneLineAndTheSlotItMadeIsDropped(TestPostgres pg, @TempDir Path dir) {
        String db = pg.createDatabase("copy_denied");
        // The owner may publish its table, but has revoked its own right to read it.
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY, v text)", "INSERT INTO t VALUES (1, 'a')",
                "CREATE ROLE copier LOGIN REPLICATION PASSWORD 'copier'", "GRANT CREATE ON DATABASE " + db + " TO copier",
                "ALTER TABLE t OWNER TO copier", "REVOKE SELECT ON t FROM copier");
        List<String> args = new ArrayList<>(List.of("stream", "stdout", "--host", pg.host(), "--port",
                Integer.toString(pg.port()), "--dbname", db, "--user", "copier", "--group", "denied", "--tables", "t",
                "--status-dir", dir.resolve("status").toString(), "--copy-and-stream", "--progress-interval", "0"));
        try (JavaProcess run = JavaProcess.builder(Main.class).args(args).env("PGFLO_PASSWORD", "copier")
                .jvmArgs("-Xmx128m").logDirectory(dir.resolve("logs")).start()) {
            assertThat(run.waitFor(Duration.ofSeconds(60))).isTrue();
            assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
            assertThat(run.stderr().lines().filter(line -> line.startsWith("pg_flo:")).toList()).singleElement()
                    .asString().contains("SELECT").contains("t");
        }
        assertThat(pg.queryLong(db, "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'pg_flo_denied%'"))
                .as("the slot the failed run made is gone").isZero();
    }

    /** Waits until the run says its copy completed. */
    private static void awaitCopied(PgFloProcess run) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (!run.stderr().contains("copy complete")) {
            assertThat(System.nanoTime()).as("copy completed; stderr: %s", run.stderr()).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** Waits until the run copies, so that a kill lands inside the copy; false when it has nothing to copy. */
    private static boolean awaitCopyUnderWay(PgFloProcess run) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            String stderr = run.stderr();
            if (stderr.contains("copying ")) {
                return true;
            }
            if (stderr.contains("nothing to copy")) {
                return false;
            }
            assertThat(System.nanoTime()).as("copy began; stderr: %s", stderr).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Waits until the run streams: after a copy, or without one. */
    private static void awaitStreaming(PgFloProcess run) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (!run.stderr().contains("streaming ")) {
            assertThat(System.nanoTime()).as("streaming; stderr: %s", run.stderr()).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** Source and target databases, a table of {@link #ROWS} rows, and the flags for one sink. */
    private static final class Setup {
        final TestPostgres pg;
        final SinkKind kind;
        final String group;
        final String db;
        final String target;
        final Path dir;

        Setup(TestPostgres pg, SinkKind kind, String group, Path dir) {
            this.pg = pg;
            this.kind = kind;
            this.group = group;
            this.dir = dir;
            this.db = pg.createDatabase(group);
            this.target = pg.createDatabase(group + "_target");
            String table = "CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL, n int NOT NULL)";
            pg.execute(db, table, "INSERT INTO t SELECT g, 'row ' || g, 0 FROM generate_series(1, " + ROWS + ") g",
                    "ANALYZE t");
            pg.execute(target, table);
        }

        List<String> args(boolean copyOnly) {
            List<String> args = new ArrayList<>(List.of("--tables", "t", "--status-dir", dir.resolve("status").toString(),
                    copyOnly ? "--copy" : "--copy-and-stream", "--max-copy-workers-per-table", "3",
                    "--copy-chunk-mb", "1"));
            switch (kind) {
                case FILE -> args.addAll(List.of("--output-dir", dir.resolve("out").toString()));
                case POSTGRES -> args.addAll(List.of("--target-host", pg.host(), "--target-port",
                        Integer.toString(pg.port()), "--target-dbname", target, "--target-user", TestPostgres.SUPERUSER,
                        "--track-ddl", "false"));
            }
            return args;
        }

        PgFloProcess start(String name, String... more) {
            List<String> all = args(false);
            all.addAll(List.of(more));
            return PgFloProcess.launch(pg, db, group, dir.resolve(name), kind.name().toLowerCase(),
                    all.toArray(String[]::new));
        }

        void assertSinkEqualsSource() throws IOException {
            if (kind == SinkKind.POSTGRES) {
                assertThat(pg.queryString(target, CHECKSUM)).isEqualTo(pg.queryString(db, CHECKSUM));
                return;
            }
            Map<Integer, String> expected = new HashMap<>();
            for (String row : pg.queryString(db, "SELECT string_agg(id || '=' || v || '/' || n, ',') FROM t").split(",")) {
                int eq = row.indexOf('=');
                expected.put(Integer.parseInt(row.substring(0, eq)), row.substring(eq + 1));
            }
            Map<Integer, JsonNode> last = new HashMap<>();
            for (JsonNode event : fileEvents(dir.resolve("out"))) {
                if (event.get("type").asText().equals("COPY_DONE")) {
                    continue;
                }
                JsonNode row = event.get("type").asText().equals("DELETE") ? event.get("old_data") : event.get("data");
                JsonNode old = event.get("old_data");
                if (event.get("type").asText().equals("UPDATE") && old != null
                        && old.get("id").asInt() != row.get("id").asInt()) {
                    // The key changed: the row under the old key is gone.
                    last.put(old.get("id").asInt(), JSON.createObjectNode().put("type", "DELETE"));
                }
                last.put(row.get("id").asInt(), event);
            }
            Map<Integer, String> actual = new HashMap<>();
            last.forEach((id, event) -> {
                String type = event.get("type").asText();
                if (!type.equals("DELETE")) {
                    JsonNode data = event.get("data");
                    actual.put(id, data.get("v").asText() + "/" + data.get("n").asInt());
                }
            });
            Map<Integer, String> wrong = new java.util.TreeMap<>();
            java.util.Set<Integer> ids = new java.util.HashSet<>(expected.keySet());
            ids.addAll(actual.keySet());
            for (int id : ids) {
                if (!java.util.Objects.equals(expected.get(id), actual.get(id))) {
                    wrong.put(id, "source " + expected.get(id) + ", last event " + actual.get(id));
                }
            }
            assertThat(wrong).as("rows whose last event is not their final state (of %d)", expected.size()).isEmpty();
            assertThat(last.values()).extracting(e -> e.get("type").asText()).contains("READ");
        }
    }

    private static List<JsonNode> fileEvents(Path out) throws IOException {
        return FileSinkEvents.read(out);
    }

    /** Updates, deletes and inserts in small transactions until finished. */
    private static final class Workload {
        private final TestPostgres pg;
        private final String db;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Workload(TestPostgres pg, String db) {
            this.pg = pg;
            this.db = db;
            this.thread = new Thread(this::run, "workload");
        }

        void start() {
            thread.start();
        }

        private void run() {
            int next = ROWS + 1;
            while (running.get()) {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                int a = random.nextInt(1, ROWS + 1);
                int b = random.nextInt(1, ROWS + 1);
                pg.execute(db, "BEGIN",
                        "UPDATE t SET n = n + 1, v = v || '+' WHERE id IN (" + a + ", " + (a + 1) + ")",
                        "DELETE FROM t WHERE id = " + b,
                        "INSERT INTO t VALUES (" + next + ", 'new " + next + "', 0)",
                        "UPDATE t SET id = id + 1000000 WHERE id = " + (b + 7),
                        "COMMIT");
                next++;
                try {
                    Thread.sleep(random.nextLong(1, 10));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void finish() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }
}
