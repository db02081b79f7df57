package io.pgflo.cli;

import io.pgflo.sink.api.SinkProvider;
import java.io.IOException;
import java.net.MalformedURLException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Finds sink plugins: every {@code *.jar} directly in the plugins directory, each in its own {@link PluginClassLoader},
 * its {@link SinkProvider}s found with {@link ServiceLoader}. A jar that cannot be used is reported and skipped; the
 * other sinks keep working.
 */
final class PluginLoader {
    /** The manifest attribute naming the SPI version a plugin was built against. */
    static final String SPI_VERSION_ATTRIBUTE = "PgFlo-Spi-Version";

    record Scan(List<PluginSinkProvider> providers, List<String> problems) {}

    private final ClassLoader parent;

    PluginLoader(ClassLoader parent) {
        this.parent = parent;
    }

    Scan scan(Path directory) {
        List<PluginSinkProvider> providers = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return new Scan(providers, problems);
        }
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*.jar")) {
            entries.forEach(jars::add);
        } catch (IOException e) {
            problems.add("cannot list plugins directory " + directory + ": " + e.getMessage());
            return new Scan(providers, problems);
        }
        jars.sort(null);
        for (Path jar : jars) {
            load(jar, providers, problems);
        }
        return new Scan(providers, problems);
    }

    private void load(Path jar, List<PluginSinkProvider> providers, List<String> problems) {
        String version;
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            Attributes attributes = manifest == null ? new Attributes() : manifest.getMainAttributes();
            String spi = attributes.getValue(SPI_VERSION_ATTRIBUTE);
            if (spi == null) {
                problems.add("plugin " + jar.getFileName() + " skipped: its manifest declares no " + SPI_VERSION_ATTRIBUTE
                        + "; rebuild it against pg_flo's SPI version " + SinkProvider.SPI_VERSION);
                return;
            }
            if (!spi.trim().equals(Integer.toString(SinkProvider.SPI_VERSION))) {
                problems.add("plugin " + jar.getFileName() + " skipped: built for SPI version " + spi.trim()
                        + ", this pg_flo has SPI version " + SinkProvider.SPI_VERSION + "; rebuild it against "
                        + "io.pgflo:sink-api (plugins/README.md says how)");
                return;
            }
            version = attributes.getValue(Attributes.Name.IMPLEMENTATION_VERSION);
        } catch (IOException | SecurityException e) {
            problems.add("plugin " + jar.getFileName() + " skipped: not a readable jar (" + e.getMessage() + ")");
            return;
        }
        PluginClassLoader loader;
        try {
            loader = new PluginClassLoader("plugin:" + jar.getFileName(), jar.toUri().toURL(), parent);
        } catch (MalformedURLException e) {
            problems.add("plugin " + jar.getFileName() + " skipped: " + e.getMessage());
            return;
        }
        int found = 0;
        Iterator<SinkProvider> iterator = ServiceLoader.load(SinkProvider.class, loader).iterator();
        while (true) {
            try {
                if (!iterator.hasNext()) {
                    break;
                }
                SinkProvider provider = iterator.next();
                providers.add(new PluginSinkProvider(provider, loader, jar, version));
                found++;
            } catch (ServiceConfigurationError | LinkageError e) {
                problems.add("plugin " + jar.getFileName() + ": a sink provider failed to load ("
                        + ErrorMessages.oneLine(ErrorMessages.rootMessage(e)) + ")");
            }
        }
        if (found == 0 && problems.stream().noneMatch(p -> p.contains(jar.getFileName().toString()))) {
            problems.add("plugin " + jar.getFileName() + " has no sink: add META-INF/services/" + SinkProvider.class.getName());
        }
    }
}
