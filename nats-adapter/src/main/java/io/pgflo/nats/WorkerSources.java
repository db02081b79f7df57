package io.pgflo.nats;

import io.pgflo.domain.ChangeSource;

/** Where a worker's changes come from, as the engine's port: the group's JetStream stream. */
public final class WorkerSources {
    private WorkerSources() {}

    /** A source that connects when the pipeline starts it; see {@link JetStreamChangeSource}. */
    public static ChangeSource jetStream(NatsSettings nats, WorkerSettings worker) {
        return new JetStreamChangeSource(nats, worker);
    }
}
