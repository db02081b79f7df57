package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgflo.testkit.JavaProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's first command: {@code pg_flo demo}. */
class DemoIT {
    @Test
    void demoStreamsAMixedWorkloadFromAnEmbeddedPostgresAndExitsCleanly() throws Exception {
        try (JavaProcess demo = JavaProcess.builder(Main.class).args("demo").jvmArgs("-Xmx256m").start()) {
            assertThat(demo.waitFor(Duration.ofSeconds(120))).as("demo finished").isTrue();
            assertThat(demo.exitCode()).as("exit status; stderr: %s", demo.stderr()).isZero();
            List<JsonNode> events = new ArrayList<>();
            ObjectMapper json = new ObjectMapper();
            for (String line : demo.stdout().split("\n")) {
                events.add(json.readTree(line));
            }
            assertThat(events).extracting(e -> e.get("type").asText()).contains("INSERT", "UPDATE", "DELETE");
            assertThat(events).hasSize(13);
            assertThat(events.stream().filter(e -> e.get("table").asText().equals("orders")).map(e -> e.get("xid").asLong()).distinct())
                    .as("the multi-row transaction arrives as one transaction").hasSize(1);
        }
    }
}
