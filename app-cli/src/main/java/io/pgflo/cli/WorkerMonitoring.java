package io.pgflo.cli;

import io.pgflo.domain.PipelineListener;
import io.pgflo.metrics.Health;
import io.pgflo.metrics.MetricsServer;
import io.pgflo.metrics.PipelineMetrics;
import io.pgflo.nats.ConsumerBacklog;
import io.pgflo.sink.api.ConfigurationException;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A worker's {@code /metrics}: the pipeline's metrics as for {@code pg_flo stream}, labelled with the sink, plus
 * {@code pgflo_nats_consumer_pending_messages}, how many messages its consumer is behind the stream.
 */
final class WorkerMonitoring implements AutoCloseable {
    private final Health health;
    private final PipelineListener listener;
    private final MetricsServer server;
    private final ConsumerBacklog backlog;

    private WorkerMonitoring(Health health, PipelineListener listener, MetricsServer server, ConsumerBacklog backlog) {
        this.health = health;
        this.listener = listener;
        this.server = server;
        this.backlog = backlog;
    }

    static WorkerMonitoring start(WorkerFlags flags, String sink, String consumer, Supplier<Double> lagSeconds,
            ConsumerBacklog backlog) {
        Health health = new Health(Duration.ofMinutes(1));
        if (flags.metrics.port == 0) {
            return new WorkerMonitoring(health, PipelineListener.NONE, null, backlog);
        }
        PrometheusRegistry registry = new PrometheusRegistry();
        PipelineMetrics metrics = new PipelineMetrics(registry, flags.group, sink, health, lagSeconds);
        GaugeWithCallback.builder().name("pgflo_nats_consumer_pending_messages")
                .help("messages of the JetStream stream this worker's consumer has not yet had acknowledged; -1 when "
                        + "the server cannot say")
                .constLabels(Labels.of("group", flags.group, "consumer", consumer))
                .callback(callback -> callback.call(backlog.messages())).register(registry);
        try {
            return new WorkerMonitoring(health, metrics,
                    MetricsServer.start(flags.metrics.bind, flags.metrics.port, registry, health), backlog);
        } catch (IOException e) {
            throw new ConfigurationException("cannot serve metrics on " + flags.metrics.bind + ":" + flags.metrics.port
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
        backlog.close();
    }
}
