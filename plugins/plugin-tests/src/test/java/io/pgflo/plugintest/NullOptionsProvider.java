package io.pgflo.plugintest;

import io.pgflo.sink.api.OptionSet;
import io.pgflo.sink.api.OptionValues;
import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.SinkContext;
import io.pgflo.sink.api.SinkProvider;

/** A plugin sink whose options() returns null; packed into a jar by the guard tests. */
public final class NullOptionsProvider implements SinkProvider {
    @Override
    public String name() {
        return "null-options";
    }

    @Override
    public String description() {
        return "returns no options";
    }

    @Override
    public OptionSet options() {
        return null;
    }

    @Override
    public Sink create(OptionValues options, SinkContext context) {
        throw new IllegalStateException("never chosen");
    }
}
