package io.pgflo.sink.file;

import io.pgflo.domain.CheckpointWriter;
import io.pgflo.sink.file.FileSinkCheckpoint.Saved;
import io.pgflo.sink.api.BatchCompletionListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Makes written batches durable on a thread of its own: forces the file to disk, then saves the checkpoint that covers
 * it. The sink goes on encoding and writing the next batch meanwhile, so the disk's flush time overlaps the engine's
 * work instead of adding to it. Requests coalesce ({@link CheckpointWriter}): the next force covers all of them.
 * {@link #durable()} only ever moves to a position whose bytes were forced before it was saved.
 */
final class CheckpointSyncer implements AutoCloseable {

    /** The bytes of {@code channel} before {@code position.offset()} hold every event up to {@code position.checkpoint()}. */
    record Request(FileChannel channel, Path path, Saved position) {}

    private final FileSinkCheckpoint checkpoints;
    private final CheckpointWriter<Request> writer;
    private volatile Saved durable;

    CheckpointSyncer(FileSinkCheckpoint checkpoints, Saved durable, String threadName,
            BatchCompletionListener completions) {
        this.checkpoints = checkpoints;
        this.durable = durable;
        this.writer = new CheckpointWriter<>(threadName, this::makeDurable, completions);
    }

    /** The last position made durable. */
    Saved durable() {
        return durable;
    }

    /** Asks for {@code request} to be made durable; returns at once, or throws an earlier failure. */
    void submit(Request request) {
        writer.submit(request);
    }

    /** Waits until every request submitted is durable; throws if one could not be made so. */
    void awaitDurable() {
        writer.awaitSaved();
    }

    /** Records a position the sink saved itself while nothing was pending (a new file at rotation). */
    void saved(Saved position) {
        durable = position;
    }

    @Override
    public void close() {
        writer.close();
    }

    private void makeDurable(Request request) {
        Saved position = request.position();
        Saved before = durable;
        try {
            request.channel().force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot force " + request.path() + " to disk (" + FileSink.describe(e)
                    + "): the events up to " + position.checkpoint() + " are not checkpointed; the checkpoint stays at "
                    + before.checkpoint() + " and a restart streams the rest again", e);
        }
        try {
            checkpoints.save(position);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot save checkpoint " + position.checkpoint() + " for " + request.path()
                    + " at byte " + position.offset() + " (" + e.getMessage() + "); the checkpoint stays at "
                    + before.checkpoint(), e);
        }
        durable = position;
    }
}
