package io.pgflo.cli;

/**
 * A config file that cannot be used: its message is one line that starts with the file, line and column and says what
 * to fix. Bad input, so the command exits with status 2 before anything is created on the source.
 */
public final class ConfigFileException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ConfigFileException(ConfigLocation at, String problem) {
        super(at + ": " + problem);
    }

    ConfigFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
