package io.pgflo.cli;

import io.pgflo.sink.api.Batch;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.SinkContext;
import io.pgflo.sink.api.SinkProvider;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * A sink provider from a plugin jar. Every call into the plugin, and into the sinks it makes, runs with the thread's
 * context class loader set to the plugin's loader (Jackson, JDBC drivers and ServiceLoader look there) and restored
 * afterwards.
 */
final class PluginSinkProvider implements SinkProvider<Object> {
    private final SinkProvider<Object> delegate;
    private final ClassLoader loader;
    private final Path jar;
    private final String version;

    @SuppressWarnings("unchecked")
    PluginSinkProvider(SinkProvider<?> delegate, ClassLoader loader, Path jar, String version) {
        this.delegate = (SinkProvider<Object>) delegate;
        this.loader = loader;
        this.jar = jar;
        this.version = version;
    }

    Path jar() {
        return jar;
    }

    String version() {
        return version;
    }

    @Override
    public String name() {
        return withPluginLoader(delegate::name);
    }

    @Override
    public String description() {
        return withPluginLoader(delegate::description);
    }

    @Override
    public Object newOptions() {
        return withPluginLoader(delegate::newOptions);
    }

    @Override
    public Sink create(Object options, SinkContext context) {
        Sink sink = withPluginLoader(() -> delegate.create(options, context));
        return new PluginSink(sink);
    }

    @Override
    public boolean capturesDdl(Object options) {
        return withPluginLoader(() -> delegate.capturesDdl(options));
    }

    @Override
    public boolean acceptsProvisionalChanges(Object options) {
        return withPluginLoader(() -> delegate.acceptsProvisionalChanges(options));
    }

    private <T> T withPluginLoader(Supplier<T> call) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return call.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private final class PluginSink implements Sink {
        private final Sink sink;

        PluginSink(Sink sink) {
            this.sink = sink;
        }

        @Override
        public Lsn lastCheckpoint() {
            return withPluginLoader(sink::lastCheckpoint);
        }

        @Override
        public void writeBatch(Batch batch) {
            withPluginLoader(() -> {
                sink.writeBatch(batch);
                return null;
            });
        }

        @Override
        public void flush() {
            withPluginLoader(() -> {
                sink.flush();
                return null;
            });
        }

        @Override
        public void discardOpenTransaction() {
            withPluginLoader(() -> {
                sink.discardOpenTransaction();
                return null;
            });
        }

        @Override
        public void close() {
            withPluginLoader(() -> {
                sink.close();
                return null;
            });
        }
    }
}
