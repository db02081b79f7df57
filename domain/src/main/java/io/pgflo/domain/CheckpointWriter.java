package io.pgflo.domain;

import static java.util.Objects.requireNonNull;

import io.pgflo.sink.api.BatchCompletionListener;

/**
 * Saves checkpoints on a thread of its own, for a sink that returns from {@link Sink#writeBatch} before its batch is
 * durable (see {@link Sink}): the sink hands over each checkpoint and goes on with the next batch while the save
 * (an fsync, usually) runs.
 *
 * <p>Checkpoints coalesce: one handed over while another is being saved replaces any still waiting, so a slow disk
 * costs one save per round, not one per batch. Saves run in the order handed over, and a later one covers the earlier
 * ones. After a failed save nothing more is saved, and every later call throws that failure.
 *
 * @param <T> what a save needs (a checkpoint, with whatever it covers)
 */
public final class CheckpointWriter<T> implements AutoCloseable {

    /** Makes one checkpoint durable; throws when it cannot. */
    @FunctionalInterface
    public interface Save<T> {
        void save(T checkpoint) throws Exception;
    }

    private final Save<T> save;
    private final BatchCompletionListener completions;
    private final Thread thread;
    private final Object lock = new Object();
    private T pending;
    private boolean saving;
    private boolean closing;
    private RuntimeException failure;

    /** Starts the thread, a daemon named {@code threadName}. */
    public CheckpointWriter(String threadName, Save<T> save) {
        this(threadName, save, BatchCompletionListener.NONE);
    }

    /** A writer that tells {@code completions} after each save, done or failed. */
    public CheckpointWriter(String threadName, Save<T> save, BatchCompletionListener completions) {
        this.save = requireNonNull(save, "save is null");
        this.completions = requireNonNull(completions, "completions is null");
        this.thread = new Thread(this::run, requireNonNull(threadName, "threadName is null"));
        thread.setDaemon(true);
        thread.start();
    }

    /** Hands a checkpoint over to be saved; returns at once, or throws an earlier save's failure. */
    public void submit(T checkpoint) {
        requireNonNull(checkpoint, "checkpoint is null");
        synchronized (lock) {
            throwIfFailed();
            if (closing) {
                throw new IllegalStateException("checkpoint writer " + thread.getName() + " is closed");
            }
            pending = checkpoint;
            lock.notifyAll();
        }
    }

    /** Waits until every checkpoint handed over is saved; throws if one could not be. */
    public void awaitSaved() {
        synchronized (lock) {
            while ((pending != null || saving) && failure == null) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a checkpoint to be saved", e);
                }
            }
            throwIfFailed();
        }
    }

    /** Saves what is pending (unless a save failed), then stops the thread. */
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
            T next;
            synchronized (lock) {
                while (pending == null && !closing) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        // Nobody else interrupts this thread; if something does, say so rather than stop silently.
                        failure = new IllegalStateException("checkpoint writer " + thread.getName() + " was interrupted");
                        lock.notifyAll();
                        return;
                    }
                }
                if (pending == null || failure != null) {
                    return;
                }
                next = pending;
                pending = null;
                saving = true;
            }
            RuntimeException failed = null;
            try {
                save.save(next);
            } catch (RuntimeException e) {
                failed = e;
            } catch (Exception e) {
                failed = new IllegalStateException(e.getMessage(), e);
            } catch (Error e) {
                // Kept as the failure, so that awaitSaved() reports it instead of waiting for a thread that is gone.
                failed = new IllegalStateException("checkpoint writer " + thread.getName() + " failed: " + e, e);
            }
            synchronized (lock) {
                saving = false;
                if (failed != null) {
                    failure = failed;
                    pending = null;
                }
                lock.notifyAll();
            }
            Completions.tell(completions);
        }
    }

    private void throwIfFailed() {
        if (failure != null) {
            throw failure;
        }
    }
}
