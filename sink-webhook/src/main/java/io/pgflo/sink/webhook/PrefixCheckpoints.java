package io.pgflo.sink.webhook;

import io.pgflo.domain.CheckpointWriter;
import io.pgflo.sink.api.Position;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands the checkpoint of the delivered prefix ({@link DeliveredPrefix#resumePoint()}) of the oldest batch not yet
 * delivered in full (the one it {@link #follow}s) to the checkpoint writer: at most once per interval, so a long batch
 * costs one save (an fsync) per interval, not one per event, and at once when delivery stops short (a failure, a
 * stop). Only the oldest batch's prefix may be saved: a later batch's lanes may have delivered events past an earlier
 * batch's undelivered one, and the checkpoint claims only what comes before the first undelivered event.
 */
final class PrefixCheckpoints {
    private final CheckpointWriter<Position> writer;
    private final long intervalNanos;
    private final AtomicLong dueAt;
    private volatile DeliveredPrefix head;
    /** The last checkpoint handed over; guarded by this. */
    private Position handedOver;

    PrefixCheckpoints(CheckpointWriter<Position> writer, Duration interval) {
        this.writer = writer;
        this.intervalNanos = interval.toNanos();
        this.dueAt = new AtomicLong(System.nanoTime() + intervalNanos);
    }

    long intervalNanos() {
        return intervalNanos;
    }

    /** From now on, the prefix of {@code batch} is the one saved: every batch before it is delivered in full. */
    void follow(DeliveredPrefix batch) {
        head = batch;
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
        DeliveredPrefix batch = head;
        Position lsn = batch == null ? null : batch.resumePoint();
        if (lsn != null && (handedOver == null || lsn.isAfter(handedOver))) {
            writer.submit(lsn);
            handedOver = lsn;
        }
    }
}
