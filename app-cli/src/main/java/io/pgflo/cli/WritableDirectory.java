package io.pgflo.cli;

import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.json.FileModes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes sure a directory named by a flag exists and can be written before anything streams. Directories it creates
 * are 0700 whatever the umask: checkpoints and spooled transactions hold the source's data and are the owner's only.
 * A directory that exists keeps its mode.
 */
final class WritableDirectory {
    private WritableDirectory() {}

    /** The directory, absolute and created if missing; {@code flag} names it in the error when it cannot be used. */
    static Path prepare(String flag, Path directory) {
        Path absolute = directory.toAbsolutePath();
        try {
            FileModes.createDirectories(absolute, FileModes.OWNER_DIRECTORY);
        } catch (IOException e) {
            throw new ConfigurationException("cannot create " + flag + " " + absolute + " (" + e + "); choose a writable directory");
        }
        if (!Files.isWritable(absolute)) {
            throw new ConfigurationException(flag + " " + absolute + " is not writable; choose a writable directory");
        }
        return absolute;
    }
}
