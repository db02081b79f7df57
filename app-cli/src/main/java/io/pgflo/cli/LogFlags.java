package io.pgflo.cli;

import com.beust.jcommander.Parameter;

/** {@code --log-level} of the commands other than {@code stream} (whose own is in {@link SourceOptions}). */
final class LogFlags {
    @Parameter(names = "--log-level", description = "log level: error, warn, info, debug, trace")
    String level = "info";
}
