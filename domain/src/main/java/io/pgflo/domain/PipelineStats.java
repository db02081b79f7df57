package io.pgflo.domain;

import io.pgflo.sink.api.Batch;
import io.pgflo.sink.api.Position;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Counters the pipeline updates and a progress reporter reads from another thread. */
public final class PipelineStats {
    private final AtomicLong eventsWritten = new AtomicLong();
    private final AtomicLong batchesWritten = new AtomicLong();
    private final AtomicReference<Position> checkpoint = new AtomicReference<>(Position.START);
    private final AtomicReference<Instant> lastCommitTime = new AtomicReference<>();
    private volatile Instant lastDurableCommitTime;
    private volatile boolean caughtUp;

    /** @param commitTime the source commit time of the newest transaction written so far, or null */
    void recordBatch(Batch batch, Instant commitTime) {
        eventsWritten.addAndGet(batch.size());
        batchesWritten.incrementAndGet();
        if (commitTime != null) {
            lastCommitTime.set(commitTime);
        }
    }

    void recordStart(Position resumedFrom) {
        checkpoint.set(resumedFrom);
    }

    void recordDurable(Position durable) {
        checkpoint.set(durable);
    }

    void recordDurableCommit(Instant commitTime) {
        lastDurableCommitTime = commitTime;
    }

    /** Whether the source had nothing pending and everything written was durable, at the pipeline's last look. */
    void recordCaughtUp(boolean caughtUp) {
        if (this.caughtUp != caughtUp) { // called per message: a volatile read, and a write only on a change
            this.caughtUp = caughtUp;
        }
    }

    /**
     * How far the sink's durable changes are behind the source: 0 when caught up (nothing pending, everything durable),
     * else the time since the commit of the newest durable transaction (since the start, before the first).
     */
    public Duration lag(Instant now) {
        Instant durable = lastDurableCommitTime;
        if (caughtUp || durable == null) {
            return Duration.ZERO;
        }
        Duration lag = Duration.between(durable, now);
        return lag.isNegative() ? Duration.ZERO : lag;
    }

    public long eventsWritten() {
        return eventsWritten.get();
    }

    public long batchesWritten() {
        return batchesWritten.get();
    }

    /** The last checkpoint the sink made durable (and the pipeline acknowledged). */
    public Position checkpoint() {
        return checkpoint.get();
    }

    /**
     * The source commit time of the newest transaction handed to the sink, heartbeats included (so an idle stream's
     * lag stays within the heartbeat interval instead of growing), or null before the first.
     */
    public Instant lastCommitTime() {
        return lastCommitTime.get();
    }
}
