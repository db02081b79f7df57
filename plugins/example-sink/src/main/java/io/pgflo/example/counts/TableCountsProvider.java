package io.pgflo.example.counts;

import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.SinkContext;
import io.pgflo.sink.api.SinkProvider;

/** {@code pg_flo stream table-counts --counts-file FILE}: counts events per table and operation. */
public final class TableCountsProvider implements SinkProvider<TableCountsOptions> {
    @Override
    public String name() {
        return "table-counts";
    }

    @Override
    public String description() {
        return "counts events per table and operation, exactly once (example plugin)";
    }

    @Override
    public TableCountsOptions newOptions() {
        return new TableCountsOptions();
    }

    @Override
    public Sink create(TableCountsOptions options, SinkContext context) {
        return new TableCountsSink(options.countsFile);
    }
}
