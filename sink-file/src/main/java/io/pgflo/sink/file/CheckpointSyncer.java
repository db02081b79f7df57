package io.pgflo.sink.file;

import io.pgflo.domain.Lsn;
import io.pgflo.sink.file.FileSinkCheckpoint.Position;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Makes written batches durable on a thread of its own: forces the file to disk, then saves the checkpoint that covers
 * it. The sink goes on encoding and writing the next batch meanwhile, so the disk's flush time overlaps the engine's
 * work instead of adding to it.
 *
 * <p>Requests coalesce: while one is being made durable, newer ones replace each other, and the next force covers
 * all of them (group commit). {@link #durable()} only ever moves to a position whose bytes were forced before it was
 * saved. After a failure nothing more is made durable, and every later call throws it.
 */
final class CheckpointSyncer implements AutoCloseable {

    /** The bytes of {@code channel} before {@code position.offset()} hold every event up to {@code position.lsn()}. */
    record Request(FileChannel channel, Path path, Position position) {}

    private final FileSinkCheckpoint checkpoints;
    private final Thread thread;
    private final Object lock = new Object();
    private Request pending;
    private boolean syncing;
    private boolean closing;
    private RuntimeException failure;
    private volatile Position durable;

    CheckpointSyncer(FileSinkCheckpoint checkpoints, Position durable, String name) {
        this.checkpoints = checkpoints;
        this.durable = durable;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** The last position made durable. */
    Position durable() {
        return durable;
    }

    /** Asks for {@code request} to be made durable; returns at once, or throws an earlier failure. */
    void submit(Request request) {
        synchronized (lock) {
            throwIfFailed();
            pending = request;
            lock.notifyAll();
        }
    }

    /** Waits until every request submitted is durable; throws if one could not be made so. */
    void awaitDurable() {
        synchronized (lock) {
            while ((pending != null || syncing) && failure == null) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the file to reach the disk", e);
                }
            }
            throwIfFailed();
        }
    }

    /** Records a position the sink saved itself while nothing was pending (a new file at rotation). */
    void saved(Position position) {
        durable = position;
    }

    /** Stops the thread after what is pending (if nothing failed). */
    @Override
    public void close() {
        synchronized (lock) {
            closing = true;
            lock.notifyAll();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (true) {
            Request request;
            synchronized (lock) {
                while (pending == null && !closing) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (pending == null || failure != null) {
                    return;
                }
                request = pending;
                pending = null;
                syncing = true;
            }
            RuntimeException failed = null;
            try {
                makeDurable(request);
            } catch (RuntimeException e) {
                failed = e;
            }
            synchronized (lock) {
                syncing = false;
                if (failed != null) {
                    failure = failed;
                    pending = null;
                }
                lock.notifyAll();
            }
        }
    }

    private void makeDurable(Request request) {
        Position position = request.position();
        Position before = durable;
        try {
            request.channel().force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot force " + request.path() + " to disk (" + FileSink.describe(e)
                    + "): the events up to " + position.lsn() + " are not checkpointed; the checkpoint stays at "
                    + before.lsn() + " and a restart streams the rest again", e);
        }
        try {
            checkpoints.save(position);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot save checkpoint " + position.lsn() + " for " + request.path()
                    + " at byte " + position.offset() + " (" + e.getMessage() + "); the checkpoint stays at "
                    + before.lsn(), e);
        }
        durable = position;
    }

    private void throwIfFailed() {
        if (failure != null) {
            throw failure;
        }
    }

    /** For messages: the LSN of the last durable checkpoint. */
    Lsn durableLsn() {
        return durable.lsn();
    }
}
