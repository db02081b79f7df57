package io.pgflo.sink.file;

import io.pgflo.sink.api.OptionSet;
import io.pgflo.sink.api.OptionValues;
import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.SinkContext;
import io.pgflo.sink.api.SinkProvider;

/**
 * {@code pg_flo stream file --output-dir DIR}: rotating JSON-lines files, exactly once across restarts, checkpoint in
 * {@code --status-dir/}{@value FileSinkConfig#STATUS_FILE}. The options are {@link FileSinkOptions}'.
 */
public final class FileSinkProvider implements SinkProvider {

    @Override
    public String name() {
        return "file";
    }

    @Override
    public String description() {
        return "rotating JSON-lines files in --output-dir, exactly once across restarts";
    }

    @Override
    public OptionSet options() {
        return FileSinkOptions.ALL;
    }

    @Override
    public Sink create(OptionValues options, SinkContext context) {
        return new FileSink(FileSinkOptions.toConfig(options, context), context.batchCompletionListener());
    }
}
