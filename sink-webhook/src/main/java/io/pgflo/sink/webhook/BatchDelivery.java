package io.pgflo.sink.webhook;

import io.pgflo.sink.api.ChangeEvent;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The requests of one batch: barriers alone and in order, the events between them over the lanes. Every request that
 * gets a 2xx is marked in the batch's {@link DeliveredPrefix}, and the prefix's checkpoint saved now and then, so
 * that a failure or a stop later in the batch does not send the delivered part again.
 */
final class BatchDelivery {
    private final WebhookSinkConfig config;
    private final WebhookPoster poster;
    /** The lanes' threads; null with one lane, whose requests run on the delivery thread. */
    private final ExecutorService lanes;
    private final List<ChangeEvent> events;
    private final DeliveryAbort abort;
    private final DeliveredPrefix delivered;
    private final PrefixCheckpoints checkpoints;

    BatchDelivery(WebhookSinkConfig config, WebhookPoster poster, ExecutorService lanes, List<ChangeEvent> events,
            DeliveryAbort abort, DeliveredPrefix delivered, PrefixCheckpoints checkpoints) {
        this.config = config;
        this.poster = poster;
        this.lanes = lanes;
        this.events = events;
        this.abort = abort;
        this.delivered = delivered;
        this.checkpoints = checkpoints;
    }

    /**
     * Returns when every event got a 2xx; throws {@link DeliveryFailure} when one did not, {@link DeliveryAbort.Aborted}
     * when {@code abort} stopped the batch from outside (the sink closing).
     */
    void run() {
        if (events.isEmpty()) {
            return;
        }
        if (lanes == null) {
            postInOrder(Run.contiguous(0, events.size()));
            return;
        }
        int segmentStart = 0;
        for (int i = 0; i < events.size(); i++) {
            if (LaneRouter.isBarrier(events.get(i))) {
                postInLanes(segmentStart, i);
                postInOrder(Run.contiguous(i, i + 1));
                segmentStart = i + 1;
            }
        }
        postInLanes(segmentStart, events.size());
    }

    /** One request after the other, each with up to batch-size events, in run order. */
    private void postInOrder(Run run) {
        int size = config.batchSize();
        for (int from = run.from(); from < run.to(); from += size) {
            int to = Math.min(run.to(), from + size);
            poster.post(run.events(events, from, to), abort);
            delivered.delivered(run, from, to);
            checkpoints.saveIfDue();
        }
    }

    /** Splits a segment (no barriers in it) by lane and runs the lanes in parallel; returns when all have finished. */
    private void postInLanes(int from, int to) {
        if (from == to) {
            return;
        }
        List<Run> runs = LaneSplit.of(events, from, to, config.lanes());
        if (runs.size() == 1) {
            postInOrder(runs.get(0));
            return;
        }
        CompletionService<Void> completion = new ExecutorCompletionService<>(lanes);
        for (Run run : runs) {
            completion.submit(() -> {
                abort.enter();
                try {
                    postInOrder(run);
                } finally {
                    abort.exit();
                }
                return null;
            });
        }
        RuntimeException failure = null;
        boolean interrupted = false;
        for (int finished = 0; finished < runs.size(); ) {
            Future<Void> lane;
            try {
                // Wakes up while a lane is stuck (in retries, say) so that what the others delivered is saved anyway.
                lane = completion.poll(checkpoints.intervalNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
                abort.trigger();
                continue;
            }
            checkpoints.saveIfDue();
            if (lane == null) {
                continue;
            }
            finished++;
            try {
                lane.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof DeliveryAbort.Aborted) {
                    continue;
                }
                if (failure == null) {
                    failure = cause instanceof RuntimeException runtime ? runtime
                            : new IllegalStateException("webhook lane failed: " + cause, cause);
                    abort.trigger();
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            if (failure == null) {
                throw new IllegalStateException("interrupted while delivering to " + poster.redactedUrl());
            }
        }
        if (failure != null) {
            throw failure;
        }
        if (abort.triggered()) {
            // Stopped from outside with every lane aborted: the segment is not delivered, and must not count as such.
            throw new DeliveryAbort.Aborted();
        }
    }
}
