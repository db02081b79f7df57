package io.pgflo.domain;

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
 * <p>Every event of a batch belongs to a finished transaction, or every one to the open transaction. A provisional
 * event ({@link ChangeEvent#provisional()}) cannot tell by its commit LSN: it belongs to a finished transaction when
 * the batch's checkpoint moves past the sink's, to the open one when it does not.
 */
public record Batch(List<ChangeEvent> events, Lsn checkpoint) {
    public Batch {
        events = List.copyOf(events);
        requireNonNull(checkpoint, "checkpoint is null");
    }

    public boolean isEmpty() {
        return events.isEmpty();
    }

    public int size() {
        return events.size();
    }
}
