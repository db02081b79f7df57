package io.pgflo.plugintest;

import com.beust.jcommander.Parameter;
import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.SinkContext;
import io.pgflo.sink.api.SinkProvider;

/** A plugin sink whose option reuses a common flag's name; packed into a jar by the guard tests. */
public final class HostFlagProvider implements SinkProvider<HostFlagProvider.Options> {
    /** Its options: a --host of its own. */
    public static final class Options {
        @Parameter(names = "--host", description = "the plugin's own host")
        public String host;
    }

    @Override
    public String name() {
        return "host-flag";
    }

    @Override
    public String description() {
        return "reuses --host";
    }

    @Override
    public Options newOptions() {
        return new Options();
    }

    @Override
    public Sink create(Options options, SinkContext context) {
        throw new IllegalStateException("never chosen");
    }
}
