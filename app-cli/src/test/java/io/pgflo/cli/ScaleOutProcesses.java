package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.testkit.JavaProcess;
import io.pgflo.testkit.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The scale-out tests' child processes ({@code pg_flo replicator}, {@code pg_flo worker}) and their waits. */
final class ScaleOutProcesses {
    private ScaleOutProcesses() {}

    /** {@code pg_flo <args>} in a child JVM, its output under {@code logs}; passwords from the environment. */
    static JavaProcess start(Path logs, List<String> args) {
        return JavaProcess.builder(Main.class).args(args)
                .env("PGFLO_PASSWORD", TestPostgres.SUPERUSER_PASSWORD)
                .env("PGFLO_TARGET_PASSWORD", TestPostgres.SUPERUSER_PASSWORD)
                .env("PGFLO_SOURCE_PASSWORD", TestPostgres.SUPERUSER_PASSWORD)
                .jvmArgs("-Xmx128m", "-XX:TieredStopAtLevel=1")
                .logDirectory(logs)
                .start();
    }

    /** Waits until the replicator's slot is active: from then on every commit is captured. */
    static void awaitSlotActive(TestPostgres pg, String db, String group, JavaProcess replicator)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(replicator.isAlive()).as("replicator running; stderr: %s", replicator.stderr()).isTrue();
            if ("true".equals(pg.queryString(db, "SELECT coalesce((SELECT active::text FROM pg_replication_slots "
                    + "WHERE slot_name = 'pg_flo_" + group + "_slot'), 'none')"))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("slot of group " + group + " never active: " + replicator.stderr());
    }

    /** SIGTERM to each, and each exits 0. */
    static void stopCleanly(List<JavaProcess> processes) {
        for (JavaProcess process : processes) {
            process.terminate();
            assertThat(process.waitFor(Duration.ofSeconds(60))).as("%s stopped", process).isTrue();
            assertThat(process.exitCode()).as("clean stop of %s: %s", process, process.stderr()).isZero();
        }
    }
}
