package io.pgflo.domain;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Counters the pipeline updates and a progress reporter reads from another thread. */
public final class PipelineStats {
    private final AtomicLong eventsWritten = new AtomicLong();
    private final AtomicLong batchesWritten = new AtomicLong();
    private final AtomicReference<Lsn> checkpoint = new AtomicReference<>(Lsn.ZERO);
    private final AtomicReference<Instant> lastCommitTime = new AtomicReference<>();

    void recordBatch(Batch batch) {
        eventsWritten.addAndGet(batch.size());
        batchesWritten.incrementAndGet();
        if (!batch.isEmpty() && !batch.events().get(batch.size() - 1).provisional()) {
            lastCommitTime.set(batch.events().get(batch.size() - 1).commitTime());
        }
    }

    void recordStart(Lsn resumedFrom) {
        checkpoint.set(resumedFrom);
    }

    void recordDurable(Lsn durable) {
        checkpoint.set(durable);
    }

    public long eventsWritten() {
        return eventsWritten.get();
    }

    public long batchesWritten() {
        return batchesWritten.get();
    }

    /** The last checkpoint the sink made durable (and the pipeline acknowledged). */
    public Lsn checkpoint() {
        return checkpoint.get();
    }

    /** The source commit time of the last event written, or null before the first. */
    public Instant lastCommitTime() {
        return lastCommitTime.get();
    }
}
