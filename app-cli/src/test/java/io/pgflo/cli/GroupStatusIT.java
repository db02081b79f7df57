package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgflo.sink.api.Lsn;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code pg_flo status} against a real PostgreSQL: a group streaming, a group stopped, a group that is not there. */
@ExtendWith(PostgresExtension.class)
class GroupStatusIT {

    @Test
    void aRunningGroupShowsItsActiveSlotWithTheWalsendersPidAndItsCheckpoint(TestPostgres pg, @TempDir Path dir) {
        String db = pg.createDatabase("status_running");
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY, v text)");
        Path status = dir.resolve("status");
        try (PgFloProcess stream = PgFloProcess.start(pg, db, "live", dir.resolve("run"), "stdout", "--tables", "t",
                "--status-dir", status.toString())) {
            pg.execute(db, "INSERT INTO t VALUES (1, 'a')");
            stream.awaitCaughtUp();
            long pid = pg.queryLong(db, "SELECT active_pid FROM pg_replication_slots WHERE slot_name = 'pg_flo_live_slot'");

            PgFloCommand.Ran json = PgFloCommand.run(pg, db, dir, "status", "live", "--status-dir", status.toString(),
                    "--json");
            assertThat(json.exitCode()).as(json.stderr()).isZero();
            JsonNode report = json.json();
            assertThat(report.get("group").asText()).isEqualTo("live");
            assertThat(report.get("source").asText())
                    .isEqualTo(pg.host() + ":" + pg.port() + "/" + db + " as " + TestPostgres.SUPERUSER);
            Lsn server = Lsn.parse(report.get("server_lsn").asText());
            JsonNode slot = report.get("slot");
            assertThat(slot.get("name").asText()).isEqualTo("pg_flo_live_slot");
            assertThat(slot.get("exists").asBoolean()).isTrue();
            assertThat(slot.get("active").asBoolean()).isTrue();
            assertThat(slot.get("active_pid").asLong()).isEqualTo(pid);
            Lsn confirmed = Lsn.parse(slot.get("confirmed_flush_lsn").asText());
            assertThat(slot.get("lag_bytes").asLong()).isEqualTo(server.value() - confirmed.value());
            assertThat(slot.get("retained_wal_bytes").asLong()).isNotNegative();
            assertThat(slot.get("wal_status").asText()).isEqualTo("reserved");
            assertThat(report.get("publication").get("exists").asBoolean()).isTrue();
            assertThat(report.get("publication").get("tables").toString())
                    .isEqualTo("[{\"schema\":\"public\",\"table\":\"t\"}]");
            assertThat(report.get("backfills").get("pending")).isEmpty(); // the stream made the request table
            assertThat(report.get("status_dir").asText()).isEqualTo(status.toAbsolutePath().toString());
            assertThat(report.get("checkpoints")).hasSize(1);
            JsonNode checkpoint = report.get("checkpoints").get(0);
            assertThat(checkpoint.get("sink").asText()).isEqualTo("stdout");
            assertThat(checkpoint.get("file").asText()).isEqualTo("pg_flo_stdout_last_lsn.json");
            Lsn saved = Lsn.parse(checkpoint.get("lsn").asText());
            assertThat(saved).isGreaterThan(Lsn.ZERO);
            assertThat(checkpoint.get("lag_bytes").asLong()).isEqualTo(server.value() - saved.value());
            assertThat(checkpoint.get("fields").has("updated_at")).isTrue();
            assertThat(checkpoint.get("error").isNull()).isTrue();

            PgFloCommand.Ran text = PgFloCommand.run(pg, db, dir, "status", "live", "--status-dir", status.toString());
            assertThat(text.exitCode()).as(text.stderr()).isZero();
            assertThat(text.stdout())
                    .contains("slot pg_flo_live_slot: active, streaming to pid " + pid + "; wal_status reserved")
                    .contains("publication pg_flo_live_publication: public.t")
                    .contains("backfills: 0 pending, 0 complete")
                    // Heartbeats move the checkpoint on between the two commands.
                    .containsPattern("  stdout \\(pg_flo_stdout_last_lsn.json\\): [0-9A-F]+/[0-9A-F]+, written \\S+Z, "
                            + "\\d+ bytes \\(\\d+(\\.\\d)? k?B\\) behind the server");
        }
    }

    @Test
    void aMonitoringRoleSeesTheSlotWithoutTheBackfillsItMayNotReadAndNoPasswordIsShown(TestPostgres pg,
            @TempDir Path dir) {
        String db = pg.createDatabase("status_monitor");
        String password = "Pw-for-status-8812";
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY)",
                "DO $$ BEGIN CREATE ROLE status_monitor LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$",
                "ALTER ROLE status_monitor PASSWORD '" + password + "'");
        try (PgFloProcess stream = PgFloProcess.start(pg, db, "watched", dir.resolve("run"), "stdout", "--tables", "t",
                "--status-dir", dir.resolve("status").toString())) {
            PgFloCommand.Ran ran = PgFloCommand.runAs(pg, db, dir, "status_monitor", password, "status", "watched",
                    "--status-dir", dir.resolve("status").toString(), "--json");

            assertThat(ran.exitCode()).as(ran.stderr()).isZero();
            assertThat(ran.json().get("slot").get("active").asBoolean()).isTrue();
            assertThat(ran.json().get("backfills").isNull()).isTrue();
            assertThat(ran.stderr()).contains("cannot read internal_pg_flo.backfill_requests as user status_monitor");
            assertThat(ran.stdout() + ran.stderr()).doesNotContain(password);
        }
    }

    @Test
    void aStoppedGroupShowsItsInactiveSlotAndTheWalItKeeps(TestPostgres pg, @TempDir Path dir) {
        String db = pg.createDatabase("status_stopped");
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY, v text)");
        Path status = dir.resolve("status");
        try (PgFloProcess stream = PgFloProcess.start(pg, db, "idle", dir.resolve("run"), "stdout", "--tables", "t",
                "--status-dir", status.toString())) {
            pg.execute(db, "INSERT INTO t VALUES (1, 'a')");
            stream.awaitCaughtUp();
            assertThat(stream.stop()).isZero();
        }
        pg.execute(db, "INSERT INTO t SELECT g, repeat('x', 200) FROM generate_series(2, 2000) g");

        PgFloCommand.Ran ran = PgFloCommand.run(pg, db, dir, "status", "idle", "--status-dir", status.toString(), "--json");

        assertThat(ran.exitCode()).as(ran.stderr()).isZero();
        JsonNode slot = ran.json().get("slot");
        assertThat(slot.get("active").asBoolean()).isFalse();
        assertThat(slot.get("active_pid").isNull()).isTrue();
        assertThat(slot.get("retained_wal_bytes").asLong()).as("the rows written since the stop").isGreaterThan(400_000);
        assertThat(slot.get("lag_bytes").asLong()).isGreaterThan(400_000);
        assertThat(ran.json().get("checkpoints").get(0).get("lag_bytes").asLong()).isGreaterThan(400_000);

        PgFloCommand.Ran text = PgFloCommand.run(pg, db, dir, "status", "idle", "--status-dir", status.toString());
        assertThat(text.stdout()).contains("slot pg_flo_idle_slot: inactive (no pg_flo streams from it)")
                .containsPattern("retained WAL \\d+ bytes \\(\\d+\\.\\d (kB|MB)\\)");
    }

    @Test
    void anUnknownGroupIsOneLineAndStatusTwo(TestPostgres pg, @TempDir Path dir) {
        String db = pg.createDatabase("status_unknown");

        PgFloCommand.Ran ran = PgFloCommand.run(pg, db, dir, "status", "Nosuch");

        assertThat(ran.exitCode()).isEqualTo(2);
        assertThat(ran.stdout()).isEmpty();
        assertThat(ran.stderr().lines().toList()).containsExactly("pg_flo: there is no group 'Nosuch' on " + pg.host()
                + ":" + pg.port() + "/" + db + " as " + TestPostgres.SUPERUSER
                + " (no slot pg_flo_nosuch_slot, no publication pg_flo_nosuch_publication); check --group and --dbname");
    }
}
