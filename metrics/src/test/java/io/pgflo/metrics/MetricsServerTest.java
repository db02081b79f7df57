package io.pgflo.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.domain.SourceChange;
import io.pgflo.sink.api.Batch;
import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.ColumnType;
import io.pgflo.sink.api.ColumnValue;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.Row;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The endpoint, over real HTTP: what a Prometheus scrape and an orchestrator's probes see. */
class MetricsServerTest {
    private static final Column ID = new Column("id", new ColumnType(23, "integer", 23, 0), true);
    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void servesTheNamedMetricsLabelledWithGroupAndSinkAndTheJvmsOwn() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        Health health = new Health(Duration.ofMinutes(1));
        PipelineMetrics metrics = new PipelineMetrics(registry, "orders", "file", health, () -> 0.25);
        metrics.transactionCommitted();
        metrics.filtered(insert("t", 4));
        metrics.filtered(insert("t", 5));
        metrics.batchWritten(Batch.of(List.of(insert("t", 1), insert("t", 2), insert("u", 3)), Lsn.of(100)),
                Duration.ofMillis(3));
        metrics.durable(Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00.020Z"));
        health.enter(Health.Phase.STREAMING, null);
        try (MetricsServer server = MetricsServer.start("127.0.0.1", 0, registry, health)) {
            String text = get(server, "/metrics").body();
            assertThat(text)
                    .contains("pgflo_events_total{group=\"orders\",op=\"INSERT\",sink=\"file\",table=\"public.t\"} 2.0")
                    .contains("pgflo_events_total{group=\"orders\",op=\"INSERT\",sink=\"file\",table=\"public.u\"} 1.0")
                    .contains("pgflo_events_filtered_total{group=\"orders\",sink=\"file\",table=\"public.t\"} 2.0")
                    .contains("pgflo_transactions_total{group=\"orders\",sink=\"file\"} 1.0")
                    .contains("pgflo_batch_write_seconds_count{group=\"orders\",sink=\"file\"} 1")
                    .contains("pgflo_commit_to_durable_seconds_bucket{group=\"orders\",sink=\"file\",le=\"0.025\"} 1")
                    .contains("pgflo_replication_lag_seconds{group=\"orders\",sink=\"file\"} 0.25")
                    .contains("pgflo_up{group=\"orders\",sink=\"file\"} 1.0")
                    .contains("jvm_memory_used_bytes");
        }
    }

    @Test
    void readyOnlyWhileStreamingAndAliveUntilAStreamStalls() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        Health health = new Health(Duration.ofMillis(300));
        try (MetricsServer server = MetricsServer.start("127.0.0.1", 0, registry, health)) {
            HttpResponse<String> starting = get(server, "/health/ready");
            assertThat(starting.statusCode()).isEqualTo(503);
            assertThat(starting.body()).contains("\"phase\":\"starting\"");

            health.enter(Health.Phase.STREAMING, null);
            assertThat(get(server, "/health/ready").statusCode()).isEqualTo(200);
            assertThat(get(server, "/health/live").statusCode()).isEqualTo(200);

            health.enter(Health.Phase.RECONNECTING, "source lost (connection refused)");
            HttpResponse<String> reconnecting = get(server, "/health/ready");
            assertThat(reconnecting.statusCode()).isEqualTo(503);
            assertThat(reconnecting.body()).contains("reconnecting: source lost (connection refused)");
            assertThat(get(server, "/health/live").statusCode()).as("reconnecting is not wedged").isEqualTo(200);

            health.enter(Health.Phase.STREAMING, null);
            Thread.sleep(400);
            HttpResponse<String> stalled = get(server, "/health/live");
            assertThat(stalled.statusCode()).as("no progress, not even a heartbeat").isEqualTo(503);
            assertThat(stalled.body()).contains("no progress");
            health.progressed();
            assertThat(get(server, "/health/live").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aSinkInRetryIsNotReadyButAliveAndItsRequestsAreCountedByCode() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        Health health = new Health(Duration.ofMillis(300));
        DeliveryMetrics delivery = new DeliveryMetrics(registry, "orders", "webhook", health);
        health.enter(Health.Phase.STREAMING, null);
        try (MetricsServer server = MetricsServer.start("127.0.0.1", 0, registry, health)) {
            delivery.requestEnded("200");
            delivery.requestEnded("200");
            delivery.requestEnded("503");
            delivery.requestEnded("io_error");
            delivery.retrying("POST http://hooks.example.com/pg for the event at LSN 0/16B3748: HTTP 503");

            HttpResponse<String> retrying = get(server, "/health/ready");
            assertThat(retrying.statusCode()).isEqualTo(503);
            assertThat(retrying.body()).contains("\"phase\":\"streaming\"")
                    .contains("sink in retry: POST http://hooks.example.com/pg for the event at LSN 0/16B3748: HTTP 503");
            Thread.sleep(400);
            assertThat(get(server, "/health/live").statusCode()).as("waiting within its own bound").isEqualTo(200);
            assertThat(get(server, "/metrics").body())
                    .contains("pgflo_webhook_requests_total{code=\"200\",group=\"orders\",sink=\"webhook\"} 2.0")
                    .contains("pgflo_webhook_requests_total{code=\"503\",group=\"orders\",sink=\"webhook\"} 1.0")
                    .contains("pgflo_webhook_requests_total{code=\"io_error\",group=\"orders\",sink=\"webhook\"} 1.0");

            delivery.delivering();
            assertThat(get(server, "/health/ready").statusCode()).isEqualTo(200);
            assertThat(get(server, "/health/live").statusCode()).isEqualTo(200);
        }
    }

    private HttpResponse<String> get(MetricsServer server, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static SourceChange insert(String table, int id) {
        return new SourceChange(Operation.INSERT, "public", table, Lsn.of(1), Lsn.of(2), 1, Instant.EPOCH, 0,
                List.of("id"), new Row(List.of(ColumnValue.text(ID, Integer.toString(id)))), null, null);
    }
}
