package io.pgflo.wal;

/** The source failed while streaming (connection lost, server error). The stream stops; a restart resumes it. */
public final class SourceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
