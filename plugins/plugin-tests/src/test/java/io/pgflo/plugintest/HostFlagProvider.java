package io.pgflo.plugintest;

import io.pgflo.sink.api.Option;
import io.pgflo.sink.api.OptionSet;
import io.pgflo.sink.api.OptionValues;
import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.SinkContext;
import io.pgflo.sink.api.SinkProvider;

/** A plugin sink whose option reuses a common flag's name; packed into a jar by the guard tests. */
public final class HostFlagProvider implements SinkProvider {
    @Override
    public String name() {
        return "host-flag";
    }

    @Override
    public String description() {
        return "reuses --host";
    }

    @Override
    public OptionSet options() {
        return OptionSet.of(Option.text("host").description("the plugin's own host").build());
    }

    @Override
    public Sink create(OptionValues options, SinkContext context) {
        throw new IllegalStateException("never chosen");
    }
}
