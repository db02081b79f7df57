package io.pgflo.nats;

import io.pgflo.sink.api.ConfigurationException;

/**
 * A worker found messages missing from its partition: the stream dropped them (its age or size limit) before the worker
 * read them. Never retried: going on would lose the changes in them silently.
 */
public final class StreamGapException extends ConfigurationException {
    public StreamGapException(String message) {
        super(message);
    }
}
