package io.pgflo.cli;

import io.pgflo.domain.PipelineListener;
import io.pgflo.metrics.Health;
import io.pgflo.metrics.MetricsServer;
import io.pgflo.metrics.PipelineMetrics;
import io.pgflo.sink.api.ConfigurationException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * What {@code --metrics-port} turns on for one stream: the health the runner reports its phases to, the pipeline's
 * metrics, and the HTTP endpoint serving both. Off (and free) without the flag.
 */
final class Monitoring implements AutoCloseable {
    /** Health thresholds: a stream stalls after this many heartbeat intervals without any progress. */
    private static final int STALLED_HEARTBEATS = 6;

    private final Health health;
    private final PipelineListener listener;
    private final MetricsServer server;

    private Monitoring(Health health, PipelineListener listener, MetricsServer server) {
        this.health = health;
        this.listener = listener;
        this.server = server;
    }

    /**
     * Starts the endpoint when {@code options} ask for one; {@code lagSeconds} reads the running pipeline's lag.
     *
     * @throws ConfigurationException when the port cannot be bound
     */
    static Monitoring start(SourceOptions options, String sink, Supplier<Double> lagSeconds) {
        Health health = new Health(options.heartbeatInterval().multipliedBy(STALLED_HEARTBEATS));
        if (options.metricsPort == 0) {
            return new Monitoring(health, PipelineListener.NONE, null);
        }
        PrometheusRegistry registry = new PrometheusRegistry();
        PipelineMetrics metrics = new PipelineMetrics(registry, options.group, sink, health, lagSeconds);
        try {
            return new Monitoring(health, metrics, MetricsServer.start(options.metricsBind, options.metricsPort,
                    registry, health));
        } catch (IOException e) {
            throw new ConfigurationException("cannot serve metrics on " + options.metricsBind + ":" + options.metricsPort
                    + " (" + e.getMessage() + "); choose another --metrics-port or --metrics-bind", e);
        }
    }

    Health health() {
        return health;
    }

    PipelineListener listener() {
        return listener;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
