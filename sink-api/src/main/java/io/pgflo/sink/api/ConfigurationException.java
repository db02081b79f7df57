package io.pgflo.sink.api;

/**
 * Input or environment that cannot work: a missing table, a server not set up for logical replication, a flag
 * out of range. The message is one line that says what is wrong and what to do about it, and never holds a
 * password. The command line exits with status 2 on it.
 */
public class ConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
