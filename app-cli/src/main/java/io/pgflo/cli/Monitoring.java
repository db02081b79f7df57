package io.pgflo.cli;

import io.pgflo.domain.CopyStats;
import io.pgflo.domain.DeliveryMonitor;
import io.pgflo.domain.PipelineListener;
import io.pgflo.metrics.DeliveryMetrics;
import io.pgflo.metrics.Health;
import io.pgflo.metrics.MetricsServer;
import io.pgflo.metrics.PipelineMetrics;
import io.pgflo.metrics.RunMetrics;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.wal.SlotProbe;
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
    /** The slot's figures cost a query on the source: at most one per scrape interval of a few seconds. */
    private static final long SLOT_FIGURES_MAX_AGE_MILLIS = 5_000;

    private final Health health;
    private final PipelineListener listener;
    private final RunMetrics run;
    private final SlotProbe slot;
    private final MetricsServer server;
    private final DeliveryMonitor delivery;

    private Monitoring(Health health, PipelineListener listener, RunMetrics run, SlotProbe slot, MetricsServer server,
            DeliveryMonitor delivery) {
        this.health = health;
        this.delivery = delivery;
        this.listener = listener;
        this.run = run;
        this.slot = slot;
        this.server = server;
    }

    /**
     * Starts the endpoint when {@code options} ask for one; {@code lagSeconds} reads the running pipeline's lag.
     *
     * @throws ConfigurationException when the port cannot be bound
     */
    static Monitoring start(SourceOptions options, String sink, Supplier<Double> lagSeconds,
            Supplier<CopyStats> copy) {
        Health health = new Health(options.heartbeatInterval().multipliedBy(STALLED_HEARTBEATS));
        if (options.metrics.port == 0) {
            return new Monitoring(health, PipelineListener.NONE, null, null, null, new DeliveryMetrics(health));
        }
        PrometheusRegistry registry = new PrometheusRegistry();
        PipelineMetrics metrics = new PipelineMetrics(registry, options.group, sink, health, lagSeconds);
        SlotProbe slot = new SlotProbe(options.endpoint(), options.group, SLOT_FIGURES_MAX_AGE_MILLIS);
        RunMetrics run = new RunMetrics(registry, options.group, sink, () -> slot.figures().lagBytes(),
                () -> slot.figures().retainedWalBytes(), copy);
        try {
            return new Monitoring(health, metrics, run, slot, MetricsServer.start(options.metrics.bind,
                    options.metrics.port, registry, health), new DeliveryMetrics(registry, options.group, sink, health));
        } catch (IOException e) {
            slot.close();
            throw new ConfigurationException("cannot serve metrics on " + options.metrics.bind + ":" + options.metrics.port
                    + " (" + e.getMessage() + "); choose another --metrics-port or --metrics-bind", e);
        }
    }

    Health health() {
        return health;
    }

    PipelineListener listener() {
        return listener;
    }

    /** What built-in sinks report about their destination: requests by outcome, and retrying as not ready. */
    DeliveryMonitor delivery() {
        return delivery;
    }

    /** A reconnection after losing the {@code kind} (source, sink). */
    void retried(String kind) {
        if (run != null) {
            run.retried(kind);
        }
    }

    /** A failure that ended a stream attempt. */
    void failed(String kind) {
        if (run != null) {
            run.failed(kind);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
            slot.close();
        }
    }
}
