package io.pgflo.sink.api;

/**
 * A sink lost work it cannot redo by itself, for a reason that may pass (its destination restarted, a connection
 * broke): changes of an unfinished transaction that it had applied and had to roll back, say. Nothing past its
 * checkpoint was made durable, so starting the stream again from that checkpoint delivers the work again; the
 * command line does so, with the same back-off and limit as after losing the source.
 */
public class TransientSinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TransientSinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
