package io.pgflo.cli;

import io.pgflo.sink.api.SinkProvider;

/**
 * Where a sink's code comes from, as {@code pg_flo sinks} and the messages about a sink that was left out show it: a
 * plugin's jar, or the jar (or class directory) of a built-in sink, with its version when it has one.
 */
final class SinkOrigin {
    private SinkOrigin() {}

    static String of(SinkProvider provider) {
        if (provider instanceof PluginSinkProvider plugin) {
            return "plugin " + plugin.jar().getFileName() + (plugin.version() == null ? "" : " " + plugin.version());
        }
        Package pkg = provider.getClass().getPackage();
        String version = pkg == null ? null : pkg.getImplementationVersion();
        String location;
        try {
            location = provider.getClass().getProtectionDomain().getCodeSource().getLocation().getPath();
            location = location.substring(location.lastIndexOf('/', location.length() - 2) + 1);
        } catch (RuntimeException e) {
            location = "unknown";
        }
        return location + (version == null ? "" : " " + version);
    }
}
