package io.pgflo.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Builds plugin jars for tests: copies of the example plugin, and broken ones. */
final class PluginJars {
    static final Path EXAMPLE = Path.of(System.getProperty("pgflo.example.plugin", "target/plugins/example-sink.jar"));

    private PluginJars() {}

    /** A jar with the given manifest attributes and entries (path to bytes). */
    static Path write(Path jar, Map<String, String> manifestAttributes, Map<String, byte[]> entries) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifestAttributes.forEach((name, value) -> manifest.getMainAttributes().putValue(name, value));
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                out.putNextEntry(new JarEntry(entry.getKey()));
                out.write(entry.getValue());
                out.closeEntry();
            }
        }
        return jar;
    }

    /** The example plugin with its manifest attribute {@code PgFlo-Spi-Version} replaced (null removes it). */
    static Path exampleWithSpiVersion(Path jar, String spiVersion) throws IOException {
        Manifest manifest;
        try (JarFile source = new JarFile(EXAMPLE.toFile())) {
            manifest = new Manifest(source.getManifest());
            if (spiVersion == null) {
                manifest.getMainAttributes().remove(new Attributes.Name(PluginLoader.SPI_VERSION_ATTRIBUTE));
            } else {
                manifest.getMainAttributes().putValue(PluginLoader.SPI_VERSION_ATTRIBUTE, spiVersion);
            }
            try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
                Enumeration<JarEntry> entries = source.entries();
                while (entries.hasMoreElements()) {
                    JarEntry entry = entries.nextElement();
                    if (entry.getName().equals(JarFile.MANIFEST_NAME)) {
                        continue;
                    }
                    out.putNextEntry(new JarEntry(entry.getName()));
                    try (InputStream in = source.getInputStream(entry)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
        return jar;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] classBytes(Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream("/" + type.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }
}
