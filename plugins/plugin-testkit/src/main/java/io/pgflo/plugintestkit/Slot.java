package io.pgflo.plugintestkit;

import io.pgflo.testkit.TestPostgres;
import java.util.Locale;

/**
 * The replication slot of a run's group, read from the source server: what tells a test that pg_flo streams, and that
 * the sink has made everything durable (pg_flo confirms a position to PostgreSQL only once the sink's checkpoint
 * covers it).
 */
final class Slot {
    private final TestPostgres server;
    private final String database;
    private final String name;

    Slot(TestPostgres server, String database, String group) {
        this.server = server;
        this.database = database;
        this.name = nameFor(group);
    }

    /**
     * {@code pg_flo_<group>_slot}, the group lower-cased with anything but a-z, 0-9 and '_' made '_': pg_flo's own
     * rule (wal-adapter's ReplicationNames), repeated here because the kit sees pg_flo only from outside.
     */
    static String nameFor(String group) {
        return "pg_flo_" + group.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_") + "_slot";
    }

    String name() {
        return name;
    }

    /** Whether a walsender streams from the slot; false while the slot does not exist yet. */
    boolean isStreamed() {
        return server.isStreamedFrom(database, name);
    }

    /** Where the server's WAL ends now, past every transaction committed so far. */
    String currentWalEnd() {
        return server.queryString(database, "SELECT pg_current_wal_insert_lsn()::text");
    }

    /** Whether pg_flo has confirmed {@code lsn}: the sink's checkpoint has reached it. */
    boolean hasConfirmed(String lsn) {
        return "true".equals(server.queryString(database, "SELECT coalesce((SELECT confirmed_flush_lsn >= '" + lsn
                + "'::pg_lsn FROM pg_replication_slots WHERE slot_name = '" + name + "'), false)::text"));
    }
}
