package io.pgflo.domain;

import static java.util.Objects.requireNonNull;

import io.pgflo.sink.api.BatchCompletionListener;
import io.pgflo.sink.api.Position;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs a sink's batches one at a time on a thread of its own, for a sink that returns from {@link Sink#writeBatch}
 * before its batch is durable (see {@link Sink}): {@link #submit} waits for the batch before, then hands this one over,
 * so at most one is in flight while the engine gathers the next.
 *
 * <p>A batch's failure is thrown by the next {@link #submit} or {@link #await}, and from then on the worker refuses
 * work: a later batch would move the checkpoint past the failed one. Called from the sink's one thread.
 */
public final class BatchWorker {
    private final String owner;
    private final Supplier<Position> checkpoint;
    private final BatchCompletionListener completions;
    private final ExecutorService thread;
    private Future<?> inFlight;
    private RuntimeException failure;

    /**
     * @param threadName the worker thread's name (a daemon)
     * @param owner the sink, as messages name it ("the PostgreSQL sink")
     * @param checkpoint the sink's durable checkpoint, which messages name as where a restart resumes
     */
    public BatchWorker(String threadName, String owner, Supplier<Position> checkpoint) {
        this(threadName, owner, checkpoint, BatchCompletionListener.NONE);
    }

    /** A worker that tells {@code completions} each time a batch has finished, durable or failed. */
    public BatchWorker(String threadName, String owner, Supplier<Position> checkpoint,
            BatchCompletionListener completions) {
        requireNonNull(threadName, "threadName is null");
        this.owner = requireNonNull(owner, "owner is null");
        this.checkpoint = requireNonNull(checkpoint, "checkpoint is null");
        this.completions = requireNonNull(completions, "completions is null");
        this.thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread worker = new Thread(runnable, threadName);
            worker.setDaemon(true);
            return worker;
        });
    }

    /** Waits for the batch in flight (throwing its failure), then starts {@code batch} on the worker thread. */
    public void submit(Runnable batch) {
        requireNonNull(batch, "batch is null");
        await();
        inFlight = thread.submit(() -> {
            try {
                batch.run();
            } finally {
                // Failed too: the engine may then meet the failure sooner.
                Completions.tell(completions);
            }
        });
    }

    /** Waits until the batch in flight is done; throws its failure, or the earlier one that stopped the worker. */
    public void await() {
        if (failure != null) {
            throw new IllegalStateException(owner + " stopped after an earlier failure (" + failure.getMessage()
                    + "); restart it to resume from checkpoint " + checkpoint.get(), failure);
        }
        Future<?> previous = inFlight;
        inFlight = null;
        if (previous == null) {
            return;
        }
        try {
            previous.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            failure = cause instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException(owner + " failed: " + cause, cause);
            if (cause instanceof Error error) {
                throw error;
            }
            throw failure;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + owner + "; the checkpoint stays at "
                    + checkpoint.get(), e);
        }
    }

    /**
     * Stops the thread: lets the batch in flight finish, or with {@code interrupt} interrupts it; waits at most
     * {@code timeout}. Returns whether the thread has ended (false also when the caller was interrupted).
     */
    public boolean stop(Duration timeout, boolean interrupt) {
        if (interrupt) {
            thread.shutdownNow();
        } else {
            thread.shutdown();
        }
        try {
            return thread.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
