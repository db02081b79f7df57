package io.pgflo.plugintest;

import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.SinkContext;
import io.pgflo.sink.api.SinkProvider;

/** A plugin sink whose newOptions() returns null; packed into a jar by the guard tests. */
public final class NullOptionsProvider implements SinkProvider<Object> {
    @Override
    public String name() {
        return "null-options";
    }

    @Override
    public String description() {
        return "returns no options";
    }

    @Override
    public Object newOptions() {
        return null;
    }

    @Override
    public Sink create(Object options, SinkContext context) {
        throw new IllegalStateException("never chosen");
    }
}
