package io.pgflo.sink.api;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Events in commit order, and the checkpoint that becomes durable once the sink has written them.
 *
 * <p>The checkpoint covers exactly the events of this batch and the batches before it: after a whole transaction
 * ({@link Position#afterTransaction}) when the batch ends one, or, for a batch cut inside a large transaction, at its
 * last change ({@link Position#of}), so a sink that records it with the events resumes after exactly those changes.
 * A batch that ends inside a transaction whose changes are provisional carries the checkpoint before it: those
 * changes have no commit LSN to name yet.
 *
 * <p>A provisional event ({@link ChangeEvent#provisional()}) in a batch always belongs to the open transaction: once
 * that transaction commits, the events of it still held get its commit LSN and time before they are cut.
 */
public record Batch(List<ChangeEvent> events, Position checkpoint) {
    public Batch {
        events = List.copyOf(events);
        requireNonNull(checkpoint, "checkpoint is null");
    }

    /** A batch of {@code events}, of whatever implementation of {@link ChangeEvent}. */
    public static Batch of(List<? extends ChangeEvent> events, Position checkpoint) {
        return new Batch(List.copyOf(events), checkpoint);
    }

    /** A batch of {@code events} whose checkpoint is after the whole transaction ending at {@code endLsn}. */
    public static Batch of(List<? extends ChangeEvent> events, Lsn endLsn) {
        return of(events, Position.afterTransaction(endLsn));
    }

    /**
     * Whether the batch ends at a transaction's end: its last change's transaction is complete in it (and so covered by
     * its checkpoint). False for a batch cut inside a large transaction, whose rest comes in later batches.
     */
    public boolean endsTransaction() {
        return checkpoint.wholeTransaction() && (events.isEmpty() || checkpoint.covers(events.get(events.size() - 1)));
    }

    public boolean isEmpty() {
        return events.isEmpty();
    }

    public int size() {
        return events.size();
    }
}
