package io.pgflo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness end to end on a tiny workload: every contender that can run here drains the whole of it. It measures
 * nothing and asserts no speed; the benchmark itself is {@code ./bench}.
 */
class BenchmarkSmokeIT {
    private static final int ROWS = 1_000;
    private static final List<String> CONTENDERS = java.util.stream.Stream.concat(
            BenchOptions.ALL_CONTENDERS.stream(), java.util.stream.Stream.of("file-metrics", "file-rules")).toList();

    @Test
    void everyAvailableContenderDrainsTheWholeWorkload(@TempDir Path directory) throws Exception {
        Path repository = repository();
        BenchOptions options = BenchOptions.parse(new String[] {
            "--rows", Integer.toString(ROWS), "--verify", "--timeout", "180",
            "--contenders", String.join(",", CONTENDERS),
            "--results-dir", directory.resolve("results").toString(),
            "--work-dir", directory.resolve("work").toString(),
        }, repository);
        BenchmarkRun run = new BenchmarkRun(options, System.err);

        List<ContenderResult> results = run.run();
        Path json = run.writeResults(results);

        List<String> rows = new ArrayList<>(CONTENDERS);
        boolean webhookRan = results.stream().anyMatch(r -> r.id().equals("webhook") && r.ok());
        if (webhookRan) {
            // What the receiver takes from wrk, right after the per-event webhook: measured, or why not (no wrk).
            rows.add(rows.indexOf("webhook") + 1, ContenderResult.RECEIVER_CEILING);
            ContenderResult ceiling = results.stream().filter(r -> r.id().equals(ContenderResult.RECEIVER_CEILING))
                    .findFirst().orElseThrow();
            assertThat(ceiling.status()).as(ceiling.note()).isIn(ContenderResult.OK, ContenderResult.NOT_AVAILABLE);
            if (ceiling.ok()) {
                assertThat(ceiling.eventsPerSecond()).isPositive();
            }
        }
        assertThat(results).extracting(ContenderResult::id).containsExactlyElementsOf(rows);
        List<ContenderResult> ran = results.stream().filter(r -> !r.status().equals(ContenderResult.NOT_AVAILABLE)
                && !r.id().equals(ContenderResult.RECEIVER_CEILING)).toList();
        assertThat(ran).extracting(ContenderResult::id).contains("native");
        for (ContenderResult result : ran) {
            assertThat(result.status()).as(result.contender() + ": " + result.note()).isEqualTo(ContenderResult.OK);
            assertThat(result.events()).isEqualTo(ROWS);
            if (result.deliveredEvents() != null) {
                assertThat(result.deliveredEvents()).as(result.contender() + " delivered").isEqualTo(ROWS);
            }
        }
        if (Files.isRegularFile(repository.resolve("app-cli/target/pg_flo.jar"))) {
            ContenderResult stdout = ran.stream().filter(r -> r.id().equals("stdout")).findFirst().orElseThrow();
            assertThat(stdout.deliveredEvents()).isEqualTo(ROWS);
            // The GC log was read; so small a run may end before its first collection (no peak heap then).
            assertThat(stdout.gcCount()).isNotNull();
            ContenderResult postgres = ran.stream().filter(r -> r.id().equals("postgres")).findFirst().orElseThrow();
            assertThat(postgres.note()).matches("target table = source, target backend \\d+\\.\\d cpu s");
        }
        assertThat(Files.readString(json)).contains("\"results\"", "\"machine\"");
        assertThat(results.stream().filter(r -> r.id().equals("native")).findFirst().orElseThrow().note())
                .isEqualTo("target table = source");
    }

    /** The reactor root: the directory above this module. */
    private static Path repository() {
        Path module = Path.of("").toAbsolutePath();
        return module.getFileName().toString().equals("benchmarks") ? module.getParent() : module;
    }
}
