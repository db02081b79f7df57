package io.pgflo.cli;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * A place in a config file, for messages: {@code pg_flo.yaml:12:5} (line and column counted from 1).
 *
 * @param file the file as the user named it
 * @param line 1-based line
 * @param column 1-based column
 */
public record ConfigLocation(Path file, int line, int column) {
    public ConfigLocation {
        requireNonNull(file, "file is null");
    }

    /** {@code file:line:column}. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
