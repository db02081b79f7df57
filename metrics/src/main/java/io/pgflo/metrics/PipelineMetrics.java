package io.pgflo.metrics;

import io.pgflo.domain.PipelineListener;
import io.pgflo.domain.SourceChange;
import io.pgflo.sink.api.Batch;
import io.pgflo.sink.api.ChangeEvent;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The pipeline's metrics, in Prometheus's registry, every one labelled with the group and the sink (the names are
 * the README's table, which dashboards and alerts rely on). Counts per batch, not per event, so that the metrics cost
 * the stream next to nothing.
 */
public final class PipelineMetrics implements PipelineListener {
    /** Latencies from a millisecond to a minute. */
    private static final double[] SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final Health health;
    private final Counter events;
    private final Counter bytes;
    private final Counter transactions;
    private final Counter filtered;
    private final Histogram batchWrite;
    private final Histogram commitToDurable;

    /**
     * @param lagSeconds how far the sink is behind the source, in seconds (see the README); read at each scrape
     */
    public PipelineMetrics(PrometheusRegistry registry, String group, String sink, Health health,
            Supplier<Double> lagSeconds) {
        this.health = health;
        Labels labels = Labels.of("group", group, "sink", sink);
        events = Counter.builder().name("pgflo_events_total").help("change events written to the sink")
                .constLabels(labels).labelNames("table", "op").register(registry);
        bytes = Counter.builder().name("pgflo_bytes_total").help("bytes of values written to the sink")
                .constLabels(labels).register(registry);
        filtered = Counter.builder().name("pgflo_events_filtered_total")
                .help("change events a rule or route left out (they still move the checkpoint)")
                .constLabels(labels).labelNames("table").register(registry);
        transactions = Counter.builder().name("pgflo_transactions_total")
                .help("source transactions received, heartbeats included").constLabels(labels).register(registry);
        batchWrite = Histogram.builder().name("pgflo_batch_write_seconds").unit(Unit.SECONDS)
                .help("time the sink took to take a batch").classicUpperBounds(SECONDS).classicOnly()
                .constLabels(labels).register(registry);
        commitToDurable = Histogram.builder().name("pgflo_commit_to_durable_seconds").unit(Unit.SECONDS)
                .help("time from a transaction's commit on the source to its changes being durable in the sink")
                .classicUpperBounds(SECONDS).classicOnly().constLabels(labels).register(registry);
        GaugeWithCallback.builder().name("pgflo_replication_lag_seconds")
                .help("how far behind the source the sink's durable changes are; 0 when caught up")
                .constLabels(labels).callback(callback -> callback.call(lagSeconds.get())).register(registry);
        GaugeWithCallback.builder().name("pgflo_up").help("1 while the stream is ready, else 0")
                .constLabels(labels).callback(callback -> callback.call(health.ready() ? 1 : 0)).register(registry);
    }

    @Override
    public void transactionCommitted() {
        transactions.inc();
        health.progressed();
    }

    /** Thread-safe: a copy's workers report the rows they leave out. */
    @Override
    public void filtered(SourceChange change) {
        filtered.labelValues(change.qualifiedTable()).inc();
    }

    @Override
    public void batchWritten(Batch batch, Duration took) {
        batchWrite.observe(took.toNanos() / 1e9);
        health.progressed();
        if (batch.isEmpty()) {
            return;
        }
        // Counted by runs of one table and operation (a batch is mostly a few long runs): a label lookup per run,
        // not a string built and hashed per event.
        long valueBytes = 0;
        ChangeEvent first = null;
        long run = 0;
        for (ChangeEvent event : batch.events()) {
            valueBytes += event.valueBytes();
            if (first != null && sameCounter(first, event)) {
                run++;
                continue;
            }
            count(first, run);
            first = event;
            run = 1;
        }
        count(first, run);
        bytes.inc(valueBytes);
    }

    private static boolean sameCounter(ChangeEvent a, ChangeEvent b) {
        return a.operation() == b.operation() && a.table().equals(b.table()) && a.schema().equals(b.schema());
    }

    private void count(ChangeEvent event, long run) {
        if (event != null) {
            events.labelValues(event.qualifiedTable(), event.operation().name()).inc(run);
        }
    }

    @Override
    public void durable(Instant commitTime, Instant now) {
        commitToDurable.observe(Math.max(0, Duration.between(commitTime, now).toNanos()) / 1e9);
    }
}
