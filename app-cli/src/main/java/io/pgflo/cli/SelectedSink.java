package io.pgflo.cli;

import io.pgflo.domain.Sink;
import io.pgflo.domain.SinkContext;
import io.pgflo.domain.SinkProvider;

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
