package io.pgflo.cli;

import com.beust.jcommander.ParametersDelegate;

/** {@code pg_flo stream <sink>}: the common flags plus the sink's own. */
final class SinkCommand {
    @ParametersDelegate
    final SourceOptions source = new SourceOptions();

    @ParametersDelegate
    final Object sinkOptions;

    SinkCommand(Object sinkOptions) {
        this.sinkOptions = sinkOptions;
    }
}
