package io.pgflo.sink.webhook;

import io.pgflo.domain.CheckpointWriter;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Position;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivers batches over lanes that outlive a batch: one thread per lane, each taking its rows' runs in order, batch
 * after batch. A lane waiting to retry holds up only its own rows (and the next barrier), while the other lanes go on
 * into the following batches, up to {@link #MAX_BATCHES_IN_FLIGHT} batches handed over and not yet delivered in full.
 *
 * <p>The checkpoint still follows the delivered prefix in commit order: batches settle in order (a batch's checkpoint
 * is handed to the writer once it and every batch before it are delivered), and prefix saves follow the oldest batch
 * not yet delivered in full. Events that later batches' lanes delivered meanwhile are not covered, and are sent again
 * after a failure or a crash (same keys). A barrier waits until every lane has delivered everything before it.
 *
 * <p>{@link #deliver}, {@link #awaitAll} and {@link #close} are called from the sink's one thread; the lanes complete
 * the batches on theirs.
 */
final class LanePipeline {
    /** Batches handed over and not yet delivered in full: how far the free lanes may run ahead of a waiting one. */
    static final int MAX_BATCHES_IN_FLIGHT = 4;
    private static final long POLL_MILLIS = 100;

    private final WebhookSinkConfig config;
    private final WebhookPoster poster;
    private final ExecutorService[] lanes;
    private final PrefixCheckpoints prefixes;
    private final CheckpointWriter<Position> writer;
    private final DeliveryAbort abort = new DeliveryAbort();
    /** Saves the prefix while every lane with work waits (on an answer, or to retry), when no request ends to do it. */
    private final ScheduledExecutorService prefixTicker;
    /** Guarded by this: the batches not yet settled, oldest first. */
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    /** Every run handed to a lane so far; complete when all are. The sink's thread only. */
    private CompletableFuture<Void> allWork = CompletableFuture.completedFuture(null);
    /** The newest batch handed over. The sink's thread only. */
    private InFlight newest;
    /** Runs handed to a lane and not finished: cancelled by {@link #close()}, which drops those not started. */
    private final java.util.Set<CompletableFuture<Void>> pending = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The first failure of a lane or a barrier; then nothing more is delivered. */
    private volatile RuntimeException failure;
    private volatile boolean closed;
    private boolean failureReported;

    /** One batch on its way: its prefix, its checkpoint, and whether that is the one the writer is handed. */
    private static final class InFlight {
        final DeliveredPrefix delivered;
        final Position target;
        final boolean advances;
        final CompletableFuture<Void> settled = new CompletableFuture<>();
        /** Complete when every run of the batch is; null while the batch is being handed to the lanes. */
        CompletableFuture<Void> lanesDone;

        InFlight(DeliveredPrefix delivered, Position target, boolean advances) {
            this.delivered = delivered;
            this.target = target;
            this.advances = advances;
        }
    }

    LanePipeline(WebhookSinkConfig config, WebhookPoster poster, PrefixCheckpoints prefixes,
            CheckpointWriter<Position> writer, int sinkNumber) {
        this.config = config;
        this.poster = poster;
        this.prefixes = prefixes;
        this.writer = writer;
        this.lanes = new ExecutorService[config.lanes()];
        this.prefixTicker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pg_flo-webhook-" + sinkNumber + "-prefix");
            thread.setDaemon(true);
            return thread;
        });
        prefixTicker.scheduleWithFixedDelay(this::savePrefixIfDue, prefixes.intervalNanos(), prefixes.intervalNanos(),
                TimeUnit.NANOSECONDS);
        AtomicInteger number = new AtomicInteger();
        for (int lane = 0; lane < lanes.length; lane++) {
            lanes[lane] = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "pg_flo-webhook-" + sinkNumber + "-lane-" + number.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        }
    }

    /**
     * Hands the batch to the lanes and returns, once fewer than {@link #MAX_BATCHES_IN_FLIGHT} batches are on their
     * way; a barrier in it is delivered before this returns. {@code target} goes to the writer when the batch and every
     * batch before it are delivered, if {@code advances}.
     *
     * @throws DeliveryFailure the first failure of a lane (once; then {@link IllegalStateException}s)
     */
    void deliver(List<ChangeEvent> events, Position target, boolean advances) {
        throwIfFailed();
        awaitRoom();
        InFlight batch = new InFlight(new DeliveredPrefix(events), target, advances);
        synchronized (this) {
            if (inFlight.isEmpty()) {
                prefixes.follow(batch.delivered);
            }
            inFlight.add(batch);
        }
        newest = batch;
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        try {
            int segmentStart = 0;
            for (int i = 0; i < events.size(); i++) {
                if (LaneRouter.isBarrier(events.get(i))) {
                    handOver(events, segmentStart, i, batch, runs, false);
                    awaitAllWork();
                    handOver(events, i, i + 1, batch, runs, true);
                    awaitAllWork();
                    segmentStart = i + 1;
                }
            }
            handOver(events, segmentStart, events.size(), batch, runs, false);
        } finally {
            CompletableFuture<Void> done = CompletableFuture.allOf(runs.toArray(new CompletableFuture<?>[0]));
            synchronized (this) {
                batch.lanesDone = done;
            }
            done.whenComplete((ignored, error) -> settle());
        }
        throwIfFailed();
    }

    /** Waits until every batch handed over is delivered and its checkpoint handed to the writer. */
    void awaitAll() {
        if (newest != null) {
            awaitSettled(newest);
        }
        throwIfFailed();
    }

    private void savePrefixIfDue() {
        try {
            prefixes.saveIfDue();
        } catch (RuntimeException e) {
            // The writer failed or closed: its own failure surfaces from the next writeBatch or flush.
        }
    }

    /** Stops: no new requests, in-flight calls cancelled, retry waits cut short; saves the delivered prefix. */
    void close() {
        closed = true;
        prefixTicker.shutdownNow();
        abort.trigger();
        for (ExecutorService lane : lanes) {
            lane.shutdownNow();
        }
        // Runs still queued will never start: their futures end here, so nothing waits on them for ever.
        pending.forEach(run -> run.cancel(false));
        try {
            for (ExecutorService lane : lanes) {
                lane.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        prefixes.saveNow();
    }

    /**
     * Splits {@code events[from, to)} (no barrier among them) by lane and hands each lane its run; a barrier goes alone
     * to the first lane, once every lane is idle.
     */
    private void handOver(List<ChangeEvent> events, int from, int to, InFlight batch, List<CompletableFuture<Void>> runs,
            boolean barrier) {
        if (from == to) {
            return;
        }
        List<Run> split = barrier ? List.of(Run.contiguous(from, to)) : LaneSplit.of(events, from, to, lanes.length);
        for (Run run : split) {
            BatchDelivery posting = new BatchDelivery(config, poster, events, abort, batch.delivered, prefixes);
            CompletableFuture<Void> future;
            try {
                future = CompletableFuture.runAsync(() -> {
                    abort.enter();
                    try {
                        posting.postInOrder(run);
                    } finally {
                        abort.exit();
                    }
                }, lanes[run.lane()]);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                throw new DeliveryAbort.Aborted(); // closed
            }
            pending.add(future);
            future.whenComplete((ignored, error) -> {
                pending.remove(future);
                if (error != null) {
                    failed(error);
                }
            });
            runs.add(future);
            allWork = CompletableFuture.allOf(allWork, future);
        }
    }

    /** Waits until every lane has delivered everything handed over so far (before a barrier). */
    private void awaitAllWork() {
        try {
            allWork.join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            throwIfFailed();
            throw new DeliveryAbort.Aborted();
        }
    }

    private void failed(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof DeliveryAbort.Aborted || cause instanceof java.util.concurrent.CancellationException) {
            return;
        }
        synchronized (this) {
            if (failure == null) {
                failure = cause instanceof RuntimeException runtime ? runtime
                        : new IllegalStateException("webhook lane failed: " + cause, cause);
            }
        }
        abort.trigger();
    }

    /** Settles the batches at the head whose lanes are done, in order: their checkpoints go to the writer. */
    private synchronized void settle() {
        while (!inFlight.isEmpty()) {
            InFlight head = inFlight.peek();
            if (head.lanesDone == null || !head.lanesDone.isDone() || !head.delivered.complete()) {
                // Not done, or stopped short (a failure, a stop): the head's prefix is all the checkpoint may claim.
                return;
            }
            inFlight.poll();
            if (head.advances) {
                writer.submit(head.target);
            }
            InFlight next = inFlight.peek();
            if (next != null) {
                prefixes.follow(next.delivered);
            }
            head.settled.complete(null);
        }
    }

    private void awaitRoom() {
        while (true) {
            InFlight oldest;
            synchronized (this) {
                if (inFlight.size() < MAX_BATCHES_IN_FLIGHT) {
                    return;
                }
                oldest = inFlight.peek();
            }
            awaitSettled(oldest);
        }
    }

    /** Waits for the batch to settle; a failure meanwhile is thrown. */
    private void awaitSettled(InFlight batch) {
        while (true) {
            throwIfFailed();
            if (closed) {
                throw new IllegalStateException("webhook sink for " + poster.redactedUrl() + " is closed");
            }
            try {
                batch.settled.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                // check for a failure, then wait on
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the webhook deliveries to "
                        + poster.redactedUrl(), e);
            }
        }
    }

    /**
     * Throws the first failure: once as itself, after the lanes stopped and the delivered prefix was handed to the
     * writer, then as an {@link IllegalStateException}: nothing after a failed event may be delivered.
     */
    private void throwIfFailed() {
        RuntimeException failed = failure;
        if (failed == null) {
            return;
        }
        if (failureReported) {
            throw new IllegalStateException("webhook sink for " + poster.redactedUrl()
                    + " stopped after an earlier failure (" + failed.getMessage() + ")", failed);
        }
        failureReported = true;
        try {
            allWork.handle((ignored, error) -> null).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // The lanes were told to stop; what they delivered by now is what the prefix says.
        }
        prefixes.saveNow();
        throw failed;
    }
}
