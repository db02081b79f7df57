package io.pgflo.cli;

import io.pgflo.sink.api.OptionValues;
import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.SinkContext;
import io.pgflo.sink.api.SinkProvider;

/** The sink the command line chose, with its checked option values. */
record SelectedSink(SinkProvider provider, OptionValues options) {

    Sink create(SinkContext context) {
        return provider.create(options, context);
    }

    boolean capturesDdl() {
        return provider.capturesDdl(options);
    }

    boolean acceptsProvisionalChanges() {
        return provider.acceptsProvisionalChanges(options);
    }
}
