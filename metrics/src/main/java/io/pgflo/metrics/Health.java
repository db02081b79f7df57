package io.pgflo.metrics;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Whether a pg_flo process is alive and ready, as its orchestrator asks: ready while it streams with a live source
 * and a sink that takes writes; alive unless a stream has made no progress, not even a heartbeat, for
 * {@code stallAfter}. Updated from the threads that know (the runner, the pipeline), read by the HTTP server's.
 */
public final class Health {
    /** What the process is doing. */
    public enum Phase {
        STARTING("starting"),
        COPYING("copying the tables' existing rows"),
        STREAMING("streaming"),
        RECONNECTING("reconnecting"),
        STOPPING("stopping");

        private final String description;

        Phase(String description) {
            this.description = description;
        }
    }

    private final long stallAfterNanos;
    private volatile Phase phase = Phase.STARTING;
    private volatile String reason = Phase.STARTING.description;
    private volatile long lastProgressNanos = System.nanoTime();
    /** Why the sink waits to retry its destination while streaming, or null when it does not. */
    private volatile String sinkRetry;

    /** @param stallAfter how long a stream may make no progress and still be alive; zero: never judged stalled */
    public Health(Duration stallAfter) {
        this.stallAfterNanos = requireNonNull(stallAfter, "stallAfter is null").toNanos();
    }

    /** Enters {@code phase}, with why when it is not streaming (shown by {@code /health/ready}). */
    public void enter(Phase phase, String reason) {
        this.reason = reason == null ? phase.description : phase.description + ": " + reason;
        this.lastProgressNanos = System.nanoTime();
        // A new phase has a new sink, or none: a retry the last one reported is over.
        this.sinkRetry = null;
        this.phase = phase;
    }

    /** The stream moved: a transaction (a heartbeat included) arrived, or a batch was written. */
    public void progressed() {
        lastProgressNanos = System.nanoTime();
    }

    /**
     * The sink waits to retry its destination (a webhook receiver answering 503, say): not ready while streaming,
     * with {@code reason}, until {@link #sinkDelivering()}. The phase stays what it is.
     */
    public void sinkRetrying(String reason) {
        sinkRetry = reason == null ? "retrying" : reason;
    }

    /** The sink delivers again; the wait for it counts as progress, so liveness starts afresh. */
    public void sinkDelivering() {
        lastProgressNanos = System.nanoTime();
        sinkRetry = null;
    }

    public boolean ready() {
        return phase == Phase.STREAMING && sinkRetry == null;
    }

    /** A sink in retry is not wedged: it waits on its destination, within its own limit (a webhook's --webhook-retry-for). */
    public boolean alive() {
        return phase != Phase.STREAMING || stallAfterNanos == 0 || sinkRetry != null
                || System.nanoTime() - lastProgressNanos < stallAfterNanos;
    }

    /** Why it is not ready, or not alive; "streaming" when it is both. */
    public String reason() {
        if (phase == Phase.STREAMING && !alive()) {
            return "no progress for " + Duration.ofNanos(System.nanoTime() - lastProgressNanos).toSeconds()
                    + " s, not even a heartbeat";
        }
        String retry = sinkRetry;
        if (phase == Phase.STREAMING && retry != null) {
            return "sink in retry: " + retry;
        }
        return reason;
    }

    public Phase phase() {
        return phase;
    }
}
