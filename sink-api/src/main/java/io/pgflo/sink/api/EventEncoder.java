package io.pgflo.sink.api;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The canonical JSON encoding of an event, which the host implements and hands every sink through
 * {@link SinkContext#eventEncoder()}: the same bytes as the stdout, file and webhook sinks write (timestamps, arrays,
 * bytea and numbers mapped one way), without a plugin depending on the host's JSON library.
 */
public interface EventEncoder {

    /** Writes one compact JSON object, without a trailing newline. Neither flushes nor closes {@code out}. */
    void write(ChangeEvent event, OutputStream out) throws IOException;

    /** The event as UTF-8 JSON, without a trailing newline. */
    byte[] encode(ChangeEvent event);

    /** The events as one JSON array, in list order. */
    byte[] encodeArray(List<ChangeEvent> events);

    /**
     * Writes the events as one JSON array, in list order: the bytes of {@link #encodeArray}, without holding them in
     * a new array. Neither flushes nor closes {@code out}.
     */
    default void writeArray(List<ChangeEvent> events, OutputStream out) throws IOException {
        out.write(encodeArray(events));
    }
}
