package io.pgflo.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The run's own metrics, beside the pipeline's: retries and errors by kind, the source's view of the slot (how far
 * the acknowledged position and the slot's restart point trail the server's WAL), and an initial copy's rows by table.
 */
public final class RunMetrics {
    private final Counter retries;
    private final Counter errors;

    /** What the source says of the slot, in bytes behind the server's WAL position; empty when it cannot say. */
    public record SlotFigures(OptionalLong lagBytes, OptionalLong retainedWalBytes) {}

    /** A copy's rows by table ({@code schema.table}): done, and the server's estimate. */
    public record CopyFigures(Map<String, Long> rows, Map<String, Long> estimated) {}

    public RunMetrics(PrometheusRegistry registry, String group, String sink, Supplier<SlotFigures> slot,
            Supplier<CopyFigures> copy) {
        Labels labels = Labels.of("group", group, "sink", sink);
        retries = Counter.builder().name("pgflo_retries_total")
                .help("reconnections after losing the source or the sink's destination, by kind (source, sink)")
                .constLabels(labels).labelNames("kind").register(registry);
        errors = Counter.builder().name("pgflo_errors_total")
                .help("failures that ended a stream attempt, by kind (source, sink, other)")
                .constLabels(labels).labelNames("kind").register(registry);
        GaugeWithCallback.builder().name("pgflo_replication_lag_bytes")
                .help("the server's WAL position minus the position pg_flo acknowledged")
                .constLabels(labels).callback(callback -> slot.get().lagBytes().ifPresent(callback::call))
                .register(registry);
        GaugeWithCallback.builder().name("pgflo_slot_retained_wal_bytes")
                .help("WAL the slot keeps on the source: the server's WAL position minus the slot's restart point")
                .constLabels(labels).callback(callback -> slot.get().retainedWalBytes().ifPresent(callback::call))
                .register(registry);
        GaugeWithCallback.builder().name("pgflo_copy_rows_total").help("rows an initial copy has read, by table")
                .constLabels(labels).labelNames("table")
                .callback(callback -> copy.get().rows().forEach((table, rows) -> callback.call(rows, table)))
                .register(registry);
        GaugeWithCallback.builder().name("pgflo_copy_rows_estimated")
                .help("the server's estimate of the rows of a table an initial copy reads")
                .constLabels(labels).labelNames("table")
                .callback(callback -> copy.get().estimated().forEach((table, rows) -> callback.call(rows, table)))
                .register(registry);
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
