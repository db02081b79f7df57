package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.sink.api.Lsn;
import io.pgflo.testkit.JavaProcess;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A row too large for the heap: pgjdbc allocates the value before pg_flo sees it, so nothing can refuse it. The
 * process exits with status 3 and one line naming its checkpoint and heap option, and a restart with a larger heap
 * resumes from that checkpoint and delivers the row.
 */
@ExtendWith(PostgresExtension.class)
class OutOfMemoryIT {
    /** A 50 MB value: more than a 48 MB heap can hold at all (the server compresses it, so its WAL is small). */
    private static final int VALUE_LENGTH = 50 << 20;
    private static final Pattern LINE = Pattern.compile("pg_flo: out of memory \\(heap 48 MB, -Xmx48m\\); the stream "
            + "resumes from checkpoint ([0-9A-F]+/[0-9A-F]+) when restarted; raise the heap with PGFLO_JAVA_OPTS=-Xmx192m");

    @Test
    void aValueTooLargeForTheHeapEndsInStatusThreeAndOneLineAndALargerHeapDeliversIt(TestPostgres pg, @TempDir Path status)
            throws Exception {
        String db = pg.createDatabase("oom");
        pg.execute(db, "CREATE TABLE docs (id bigint PRIMARY KEY, body text)");
        Lsn named;
        try (JavaProcess small = start(pg, db, status, "-Xmx48m")) {
            awaitActive(pg, db, small);
            pg.execute(db, "INSERT INTO docs VALUES (1, 'small')");
            awaitCaughtUp(pg, db, small);
            Lsn firstCommit = Lsn.parse(field(small.stdout(), "commit_lsn"));
            pg.execute(db, "INSERT INTO docs VALUES (2, repeat('x', " + VALUE_LENGTH + "))");

            assertThat(small.waitFor(Duration.ofSeconds(120))).as("exited; stderr: %s", small.stderr()).isTrue();
            assertThat(small.exitCode()).as(small.stderr()).isEqualTo(ExitCode.OUT_OF_MEMORY);
            String stderr = small.stderr();
            assertThat(stderr.lines().toList()).as("one line, no stack trace, nothing from the JVM").hasSize(1);
            Matcher line = LINE.matcher(stderr.strip());
            assertThat(line.matches()).as(stderr).isTrue();
            named = Lsn.parse(line.group(1));
            assertThat(named).as("at or after the first row's commit").isGreaterThanOrEqualTo(firstCommit);
            assertThat(small.stdout()).doesNotContain("\"id\":2");
        }

        awaitSlot(pg, db, "false"); // the server has seen the first process go
        try (JavaProcess large = start(pg, db, status, "-Xmx512m")) {
            awaitActive(pg, db, large);
            awaitCaughtUp(pg, db, large);
            large.terminate();
            assertThat(large.waitFor(Duration.ofSeconds(60))).isTrue();
            assertThat(large.exitCode()).as(large.stderr()).isZero();
            List<String> rows = new ArrayList<>();
            try (BufferedReader reader = Files.newBufferedReader(large.stdoutFile())) {
                for (String event = reader.readLine(); event != null; event = reader.readLine()) {
                    rows.add(event.substring(0, Math.min(300, event.length())) + "... (" + event.length() + " chars)");
                    if (event.contains("\"data\":{\"id\":2,")) {
                        assertThat(event).contains("\"body\":\"" + "x".repeat(1000));
                        assertThat(event.length()).isGreaterThan(VALUE_LENGTH);
                        assertThat(Lsn.parse(field(event, "commit_lsn"))).as("after the checkpoint named").isGreaterThan(named);
                    }
                }
            }
            assertThat(rows).as("the large row, once, and not the first row again").hasSize(1);
            assertThat(rows.get(0)).contains("\"data\":{\"id\":2,");
        }
    }

    private static JavaProcess start(TestPostgres pg, String db, Path status, String heap) {
        return JavaProcess.builder(Main.class)
                .args("stream", "stdout", "--host", pg.host(), "--port", Integer.toString(pg.port()), "--dbname", db,
                        "--user", TestPostgres.SUPERUSER, "--group", "oom", "--tables", "docs",
                        "--status-dir", status.toString(), "--batch-delay-ms", "20", "--heartbeat-interval", "1",
                        "--log-level", "error")
                .env("PGFLO_PASSWORD", TestPostgres.SUPERUSER_PASSWORD)
                .jvmArgs(heap)
                .start();
    }

    private static void awaitActive(TestPostgres pg, String db, JavaProcess process) throws InterruptedException {
        for (int i = 0; i < 1200; i++) {
            assertThat(process.isAlive()).as("pg_flo running; stderr: %s", process.stderr()).isTrue();
            if (pg.isStreamedFrom(db, "pg_flo_oom_slot")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the slot never became active: " + process.stderr());
    }

    private static void awaitSlot(TestPostgres pg, String db, String active) throws InterruptedException {
        for (int i = 0; i < 600 && !slotActive(pg, db).equals(active); i++) {
            Thread.sleep(100);
        }
        assertThat(slotActive(pg, db)).isEqualTo(active);
    }

    private static String slotActive(TestPostgres pg, String db) {
        return pg.queryString(db, "SELECT coalesce((SELECT active::text FROM pg_replication_slots "
                + "WHERE slot_name = 'pg_flo_oom_slot'), 'none')");
    }

    private static void awaitCaughtUp(TestPostgres pg, String db, JavaProcess process) throws InterruptedException {
        Lsn end = Lsn.parse(pg.queryString(db, "SELECT pg_current_wal_insert_lsn()::text"));
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (Lsn.parse(pg.queryString(db, "SELECT confirmed_flush_lsn::text FROM pg_replication_slots "
                + "WHERE slot_name = 'pg_flo_oom_slot'")).isBefore(end)) {
            assertThat(process.isAlive()).as("pg_flo running; stderr: %s", process.stderr()).isTrue();
            assertThat(System.nanoTime()).as("caught up within 120 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** A top-level text field of the first event in {@code json}. */
    private static String field(String json, String name) {
        int at = json.indexOf("\"" + name + "\":\"") + name.length() + 4;
        return json.substring(at, json.indexOf('"', at));
    }
}
