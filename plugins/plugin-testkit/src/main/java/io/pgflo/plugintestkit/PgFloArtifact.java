package io.pgflo.plugintestkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * pg_flo.jar as a Maven artifact: app-cli's shaded jar, {@code io.pgflo:app-cli:<version>:jar:all}. The version is
 * the kit's own, written into a resource at build time, so that a plugin tests against the pg_flo whose BOM it
 * imports.
 */
record PgFloArtifact(String groupId, String artifactId, String version, String classifier) {
    private static final String RESOURCE = "pg_flo-jar.properties";

    static PgFloArtifact ofThisKit() {
        Properties properties = new Properties();
        try (InputStream in = PgFloArtifact.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing beside " + PgFloArtifact.class.getName());
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return new PgFloArtifact(properties.getProperty("groupId"), properties.getProperty("artifactId"),
                properties.getProperty("version"), properties.getProperty("classifier"));
    }

    /** The directory of this group's artifacts in the local repository {@code repository}. */
    Path groupIn(Path repository) {
        return repository.resolve(Path.of("", groupId.split("\\.")));
    }

    /** Where Maven installs the jar in the local repository {@code repository}. */
    Path in(Path repository) {
        return groupIn(repository).resolve(artifactId).resolve(version)
                .resolve(artifactId + "-" + version + "-" + classifier + ".jar");
    }

    @Override
    public String toString() {
        return groupId + ":" + artifactId + ":" + version + ":jar:" + classifier;
    }
}
