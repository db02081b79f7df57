package io.pgflo.metrics;

import io.pgflo.domain.CopyStats;
import io.pgflo.sink.api.TableName;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.OptionalLong;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The run's own metrics, beside the pipeline's: retries and errors by kind, the source's view of the slot (how far
 * the acknowledged position and the slot's restart point trail the server's WAL), and an initial copy's rows by table.
 */
public final class RunMetrics {
    private final Counter retries;
    private final Counter errors;

    /**
     * @param lagBytes the server's WAL position minus the acknowledged one; empty when the source cannot say
     * @param retainedWalBytes the server's WAL position minus the slot's restart point; empty likewise
     * @param copy the running copy's figures, or null without one
     */
    public RunMetrics(PrometheusRegistry registry, String group, String sink, Supplier<OptionalLong> lagBytes,
            Supplier<OptionalLong> retainedWalBytes, Supplier<CopyStats> copy) {
        Labels labels = Labels.of("group", group, "sink", sink);
        retries = Counter.builder().name("pgflo_retries_total")
                .help("reconnections after losing the source or the sink's destination, by kind (source, sink)")
                .constLabels(labels).labelNames("kind").register(registry);
        errors = Counter.builder().name("pgflo_errors_total")
                .help("failures that ended a stream attempt, by kind (source, sink, other)")
                .constLabels(labels).labelNames("kind").register(registry);
        GaugeWithCallback.builder().name("pgflo_replication_lag_bytes")
                .help("the server's WAL position minus the position pg_flo acknowledged")
                .constLabels(labels).callback(callback -> lagBytes.get().ifPresent(callback::call))
                .register(registry);
        GaugeWithCallback.builder().name("pgflo_slot_retained_wal_bytes")
                .help("WAL the slot keeps on the source: the server's WAL position minus the slot's restart point")
                .constLabels(labels).callback(callback -> retainedWalBytes.get().ifPresent(callback::call))
                .register(registry);
        GaugeWithCallback.builder().name("pgflo_copy_rows_total").help("rows an initial copy has read, by table")
                .constLabels(labels).labelNames("table")
                .callback(callback -> eachTable(copy, (table, figures) -> callback.call(figures.rows(), table)))
                .register(registry);
        GaugeWithCallback.builder().name("pgflo_copy_rows_estimated")
                .help("the server's estimate of the rows of a table an initial copy reads")
                .constLabels(labels).labelNames("table")
                .callback(callback -> eachTable(copy, (table, figures) -> callback.call(figures.estimatedRows(), table)))
                .register(registry);
    }

    private static void eachTable(Supplier<CopyStats> copy, BiConsumer<String, CopyStats.Table> each) {
        CopyStats stats = copy.get();
        if (stats != null) {
            for (TableName table : stats.tables()) {
                each.accept(table.toString(), stats.table(table));
            }
        }
    }

    /** A reconnection after losing the {@code kind} ({@code source} or {@code sink}). */
    public void retried(String kind) {
        retries.labelValues(kind).inc();
    }

    /** A failure that ended a stream attempt. */
    public void failed(String kind) {
        errors.labelValues(kind).inc();
    }
}
