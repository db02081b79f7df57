package io.pgflo.sink.api;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Events in commit order, and the checkpoint that becomes durable once the sink has written them.
 *
 * <p>The checkpoint is always the end LSN of a transaction whose events are all in this batch or an earlier one.
 * A batch cut inside a large transaction therefore carries the previous checkpoint: the sink writes the events,
 * but a restart resumes before that transaction, and sinks that deliver exactly once undo or overwrite the
 * partial work.
 *
 * <p>A provisional event ({@link ChangeEvent#provisional()}) in a batch always belongs to the open transaction: once
 * that transaction commits, the events of it still held get its commit LSN and time before they are cut.
 */
public record Batch(List<ChangeEvent> events, Lsn checkpoint) {
    public Batch {
        events = List.copyOf(events);
        requireNonNull(checkpoint, "checkpoint is null");
    }

    /** A batch of {@code events}, of whatever implementation of {@link ChangeEvent}. */
    public static Batch of(List<? extends ChangeEvent> events, Lsn checkpoint) {
        return new Batch(List.copyOf(events), checkpoint);
    }

    /**
     * Whether the batch ends at a transaction's end: its last change's transaction is complete in it (and so covered by
     * its checkpoint). False for a batch cut inside a large transaction, whose rest comes in later batches.
     */
    public boolean endsTransaction() {
        return events.isEmpty() || !events.get(events.size() - 1).commitLsn().isAfter(checkpoint);
    }

    public boolean isEmpty() {
        return events.isEmpty();
    }

    public int size() {
        return events.size();
    }
}
