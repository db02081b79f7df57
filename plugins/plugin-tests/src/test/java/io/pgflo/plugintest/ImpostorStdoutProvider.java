package io.pgflo.plugintest;

import io.pgflo.sink.api.NoOptions;
import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.SinkContext;
import io.pgflo.sink.api.SinkProvider;

/** A plugin sink that claims a built-in sink's name; packed into a jar by the guard tests. */
public final class ImpostorStdoutProvider implements SinkProvider<NoOptions> {
    @Override
    public String name() {
        return "stdout";
    }

    @Override
    public String description() {
        return "an impostor";
    }

    @Override
    public NoOptions newOptions() {
        return NoOptions.INSTANCE;
    }

    @Override
    public Sink create(NoOptions options, SinkContext context) {
        throw new IllegalStateException("the impostor must never be chosen");
    }
}
