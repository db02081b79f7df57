package io.pgflo.json;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import io.pgflo.sink.api.ChangeEvent;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes change events as JSON lines: each event's {@link EventJsonEncoder} JSON followed by {@code '\n'}.
 *
 * <p>One generator serves every event, so its buffer and encoder state are set up once per stream rather than per
 * event; events reach the stream in buffer-sized chunks, and all of them after {@link #flush()}. Not thread-safe.
 * {@link #close()} closes the stream it was given.
 */
public final class JsonLinesWriter implements Closeable, Flushable {
    private final CountingOutputStream out;
    private final JsonGenerator generator;

    public JsonLinesWriter(OutputStream out) {
        this.out = new CountingOutputStream(requireNonNull(out, "out is null"));
        try {
            this.generator = EventJsonEncoder.FACTORY.createGenerator(this.out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a JSON generator", e);
        }
    }

    /** Writes the event and its line end; they may wait in the buffer until {@link #flush()}. */
    public void write(ChangeEvent event) throws IOException {
        requireNonNull(event, "event is null");
        EventJsonEncoder.writeEvent(generator, event);
        generator.writeRaw('\n');
    }

    /** Hands every buffered byte to the stream, and flushes the stream. */
    @Override
    public void flush() throws IOException {
        generator.flush();
        out.flush();
    }

    /** The bytes handed to the stream so far: exact after {@link #flush()}, when nothing is left in the buffer. */
    public long bytesWritten() {
        return out.count();
    }

    /** Flushes what is buffered, then closes the stream. */
    @Override
    public void close() throws IOException {
        try {
            generator.close();
        } finally {
            out.close();
        }
    }
}
