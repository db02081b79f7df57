package io.pgflo.sink.webhook;

import io.pgflo.domain.CheckpointWriter;
import io.pgflo.sink.api.Position;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands the checkpoint of a batch's delivered prefix ({@link DeliveredPrefix#resumePoint()}) to the checkpoint writer
 * while the batch is delivered: at most once per interval, so a long batch costs one save (an fsync) per interval,
 * not one per event, and at once when the batch stops short (a failure, a stop). One per batch: a batch delivered
 * within the interval saves nothing but its own checkpoint.
 */
final class PrefixCheckpoints {
    private final CheckpointWriter<Position> writer;
    private final DeliveredPrefix delivered;
    private final long intervalNanos;
    private final AtomicLong dueAt;
    /** The last checkpoint handed over; guarded by this. */
    private Position handedOver;

    PrefixCheckpoints(CheckpointWriter<Position> writer, DeliveredPrefix delivered, Duration interval) {
        this.writer = writer;
        this.delivered = delivered;
        this.intervalNanos = interval.toNanos();
        this.dueAt = new AtomicLong(System.nanoTime() + intervalNanos);
    }

    long intervalNanos() {
        return intervalNanos;
    }

    /** Hands the prefix's checkpoint over if the interval has passed since the last time. Any thread; cheap when not due. */
    void saveIfDue() {
        long now = System.nanoTime();
        long due = dueAt.get();
        // Only the thread that moves the due time saves, so lanes finishing together do not all queue a save.
        if (now - due >= 0 && dueAt.compareAndSet(due, now + intervalNanos)) {
            saveNow();
        }
    }

    /**
     * Hands the prefix's checkpoint over now, if it moved. Synchronized, so that the prefix read and the hand-over are
     * one step: the writer keeps only the newest checkpoint handed over, which must then be the furthest.
     */
    synchronized void saveNow() {
        Position lsn = delivered.resumePoint();
        if (lsn != null && (handedOver == null || lsn.isAfter(handedOver))) {
            writer.submit(lsn);
            handedOver = lsn;
        }
    }
}
