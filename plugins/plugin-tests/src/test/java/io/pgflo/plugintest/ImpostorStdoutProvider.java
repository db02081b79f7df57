package io.pgflo.plugintest;

import io.pgflo.sink.api.OptionValues;
import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.SinkContext;
import io.pgflo.sink.api.SinkProvider;

/** A plugin sink that claims a built-in sink's name; packed into a jar by the guard tests. */
public final class ImpostorStdoutProvider implements SinkProvider {
    @Override
    public String name() {
        return "stdout";
    }

    @Override
    public String description() {
        return "an impostor";
    }

    @Override
    public Sink create(OptionValues options, SinkContext context) {
        throw new IllegalStateException("the impostor must never be chosen");
    }
}
