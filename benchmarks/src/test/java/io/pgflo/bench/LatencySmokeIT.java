package io.pgflo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The latency harness end to end at a low rate for two seconds: every contender gets every row durable and each
 * row's latency is measured. It asserts no figure; the benchmark itself is {@code ./bench --workload latency}.
 */
class LatencySmokeIT {
    @Test
    void everyContenderMakesEveryRowDurableAndIsMeasured(@TempDir Path directory) throws Exception {
        Path repository = repository();
        LatencyBenchmark.Settings settings = LatencyBenchmark.parse(new String[] {
            "--workload", "latency", "--rates", "200", "--seconds", "2", "--warmup-seconds", "1",
            "--results-dir", directory.resolve("results").toString(),
            "--work-dir", directory.resolve("work").toString(),
        }, repository);

        List<LatencyBenchmark.Outcome> outcomes = new LatencyBenchmark(settings, System.err).run();

        assertThat(outcomes).extracting(LatencyBenchmark.Outcome::contender)
                .containsExactlyElementsOf(LatencyBenchmark.CONTENDERS);
        for (LatencyBenchmark.Outcome outcome : outcomes) {
            assertThat(outcome.status()).as(outcome.contender()).isEqualTo("ok");
            assertThat(outcome.segments()).hasSize(1);
            LatencyStats stats = outcome.segments().get(0);
            assertThat(stats.delivered()).as(outcome.contender()).isEqualTo(400);
            assertThat(stats.p99Ms()).as(outcome.contender()).isGreaterThanOrEqualTo(stats.p50Ms()).isLessThan(60_000);
        }
        try (var files = Files.list(directory.resolve("results"))) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("latency-"));
        }
    }

    @Test
    void refusesAnUnknownContenderWithWhatItTakes() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LatencyBenchmark.parse(
                        new String[] {"--workload", "latency", "--contenders", "kafka"}, repository()))
                .hasMessageContaining("latency contenders are file,postgres,webhook,webhook-batch,native");
    }

    /** The reactor root: the directory above this module. */
    private static Path repository() {
        Path module = Path.of("").toAbsolutePath();
        return module.getFileName().toString().equals("benchmarks") ? module.getParent() : module;
    }
}
