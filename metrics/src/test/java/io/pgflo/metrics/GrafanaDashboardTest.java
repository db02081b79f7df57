package io.pgflo.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The ready-made dashboard stays true to what pg_flo serves: every pg_flo metric a panel queries is in the README's
 * metrics table (the names dashboards and alerts may rely on), and every JVM metric is one the endpoint serves.
 */
class GrafanaDashboardTest {
    private static final Path DASHBOARD = Path.of("grafana/pg_flo-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\b((?:pgflo|jvm)_[a-z_]+)");
    private static final Set<String> HISTOGRAM_SUFFIXES = Set.of("_bucket", "_count", "_sum");

    @Test
    void queriesOnlyDocumentedPgFloMetricsAndServedJvmMetrics() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        Set<String> queried = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(panel.get("targets")).as(panel.get("title").asText()).isNotEmpty();
            for (JsonNode target : panel.get("targets")) {
                Matcher metric = METRIC.matcher(target.get("expr").asText());
                while (metric.find()) {
                    queried.add(withoutSuffix(metric.group(1)));
                }
            }
        }
        String readme = Files.readString(Path.of("../README.md"));
        String served = scrape();
        List<String> missing = new ArrayList<>();
        for (String name : queried) {
            boolean known = name.startsWith("pgflo_") ? readme.contains("`" + name) : served.contains(name);
            if (!known) {
                missing.add(name);
            }
        }
        assertThat(queried).contains("pgflo_up", "pgflo_replication_lag_seconds", "pgflo_slot_retained_wal_bytes",
                "jvm_memory_used_bytes");
        assertThat(missing).as("metrics the dashboard queries but pg_flo neither documents nor serves").isEmpty();
    }

    private static String withoutSuffix(String name) {
        for (String suffix : HISTOGRAM_SUFFIXES) {
            if (name.endsWith("_seconds" + suffix)) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }

    private static String scrape() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        try (MetricsServer server = MetricsServer.start("127.0.0.1", 0, registry, new Health(Duration.ofMinutes(1)))) {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        }
    }
}
