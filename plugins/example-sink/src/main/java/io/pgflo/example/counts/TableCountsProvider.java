package io.pgflo.example.counts;

import io.pgflo.sink.api.OptionSet;
import io.pgflo.sink.api.OptionValues;
import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.SinkContext;
import io.pgflo.sink.api.SinkProvider;

/** {@code pg_flo stream table-counts --counts-file FILE}: counts events per table and operation. */
public final class TableCountsProvider implements SinkProvider {
    @Override
    public String name() {
        return "table-counts";
    }

    @Override
    public String description() {
        return "counts events per table and operation, exactly once (example plugin)";
    }

    @Override
    public OptionSet options() {
        return TableCountsOptions.ALL;
    }

    @Override
    public Sink create(OptionValues options, SinkContext context) {
        return new TableCountsSink(options.get(TableCountsOptions.COUNTS_FILE));
    }
}
