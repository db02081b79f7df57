package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pg_flo drop} against a real PostgreSQL: a stopped group goes and another group's objects stay; the last group
 * takes the shared objects with it; a slot in use is refused, or with --force, ended and dropped for good.
 */
@ExtendWith(PostgresExtension.class)
class GroupDropIT {
    private static final String LEFT_ALONE = "checkpoints in --status-dir and on targets are left as they are";

    @Test
    void aStoppedGroupGoesAndAnotherGroupsObjectsStayUntilItGoesToo(TestPostgres pg, @TempDir Path dir) {
        String db = pg.createDatabase("drop_two");
        String targetA = pg.createDatabase("drop_two_a");
        String targetB = pg.createDatabase("drop_two_b");
        pg.execute(db, "CREATE TABLE ta (id int PRIMARY KEY, v text)", "CREATE TABLE tb (id int PRIMARY KEY, v text)");
        pg.execute(targetA, "CREATE TABLE ta (id int PRIMARY KEY, v text)");
        pg.execute(targetB, "CREATE TABLE tb (id int PRIMARY KEY, v text)");
        PgFloProcess a = PgFloProcess.start(pg, db, "ga", dir.resolve("run-a"), "postgres", postgresSink(pg, dir, "ta", targetA));
        PgFloProcess b = PgFloProcess.start(pg, db, "gb", dir.resolve("run-b"), "postgres", postgresSink(pg, dir, "tb", targetB));
        try {
            assertThat(PgFloCommand.run(pg, db, dir, "backfill", "ga", "--tables", "ta").exitCode()).isZero();
            pg.execute(db, "INSERT INTO ta VALUES (1, 'a')", "INSERT INTO tb VALUES (1, 'b')");
            a.awaitCaughtUp();
            assertThat(a.stop()).as(a.stderr()).isZero();

            PgFloCommand.Ran first = PgFloCommand.run(pg, db, dir, "drop", "ga");

            assertThat(first.exitCode()).as(first.stderr()).isZero();
            assertThat(first.stdout().lines().toList()).containsExactly(
                    "dropped replication slot pg_flo_ga_slot",
                    "dropped publication pg_flo_ga_publication",
                    "removed the DDL capture registration of group ga (1 table)",
                    "removed 1 recorded table definition and 0 recorded schema changes of tables no other group captures",
                    "removed 1 backfill request of group ga from internal_pg_flo.backfill_requests",
                    "kept the objects groups share in internal_pg_flo (DDL capture, backfill table): "
                            + "another group uses them (slot pg_flo_gb_slot)",
                    LEFT_ALONE);
            assertThat(pgFloSlots(pg, db)).isOne();
            assertThat(count(pg, db, "pg_publication WHERE pubname LIKE 'pg_flo_%'")).isOne();
            assertThat(pg.queryString(db, "SELECT string_agg(group_name || ':' || table_name, ',') "
                    + "FROM internal_pg_flo.ddl_capture_tables")).isEqualTo("gb:tb");
            assertThat(pg.queryString(db, "SELECT string_agg(definition ->> 'table', ',') "
                    + "FROM internal_pg_flo.table_definitions")).isEqualTo("tb");
            assertThat(count(pg, db, "internal_pg_flo.backfill_requests")).isZero();
            assertThat(count(pg, db, "pg_event_trigger WHERE evtname LIKE 'pg_flo_%'")).isEqualTo(2);
            assertThat(count(pg, targetA, "internal_pg_flo.lsn_status")).as("the target's checkpoint").isOne();

            // The other group streams on, schema changes included.
            pg.execute(db, "ALTER TABLE tb ADD COLUMN extra text", "INSERT INTO tb VALUES (2, 'b', 'more')");
            b.awaitCaughtUp();
            assertThat(pg.queryString(targetB, "SELECT extra FROM tb WHERE id = 2")).isEqualTo("more");
            assertThat(b.stop()).as(b.stderr()).isZero();

            PgFloCommand.Ran last = PgFloCommand.run(pg, db, dir, "drop", "gb");

            assertThat(last.exitCode()).as(last.stderr()).isZero();
            assertThat(last.stdout().lines().toList()).containsExactly(
                    "dropped replication slot pg_flo_gb_slot",
                    "dropped publication pg_flo_gb_publication",
                    "removed the DDL capture registration of group gb (1 table)",
                    "removed 1 recorded table definition and 1 recorded schema change of tables no other group captures",
                    "removed the DDL capture: event triggers pg_flo_ddl_command_end and pg_flo_sql_drop, its functions "
                            + "and tables (no other group on this database uses it)",
                    "dropped table internal_pg_flo.backfill_requests (no other group on this database uses it)",
                    "dropped schema internal_pg_flo, now empty",
                    LEFT_ALONE);
            assertThat(count(pg, db, "pg_event_trigger WHERE evtname LIKE 'pg_flo_%'")).isZero();
            assertThat(count(pg, db, "pg_namespace WHERE nspname = 'internal_pg_flo'")).isZero();
            assertThat(pgFloSlots(pg, db)).isZero();
            assertThat(count(pg, targetB, "internal_pg_flo.lsn_status")).isOne();

            PgFloCommand.Ran again = PgFloCommand.run(pg, db, dir, "drop", "gb");
            assertThat(again.exitCode()).isEqualTo(2);
            assertThat(again.stderr().lines().toList()).singleElement().asString()
                    .startsWith("pg_flo: there is no group 'gb' on ");
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void aSlotInUseIsRefusedNamingThePidAndTheStreamGoesOn(TestPostgres pg, @TempDir Path dir) {
        String db = pg.createDatabase("drop_busy");
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY)");
        try (PgFloProcess stream = PgFloProcess.start(pg, db, "busy", dir.resolve("run"), "stdout", "--tables", "t",
                "--status-dir", dir.resolve("status").toString())) {
            long pid = pg.queryLong(db, "SELECT active_pid FROM pg_replication_slots WHERE slot_name = 'pg_flo_busy_slot'");

            PgFloCommand.Ran ran = PgFloCommand.run(pg, db, dir, "drop", "busy");

            assertThat(ran.exitCode()).isEqualTo(2);
            assertThat(ran.stdout()).isEmpty();
            assertThat(ran.stderr().lines().toList()).containsExactly("pg_flo: replication slot pg_flo_busy_slot of "
                    + "group 'busy' is in use by pid " + pid + " on " + pg.host() + ":" + pg.port() + "/" + db + " as "
                    + TestPostgres.SUPERUSER + "; stop that pg_flo first, or give --force to end its stream "
                    + "(pg_terminate_backend)");
            pg.execute(db, "INSERT INTO t VALUES (1)");
            stream.awaitCaughtUp();
            assertThat(stream.stdout()).contains("\"type\":\"INSERT\"");
        }
    }

    @Test
    void forceEndsTheStreamAndTheGroupStaysGone(TestPostgres pg, @TempDir Path dir) throws Exception {
        String db = pg.createDatabase("drop_forced");
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY)");
        Path status = dir.resolve("status");
        try (PgFloProcess stream = PgFloProcess.start(pg, db, "forced", dir.resolve("run"), "stdout", "--tables", "t",
                "--status-dir", status.toString())) {
            pg.execute(db, "INSERT INTO t VALUES (1)");
            stream.awaitCaughtUp();
            long pid = pg.queryLong(db, "SELECT active_pid FROM pg_replication_slots WHERE slot_name = 'pg_flo_forced_slot'");

            PgFloCommand.Ran ran = PgFloCommand.run(pg, db, dir, "drop", "forced", "--force");

            assertThat(ran.exitCode()).as(ran.stderr()).isZero();
            assertThat(ran.stdout().lines().toList()).startsWith(
                    "ended the stream of pid " + pid + " from replication slot pg_flo_forced_slot (pg_terminate_backend)",
                    "dropped replication slot pg_flo_forced_slot",
                    "dropped publication pg_flo_forced_publication").endsWith(LEFT_ALONE);
            assertThat(stream.awaitExit(Duration.ofSeconds(60))).as("the stream stopped by itself: %s", stream.stderr())
                    .isEqualTo(2);
            assertThat(stream.stderr()).contains("pg_flo: replication slot pg_flo_forced_slot of group 'forced' is gone");
        }
        assertThat(count(pg, db, "pg_replication_slots WHERE slot_name = 'pg_flo_forced_slot'")).as("not made again")
                .isZero();
        assertThat(count(pg, db, "pg_publication WHERE pubname = 'pg_flo_forced_publication'")).isZero();
        assertThat(count(pg, db, "pg_namespace WHERE nspname = 'internal_pg_flo'")).isZero();
        assertThat(status.resolve("pg_flo_stdout_last_lsn.json")).as("the sink's checkpoint").exists();
        assertThat(Files.readString(status.resolve("pg_flo_stdout_last_lsn.json"))).contains("\"lsn\"");
    }

    private static String[] postgresSink(TestPostgres pg, Path dir, String table, String target) {
        return List.of("--tables", table, "--status-dir", dir.resolve("status-" + table).toString(), "--target-host",
                pg.host(), "--target-port", Integer.toString(pg.port()), "--target-dbname", target, "--target-user",
                TestPostgres.SUPERUSER).toArray(String[]::new);
    }

    /** The database's pg_flo slots (slot names are the server's: other tests leave theirs in their databases). */
    private static long pgFloSlots(TestPostgres pg, String db) {
        return count(pg, db, "pg_replication_slots WHERE slot_name LIKE 'pg_flo_%' AND database = current_database()");
    }

    private static long count(TestPostgres pg, String db, String from) {
        return pg.queryLong(db, "SELECT count(*) FROM " + from);
    }
}
