package io.pgflo.examples;

import io.pgflo.sink.api.Lsn;
import io.pgflo.testkit.TestPostgres;
import io.pgflo.wal.ReplicationNames;

/** A group's replication slot on the source, as the server reports it. */
final class ReplicationSlot {
    private final TestPostgres server;
    private final String database;
    private final String name;

    ReplicationSlot(TestPostgres server, String database, String group) {
        this.server = server;
        this.database = database;
        this.name = ReplicationNames.forGroup(group).slot();
    }

    /**
     * Waits until a stream reads from the slot: from then on, every change committed on the source reaches it.
     * {@code stillRunning} fails when the program that should stream has ended.
     */
    void awaitStreaming(Runnable stillRunning) {
        Await.until("stream from slot " + name, () -> server.isStreamedFrom(database, name), stillRunning);
    }

    /** Waits until no process streams from the slot any more. */
    void awaitReleased() {
        Await.until("release of slot " + name, () -> "false".equals(active()), () -> {});
    }

    /** What the slot was told is durable: the next stream starts after it. */
    Lsn confirmedPosition() {
        return Lsn.parse(server.queryString(database,
                "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = '" + name + "'"));
    }

    private String active() {
        return server.queryString(database, "SELECT coalesce((SELECT active::text FROM pg_replication_slots "
                + "WHERE slot_name = '" + name + "'), 'missing')");
    }
}
