package io.pgflo.sink.file;

import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.SinkContext;
import io.pgflo.sink.api.SinkProvider;

/**
 * {@code pg_flo stream file --output-dir DIR}: rotating JSON-lines files, exactly once across restarts, checkpoint in
 * {@code --status-dir/}{@value FileSinkConfig#STATUS_FILE}.
 */
public final class FileSinkProvider implements SinkProvider<FileSinkOptions> {

    @Override
    public String name() {
        return "file";
    }

    @Override
    public String description() {
        return "rotating JSON-lines files in --output-dir, exactly once across restarts";
    }

    @Override
    public FileSinkOptions newOptions() {
        return new FileSinkOptions();
    }

    @Override
    public Sink create(FileSinkOptions options, SinkContext context) {
        return new FileSink(options.toConfig(context.statusDir()));
    }
}
