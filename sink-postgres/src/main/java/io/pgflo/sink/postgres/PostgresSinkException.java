package io.pgflo.sink.postgres;

/**
 * The target could not take a batch: the batch was rolled back and the checkpoint did not move. The message names
 * the table, the change (operation, key, LSN) and PostgreSQL's error; it never holds a password. A restart resumes
 * from {@link PostgresSink#lastCheckpoint()} without loss.
 */
public final class PostgresSinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PostgresSinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
