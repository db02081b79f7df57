package io.pgflo.wal;

/** A replication message that does not follow the pgoutput protocol. */
public final class PgOutputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PgOutputException(String message) {
        super(message);
    }

    PgOutputException(String message, Throwable cause) {
        super(message, cause);
    }
}
