package io.pgflo.cli;

import io.pgflo.domain.ConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Makes sure the status directory exists and can be written before anything streams. */
final class StatusDirectory {
    private StatusDirectory() {}

    static Path prepare(Path directory) {
        Path absolute = directory.toAbsolutePath();
        try {
            Files.createDirectories(absolute);
        } catch (IOException e) {
            throw new ConfigurationException("cannot create --status-dir " + absolute + " (" + e + "); choose a writable directory");
        }
        if (!Files.isWritable(absolute)) {
            throw new ConfigurationException("--status-dir " + absolute + " is not writable; choose a writable directory");
        }
        return absolute;
    }
}
