package io.pgflo.cli;

import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.SinkContext;
import io.pgflo.sink.api.SinkProvider;

/** The sink the command line chose, with the options it filled. */
record SelectedSink(SinkProvider<?> provider, Object options) {

    @SuppressWarnings({"unchecked", "rawtypes"})
    Sink create(SinkContext context) {
        return ((SinkProvider) provider).create(options, context);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    boolean capturesDdl() {
        return ((SinkProvider) provider).capturesDdl(options);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    boolean acceptsProvisionalChanges() {
        return ((SinkProvider) provider).acceptsProvisionalChanges(options);
    }
}
