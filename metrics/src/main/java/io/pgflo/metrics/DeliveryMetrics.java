package io.pgflo.metrics;

import io.pgflo.domain.DeliveryMonitor;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a built-in sink reports about its destination ({@link DeliveryMonitor}): requests by outcome as
 * {@code pgflo_webhook_requests_total{code}}, and a sink in retry as not ready on the {@link Health}. Called from the
 * sink's threads, once per request: a map lookup and an add.
 */
public final class DeliveryMetrics implements DeliveryMonitor {
    private final Health health;
    private final Counter requests;
    private final Map<String, CounterDataPoint> byCode = new ConcurrentHashMap<>();

    /** Readiness only, for a run without {@code --metrics-port}: no registry, nothing counted. */
    public DeliveryMetrics(Health health) {
        this.health = health;
        this.requests = null;
    }

    public DeliveryMetrics(PrometheusRegistry registry, String group, String sink, Health health) {
        this.health = health;
        this.requests = Counter.builder().name("pgflo_webhook_requests_total")
                .help("requests the webhook sink sent, by outcome: the HTTP status, or io_error or timeout without one")
                .constLabels(Labels.of("group", group, "sink", sink)).labelNames("code").register(registry);
    }

    @Override
    public void requestEnded(String code) {
        if (requests != null) {
            byCode.computeIfAbsent(code, requests::labelValues).inc();
        }
    }

    @Override
    public void retrying(String reason) {
        health.sinkRetrying(reason);
    }

    @Override
    public void delivering() {
        health.sinkDelivering();
    }
}
