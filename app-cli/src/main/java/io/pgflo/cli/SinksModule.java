package io.pgflo.cli;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.Multibinder;
import io.pgflo.sink.api.SinkProvider;
import java.util.List;
import java.util.ServiceLoader;

/** The sink registry: the built-in sinks found on the class path, and the plugin sinks found in the plugins directory. */
final class SinksModule extends AbstractModule {
    private final List<PluginSinkProvider> plugins;

    SinksModule(List<PluginSinkProvider> plugins) {
        this.plugins = List.copyOf(plugins);
    }

    @Override
    protected void configure() {
        Multibinder<SinkProvider> sinks = Multibinder.newSetBinder(binder(), SinkProvider.class);
        for (SinkProvider provider : ServiceLoader.load(SinkProvider.class, SinksModule.class.getClassLoader())) {
            sinks.addBinding().toInstance(provider);
        }
        for (PluginSinkProvider plugin : plugins) {
            sinks.addBinding().toInstance(plugin);
        }
    }
}
