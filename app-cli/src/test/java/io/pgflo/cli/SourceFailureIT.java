package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source goes away mid-stream; pg_flo reconnects with back-off and loses nothing, unless the server invalidated
 * the slot meanwhile: then no reconnect brings the changes back, and the stream ends at once.
 */
@ExtendWith(PostgresExtension.class)
class SourceFailureIT {

    @Test
    void aCutReplicationConnectionIsReopenedWithoutLoss(TestPostgres pg, @TempDir Path status) {
        String db = pg.createDatabase("cut");
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY)");
        try (StdoutStream stream = StdoutStream.start(pg, db, "cut", status, "t")) {
            StreamStdoutIT.insertRange(pg, db, 1, 100);
            stream.awaitCaughtUp();
            pg.execute(db, "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = 'pg_flo_cut_slot'");
            StreamStdoutIT.insertRange(pg, db, 101, 200);
            stream.awaitCaughtUp();
            assertThat(stream.stop()).as(stream.stderr()).isZero();
            assertThat(stream.stderr()).contains("reconnecting");
            assertEveryIdAtLeastOnce(stream.events(), 200);
        }
    }

    @Test
    void aRestartedSourceServerIsReconnectedWithoutLoss(@TempDir Path status) {
        try (TestPostgres pg = TestPostgres.start()) {
            String db = pg.createDatabase("restart");
            pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY)");
            try (StdoutStream stream = StdoutStream.start(pg, db, "restart", status, "t")) {
                StreamStdoutIT.insertRange(pg, db, 1, 100);
                stream.awaitCaughtUp();
                pg.restart();
                StreamStdoutIT.insertRange(pg, db, 101, 200);
                stream.awaitCaughtUp();
                assertThat(stream.stop()).as(stream.stderr()).isZero();
                assertEveryIdAtLeastOnce(stream.events(), 200);
            }
        }
    }

    @Test
    void aSlotTheServerInvalidatesMidStreamEndsTheStreamAtOnceWithStatusTwo(@TempDir Path status) throws Exception {
        try (TestPostgres pg = TestPostgres.start()) {
            pg.execute("postgres", "ALTER SYSTEM SET max_slot_wal_keep_size = '16MB'", "SELECT pg_reload_conf()");
            String db = pg.createDatabase("lost");
            pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY)");
            try (PgFloProcess stream = PgFloProcess.start(pg, db, "lost", null, "stdout", "--tables", "t",
                    "--status-dir", status.toString(), "--reconnect-attempts", "5")) {
                StreamStdoutIT.insertRange(pg, db, 1, 100);
                stream.awaitCaughtUp();
                // Stopped, pg_flo confirms nothing while the server writes well past the slot's 16 MB: at a
                // checkpoint the server then ends the walsender and marks the slot lost.
                signal(stream.pid(), "STOP");
                try {
                    for (int round = 0; round < 3; round++) {
                        pg.execute(db, "CREATE TABLE IF NOT EXISTS filler (v text)",
                                "INSERT INTO filler SELECT repeat('x', 1000) FROM generate_series(1, 20000)",
                                "SELECT pg_switch_wal()", "CHECKPOINT");
                    }
                    assertThat(pg.queryString(db, "SELECT wal_status FROM pg_replication_slots "
                            + "WHERE slot_name = 'pg_flo_lost_slot'")).isEqualTo("lost");
                } finally {
                    signal(stream.pid(), "CONT");
                }

                assertThat(stream.awaitExit(Duration.ofSeconds(60))).as(stream.stderr()).isEqualTo(2);
                assertThat(stream.stderr()).contains("replication slot pg_flo_lost_slot was invalidated by the server")
                        .contains("pg_drop_replication_slot('pg_flo_lost_slot')")
                        .doesNotContain("attempt 2 of 5");
            }
        }
    }

    private static void signal(long pid, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -%s %s", signal, pid).isZero();
    }

    private static void assertEveryIdAtLeastOnce(List<JsonNode> events, int last) {
        List<Integer> ids = events.stream().map(e -> e.get("data").get("id").asInt()).distinct().sorted().toList();
        assertThat(ids).hasSize(last).startsWith(1).endsWith(last);
    }
}
