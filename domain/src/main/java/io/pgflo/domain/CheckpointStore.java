package io.pgflo.domain;

import io.pgflo.sink.api.Position;

/** Where a sink keeps the position it has made durable. */
public interface CheckpointStore {

    /** The saved checkpoint, or {@link Position#START} when none was saved yet. */
    Position load();

    /** Saves the checkpoint durably before returning. */
    void save(Position checkpoint);
}
