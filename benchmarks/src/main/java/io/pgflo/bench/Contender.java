package io.pgflo.bench;

import io.pgflo.wal.ReplicationNames;

/**
 * One way of draining a replication slot, measured side by side with the others: {@code pg_recvlogical}, a pg_flo
 * sink, or PostgreSQL's own subscription. Each has a slot and publication of its own, created before the workload,
 * and is done when its slot's confirmed position reaches the workload's end.
 */
interface Contender {
    /** The name {@code --contenders} takes: recvlogical, stdout, file, webhook, webhook-batch, postgres, native, debezium. */
    String id();

    /** The name in the results table. */
    String displayName();

    /** What it measures, for the README and the results file. */
    String measures();

    /** The slot and publication it drains: those pg_flo uses for the group {@code bench_<id>}. */
    default ReplicationNames names() {
        return ReplicationNames.forGroup("bench_" + id().replace('-', '_'));
    }

    /** Null when it can run here; otherwise why not, for the table ("sink 'file' not in pg_flo.jar"). */
    String unavailableReason(BenchContext context);

    /** Runs before the workload, after the slot exists: a target database, for instance. */
    default void prepare(BenchContext context, RunSpec run) throws Exception {}

    /** Starts draining; the clock runs from just before this call. */
    Launch launch(BenchContext context, RunSpec run) throws Exception;

    /**
     * Whether everything reached its destination, asked on every poll once the slot confirmed the end. A contender
     * whose slot runs ahead of its destination (a replicator that publishes to a queue a worker drains) says no until
     * the last event has arrived; the clock stops when it says yes.
     */
    default boolean arrived(BenchContext context, RunSpec run) throws Exception {
        return true;
    }

    /** True when it exits by itself, with status 0, once it reached the end (pg_recvlogical --endpos). */
    default boolean exitsWhenDone() {
        return false;
    }

    /** Whether the status it exited with after {@link Launch#stop()} is its normal one (pg_flo's is 0). */
    default boolean stoppedCleanly(int exitCode) {
        return exitCode == 0;
    }

    /** After the stop: what arrived, where that can be checked cheaply. */
    default Delivery verify(BenchContext context, RunSpec run) throws Exception {
        return Delivery.NOT_CHECKED;
    }

    /** Frees what {@link #prepare} made. */
    default void cleanup(BenchContext context, RunSpec run) {}
}
