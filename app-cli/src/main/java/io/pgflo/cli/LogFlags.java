package io.pgflo.cli;

import com.beust.jcommander.Parameter;

/**
 * {@code --log-level} and {@code --log-format} of the commands other than {@code stream} (whose own are in
 * {@link SourceOptions}). The format takes effect before parsing ({@link LogFormat#requested}); it is declared here so
 * that it is accepted, checked and listed in the help.
 */
final class LogFlags {
    @Parameter(names = "--log-level", description = "log level: error, warn, info, debug, trace")
    String level = "info";

    @Parameter(names = LogFormat.FLAG, description = "log lines on stderr: text, or json (one object per line)",
            validateWith = LogFormatValidator.class)
    String format = "text";
}
