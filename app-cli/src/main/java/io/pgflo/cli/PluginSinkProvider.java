package io.pgflo.cli;

import io.pgflo.sink.api.Batch;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.OptionSet;
import io.pgflo.sink.api.OptionValues;
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
final class PluginSinkProvider implements SinkProvider {
    private final SinkProvider delegate;
    private final ClassLoader loader;
    private final Path jar;
    private final String version;

    PluginSinkProvider(SinkProvider delegate, ClassLoader loader, Path jar, String version) {
        this.delegate = delegate;
        this.loader = loader;
        this.jar = jar;
        this.version = version;
    }

    /** The loader of the plugin's own classes. */
    ClassLoader delegateClassLoader() {
        return delegate.getClass().getClassLoader();
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
    public OptionSet options() {
        return withPluginLoader(delegate::options);
    }

    @Override
    public Sink create(OptionValues options, SinkContext context) {
        Sink sink = withPluginLoader(() -> delegate.create(options, context));
        return new PluginSink(sink);
    }

    @Override
    public boolean capturesDdl(OptionValues options) {
        return withPluginLoader(() -> delegate.capturesDdl(options));
    }

    @Override
    public boolean acceptsProvisionalChanges(OptionValues options) {
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
        public Position lastCheckpoint() {
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
