package io.pgflo.sink.stdout;

import static java.util.Objects.requireNonNull;

import io.pgflo.sink.api.Batch;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.domain.CheckpointStore;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.Sink;
import io.pgflo.json.JsonLinesWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Writes each event as one compact JSON line to a stream (standard output in the CLI), flushed once per batch,
 * then saves the batch's checkpoint.
 *
 * <p>A graceful stop loses and repeats nothing. A kill between the flush and the checkpoint repeats at most the
 * last batch on restart: a pipe cannot be rolled back.
 */
public final class StdoutSink implements Sink {
    private final JsonLinesWriter writer;
    private final CheckpointStore checkpoints;
    private Position checkpoint;

    public StdoutSink(OutputStream out, CheckpointStore checkpoints) {
        this.writer = new JsonLinesWriter(requireNonNull(out, "out is null"));
        this.checkpoints = requireNonNull(checkpoints, "checkpoints is null");
        this.checkpoint = checkpoints.load();
    }

    @Override
    public Position lastCheckpoint() {
        return checkpoint;
    }

    @Override
    public void writeBatch(Batch batch) {
        try {
            for (ChangeEvent event : batch.events()) {
                writer.write(event);
            }
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to standard output (" + e.getMessage() + "); batch up to "
                    + batch.checkpoint() + " not checkpointed", e);
        }
        if (batch.checkpoint().isAfter(checkpoint)) {
            checkpoints.save(batch.checkpoint());
            checkpoint = batch.checkpoint();
        }
    }

    @Override
    public void close() {
        try {
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot flush standard output: " + e.getMessage(), e);
        }
    }
}
