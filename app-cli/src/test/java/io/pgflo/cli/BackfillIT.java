package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.testkit.JavaProcess;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pg_flo backfill}: the running stream reads a table again chunk by chunk while a writer keeps changing rows,
 * those of the chunk being read included, and the target ends equal to the source; through a kill -9 too.
 */
@ExtendWith(PostgresExtension.class)
class BackfillIT {
    private static final int ROWS = 30_000;
    private static final String CHECKSUM = "SELECT count(*) || ':' || md5(string_agg(id || '=' || v || '/' || n, ',' "
            + "ORDER BY id)) FROM t";

    @Test
    void aBackfillDuringASteadyWriteLoadLeavesTheTargetEqualToTheSourceThroughAKill(TestPostgres pg, @TempDir Path dir)
            throws Exception {
        String db = pg.createDatabase("backfill");
        String target = pg.createDatabase("backfill_target");
        String table = "CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL, n int NOT NULL)";
        pg.execute(db, table, "INSERT INTO t SELECT g, 'row ' || g, 0 FROM generate_series(1, " + ROWS + ") g");
        pg.execute(target, table);
        String[] args = {"--tables", "t", "--status-dir", dir.resolve("status").toString(), "--target-host", pg.host(),
                "--target-port", Integer.toString(pg.port()), "--target-dbname", target, "--target-user",
                TestPostgres.SUPERUSER, "--track-ddl", "false", "--backfill-chunk-rows", "700"};
        List<PgFloProcess> runs = new ArrayList<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> write(pg, db, writing), "workload");
        try {
            PgFloProcess first = PgFloProcess.start(pg, db, "bf", dir.resolve("run-1"), "postgres", args);
            runs.add(first);
            writer.start();
            assertThat(backfill(pg, db, dir, "bf", "--tables", "t").exitCode()).isZero();
            awaitLog(first, "backfill 1 of public.t: ");
            assertThat(first.kill()).isEqualTo(JavaProcess.KILLED_EXIT_CODE);

            PgFloProcess second = PgFloProcess.start(pg, db, "bf", dir.resolve("run-2"), "postgres", args);
            runs.add(second);
            awaitLog(second, "complete");
            assertThat(second.stderr()).as("it went on from where the first run got").contains("resumes after");
            writing.set(false);
            writer.join();
            second.awaitCaughtUp();
            assertThat(second.stop()).as(second.stderr()).isZero();
        } finally {
            writing.set(false);
            writer.join();
            runs.forEach(PgFloProcess::close);
        }
        assertThat(pg.queryString(target, CHECKSUM)).isEqualTo(pg.queryString(db, CHECKSUM));
        assertThat(pg.queryLong(db, "SELECT count(*) FROM internal_pg_flo.backfill_requests WHERE completed_at IS NULL"))
                .isZero();
    }

    @Test
    void aTableAddedToTheGroupIsBackfilledOnTheNextStart(TestPostgres pg, @TempDir Path dir) throws Exception {
        String db = pg.createDatabase("backfill_added");
        String target = pg.createDatabase("backfill_added_target");
        for (String database : List.of(db, target)) {
            pg.execute(database, "CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL, n int NOT NULL)",
                    "CREATE TABLE u (id int PRIMARY KEY, v text NOT NULL, n int NOT NULL)");
        }
        pg.execute(db, "INSERT INTO u SELECT g, 'u ' || g, 0 FROM generate_series(1, 5000) g");
        List<String> args = new ArrayList<>(List.of("--status-dir", dir.resolve("status").toString(), "--target-host",
                pg.host(), "--target-port", Integer.toString(pg.port()), "--target-dbname", target, "--target-user",
                TestPostgres.SUPERUSER, "--track-ddl", "false", "--tables"));
        PgFloProcess first = PgFloProcess.start(pg, db, "added", dir.resolve("run-1"), "postgres",
                concat(args, "t"));
        assertThat(first.stop()).isZero();
        PgFloProcess second = PgFloProcess.start(pg, db, "added", dir.resolve("run-2"), "postgres",
                concat(args, "t,u"));
        try {
            awaitLog(second, "complete");
            pg.execute(db, "UPDATE u SET n = 1 WHERE id = 7");
            second.awaitCaughtUp();
            assertThat(second.stop()).as(second.stderr()).isZero();
            assertThat(second.stderr()).contains("public.u was added to group added");
        } finally {
            second.close();
        }
        String checksum = CHECKSUM.replace("FROM t", "FROM u");
        assertThat(pg.queryString(target, checksum)).isEqualTo(pg.queryString(db, checksum));
    }

    private static String[] concat(List<String> args, String last) {
        List<String> all = new ArrayList<>(args);
        all.add(last);
        return all.toArray(String[]::new);
    }

    @Test
    void badRequestsAreRefusedWithOneLineAndRecordNothing(TestPostgres pg, @TempDir Path dir) throws Exception {
        String db = pg.createDatabase("backfill_bad");
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY, v text)", "CREATE TABLE other (id int PRIMARY KEY)",
                "CREATE TABLE keyless (v text)");
        PgFloProcess stream = PgFloProcess.start(pg, db, "bf_bad", dir.resolve("run"), "stdout", "--tables", "t,keyless",
                "--status-dir", dir.resolve("status").toString());
        try {
            assertRefused(backfill(pg, db, dir, "nosuchgroup", "--tables", "t"), "no group 'nosuchgroup'");
            assertRefused(backfill(pg, db, dir, "bf_bad", "--tables", "other"), "does not replicate public.other");
            assertRefused(backfill(pg, db, dir, "bf_bad", "--tables", "keyless"), "no primary key");
            assertRefused(backfill(pg, db, dir, "bf_bad", "--tables", "t", "--where", "id >"), "--where does not fit");
            assertRefused(backfill(pg, db, dir, "bf_bad", "--tables", "t", "--where", "true) OR (true"),
                    "closes a parenthesis");
            assertThat(pg.queryLong(db, "SELECT count(*) FROM internal_pg_flo.backfill_requests")).isZero();
        } finally {
            stream.close();
        }
    }

    private static void assertRefused(Ran result, String message) {
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(2);
        assertThat(result.stderr().lines().filter(line -> line.startsWith("pg_flo:")).toList()).singleElement()
                .asString().contains(message);
    }

    private static Ran backfill(TestPostgres pg, String db, Path dir, String group, String... more)
            throws InterruptedException {
        List<String> args = new ArrayList<>(List.of("backfill", "--host", pg.host(), "--port",
                Integer.toString(pg.port()), "--dbname", db, "--user", TestPostgres.SUPERUSER, "--group", group));
        args.addAll(List.of(more));
        try (JavaProcess process = JavaProcess.builder(Main.class).args(args)
                .env("PGFLO_PASSWORD", TestPostgres.SUPERUSER_PASSWORD).jvmArgs("-Xmx64m")
                .logDirectory(dir.resolve("backfill-" + System.nanoTime())).start()) {
            assertThat(process.waitFor(Duration.ofSeconds(60))).as("pg_flo backfill returned").isTrue();
            return new Ran(process.exitCode(), process.stderr());
        }
    }

    /** How a {@code pg_flo backfill} ended. */
    private record Ran(int exitCode, String stderr) {}

    private static void awaitLog(PgFloProcess run, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!run.stderr().contains(text)) {
            assertThat(System.nanoTime()).as("'%s' logged; stderr: %s", text, run.stderr()).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Updates (often of low ids, which the backfill reads first), deletes and inserts, in small transactions. */
    private static void write(TestPostgres pg, String db, AtomicBoolean writing) {
        int next = ROWS + 1;
        while (writing.get()) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int hot = random.nextInt(1, 3000);
            int any = random.nextInt(1, ROWS + 1);
            pg.execute(db, "BEGIN", "UPDATE t SET n = n + 1, v = v || '+' WHERE id IN (" + hot + ", " + any + ")",
                    "DELETE FROM t WHERE id = " + random.nextInt(1, ROWS + 1),
                    "INSERT INTO t VALUES (" + next++ + ", 'new', 0)", "COMMIT");
            try {
                Thread.sleep(random.nextLong(1, 5));
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
