package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.sink.api.Lsn;
import io.pgflo.testkit.JavaProcess;
import io.pgflo.testkit.TestPostgres;
import io.pgflo.wal.ReplicationNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A {@code pg_flo stream ...} child process and the waits tests need around it: slot active, caught up. */
final class PgFloProcess implements AutoCloseable {
    private final TestPostgres pg;
    private final String database;
    private final String slot;
    private final JavaProcess process;

    private PgFloProcess(TestPostgres pg, String database, String group, JavaProcess process) {
        this.pg = pg;
        this.database = database;
        this.slot = ReplicationNames.forGroup(group).slot();
        this.process = process;
    }

    /**
     * Starts {@code pg_flo stream <sink> <common flags for pg/db/group> <extra>} and waits until it streams.
     *
     * @param logs where the child's stdout and stderr files go, or null for the testkit's default
     */
    static PgFloProcess start(TestPostgres pg, String database, String group, Path logs, String sink, String... extra) {
        PgFloProcess started = launch(pg, database, group, logs, sink, extra);
        started.awaitActive();
        return started;
    }

    /** Starts pg_flo without waiting for its stream (a copy runs before the slot becomes active, if ever). */
    static PgFloProcess launch(TestPostgres pg, String database, String group, Path logs, String sink, String... extra) {
        List<String> args = new ArrayList<>(List.of("stream", sink, "--host", pg.host(), "--port", Integer.toString(pg.port()),
                "--dbname", database, "--user", TestPostgres.SUPERUSER, "--group", group, "--batch-delay-ms", "20",
                "--heartbeat-interval", "1", "--progress-interval", "0", "--reconnect-backoff-ms", "200"));
        args.addAll(List.of(extra));
        JavaProcess.Builder builder = JavaProcess.builder(Main.class).args(args)
                .env("PGFLO_PASSWORD", TestPostgres.SUPERUSER_PASSWORD)
                .env("PGFLO_TARGET_PASSWORD", TestPostgres.SUPERUSER_PASSWORD)
                .jvmArgs("-Xmx128m");
        JavaProcess process = (logs == null ? builder : builder.logDirectory(logs)).start();
        return new PgFloProcess(pg, database, group, process);
    }

    /**
     * Starts {@code pg_flo} with exactly {@code args} (no flags added, no password in the environment: a command line
     * or a config file as a user would give it) and waits until group {@code group}'s slot is active.
     */
    static PgFloProcess startExactly(TestPostgres pg, String database, String group, Path logs, List<String> args) {
        JavaProcess process = JavaProcess.builder(Main.class).args(args).jvmArgs("-Xmx128m").logDirectory(logs).start();
        PgFloProcess started = new PgFloProcess(pg, database, group, process);
        started.awaitActive();
        return started;
    }

    private void awaitActive() {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("pg_flo running; stderr: %s", process.stderr()).isTrue();
            if (pg.isStreamedFrom(database, slot)) {
                return;
            }
            process.waitFor(Duration.ofMillis(50));
        }
        throw new AssertionError(slot + " never became active: " + process.stderr());
    }

    /** Waits until the slot is acknowledged past everything committed so far. */
    void awaitCaughtUp() {
        Lsn end = Lsn.parse(pg.queryString(database, "SELECT pg_current_wal_insert_lsn()::text"));
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            Lsn confirmed = Lsn.parse(pg.queryString(database,
                    "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = '" + slot + "'"));
            if (!confirmed.isBefore(end)) {
                return;
            }
            assertThat(process.isAlive()).as("pg_flo running; stderr: %s", process.stderr()).isTrue();
            process.waitFor(Duration.ofMillis(100));
        }
        throw new AssertionError("pg_flo did not catch up to " + end + ": " + process.stderr());
    }

    /** Waits for the process to end by itself; returns the exit status. */
    int awaitExit(Duration timeout) {
        assertThat(process.waitFor(timeout)).as("pg_flo exited within %s; stderr: %s", timeout, process.stderr()).isTrue();
        return process.exitCode();
    }

    int kill() {
        return process.kill();
    }

    long pid() {
        return process.pid();
    }

    /** SIGTERM; returns the exit status. */
    int stop() {
        process.terminate();
        assertThat(process.waitFor(Duration.ofSeconds(60))).as("stopped").isTrue();
        return process.exitCode();
    }

    String stderr() {
        return process.stderr();
    }

    String stdout() {
        return process.stdout();
    }

    Path stdoutFile() {
        return process.stdoutFile();
    }

    @Override
    public void close() {
        process.close();
    }
}
