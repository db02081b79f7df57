package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgflo.testkit.JavaProcess;
import io.pgflo.testkit.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The scale-out tests' child processes ({@code pg_flo replicator}, {@code pg_flo worker}) and their waits. */
final class ScaleOutProcesses {
    private static final ObjectMapper JSON = new ObjectMapper();

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
            if (pg.isStreamedFrom(db, "pg_flo_" + group + "_slot")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("slot of group " + group + " never active: " + replicator.stderr());
    }

    /** The complete lines of the file sink's {@code .jsonl} files in {@code out}, in file order; none when it is missing. */
    static List<JsonNode> fileEvents(Path out) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        if (!Files.isDirectory(out)) {
            return events;
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(out)) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
        for (Path file : files) {
            String content = Files.readString(file);
            for (String line : content.substring(0, content.lastIndexOf('\n') + 1).split("\n")) {
                if (!line.isEmpty()) {
                    events.add(JSON.readTree(line));
                }
            }
        }
        return events;
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
