package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** pg_flo's own end-to-end scenarios for the PostgreSQL sink: several groups at once, and concurrent writers. */
@ExtendWith(PostgresExtension.class)
class PostgresReplicationScenariosIT {
    private static final int GROUPS = 4;

    @Test
    void fourGroupsStreamFourTablesAtOnceSurviveKillsAndEachTargetMatchesItsSource(TestPostgres pg, @TempDir Path dir)
            throws Exception {
        String source = pg.createDatabase("groups_src");
        String target = pg.createDatabase("groups_dst");
        for (int g = 1; g <= GROUPS; g++) {
            String table = "CREATE TABLE t" + g + " (id bigint PRIMARY KEY, v text, n numeric)";
            pg.execute(source, table);
            pg.execute(target, table);
        }
        List<PgFloProcess> streams = new ArrayList<>();
        try {
            for (int g = 1; g <= GROUPS; g++) {
                streams.add(startGroup(pg, source, target, g, dir));
            }
            List<Thread> writers = new ArrayList<>();
            for (int g = 1; g <= GROUPS; g++) {
                int group = g;
                Thread writer = new Thread(() -> writeTable(pg, source, "t" + group));
                writers.add(writer);
                writer.start();
            }
            for (int g = 1; g <= GROUPS; g++) {
                Thread.sleep(ThreadLocalRandom.current().nextLong(100, 600));
                streams.get(g - 1).kill();
                streams.set(g - 1, startGroup(pg, source, target, g, dir));
            }
            for (Thread writer : writers) {
                writer.join();
            }
            for (PgFloProcess stream : streams) {
                stream.awaitCaughtUp();
                assertThat(stream.stop()).as(stream.stderr()).isZero();
            }
            for (int g = 1; g <= GROUPS; g++) {
                String checksum = "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY id)), '') FROM t" + g + " t";
                assertThat(pg.queryString(target, checksum)).as("t" + g).isEqualTo(pg.queryString(source, checksum));
            }
        } finally {
            streams.forEach(PgFloProcess::close);
        }
    }

    @Test
    void concurrentWritersOfParentsAndChildrenReplicateInCommitOrder(TestPostgres pg, @TempDir Path dir) throws Exception {
        String source = pg.createDatabase("order_src");
        String target = pg.createDatabase("order_dst");
        String schema = "CREATE TABLE parent (id bigint PRIMARY KEY, children int NOT NULL DEFAULT 0, last_child text);"
                + "CREATE TABLE child (id bigserial PRIMARY KEY, parent_id bigint NOT NULL, position int NOT NULL, v text)";
        pg.execute(source, schema);
        pg.execute(target, schema);
        try (PgFloProcess stream = PgFloProcess.start(pg, source, "order", dir.resolve("logs"), "postgres",
                "--tables", "parent,child", "--status-dir", dir.resolve("status").toString(),
                "--target-host", pg.host(), "--target-port", Integer.toString(pg.port()), "--target-dbname", target,
                "--target-user", TestPostgres.SUPERUSER, "--track-ddl", "false")) {
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                Thread thread = new Thread(() -> {
                    for (int p = 0; p < 25; p++) {
                        long parent = writer * 1000L + p;
                        int children = ThreadLocalRandom.current().nextInt(1, 6);
                        StringBuilder tx = new StringBuilder("BEGIN;INSERT INTO parent (id) VALUES (" + parent + ");");
                        for (int c = 0; c < children; c++) {
                            tx.append("INSERT INTO child (parent_id, position, v) VALUES (").append(parent).append(", ")
                                    .append(c).append(", 'c").append(c).append("');");
                        }
                        tx.append("SELECT pg_sleep(").append(ThreadLocalRandom.current().nextInt(0, 20) / 1000.0).append(");");
                        tx.append("UPDATE parent SET children = ").append(children).append(", last_child = 'c")
                                .append(children - 1).append("' WHERE id = ").append(parent).append(";COMMIT");
                        pg.execute(source, tx.toString());
                    }
                });
                writers.add(thread);
                thread.start();
            }
            for (Thread thread : writers) {
                thread.join();
            }
            stream.awaitCaughtUp();
            assertThat(stream.stop()).as(stream.stderr()).isZero();
        }
        for (String table : List.of("parent", "child")) {
            String checksum = "SELECT count(*) || ':' || md5(string_agg(t::text, ',' ORDER BY id)) FROM " + table + " t";
            assertThat(pg.queryString(target, checksum)).as(table).isEqualTo(pg.queryString(source, checksum));
        }
    }

    private static PgFloProcess startGroup(TestPostgres pg, String source, String target, int g, Path dir) {
        return PgFloProcess.start(pg, source, "g" + g, dir.resolve("logs-g" + g + "-" + System.nanoTime()), "postgres",
                "--tables", "t" + g, "--status-dir", dir.resolve("status-g" + g).toString(),
                "--target-host", pg.host(), "--target-port", Integer.toString(pg.port()), "--target-dbname", target,
                "--target-user", TestPostgres.SUPERUSER, "--track-ddl", "false", "--batch-size", "50");
    }

    private static void writeTable(TestPostgres pg, String db, String table) {
        for (int i = 1; i <= 60; i++) {
            long base = i * 100L;
            pg.execute(db, "BEGIN", "INSERT INTO " + table + " SELECT g, 'v' || g, g * 0.5 FROM generate_series(" + base + ", "
                    + (base + 19) + ") g", "UPDATE " + table + " SET v = 'u' WHERE id = " + base,
                    "DELETE FROM " + table + " WHERE id = " + (base + 1), "COMMIT");
            try {
                Thread.sleep(ThreadLocalRandom.current().nextLong(5, 25));
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
