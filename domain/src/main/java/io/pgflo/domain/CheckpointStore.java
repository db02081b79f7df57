package io.pgflo.domain;

import io.pgflo.sink.api.Lsn;

/** Where a sink keeps the LSN it has made durable. */
public interface CheckpointStore {

    /** The saved checkpoint, or {@link Lsn#ZERO} when none was saved yet. */
    Lsn load();

    /** Saves the checkpoint durably before returning. */
    void save(Lsn checkpoint);
}
