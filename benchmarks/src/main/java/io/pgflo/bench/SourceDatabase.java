package io.pgflo.bench;

import static java.util.Objects.requireNonNull;

import io.pgflo.sink.api.Lsn;
import io.pgflo.wal.ReplicationNames;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The source database: the benchmark table, one publication and slot per contender, the workload's exact end, and
 * the slots' progress.
 */
final class SourceDatabase implements AutoCloseable {
    /** The slot used once to find the workload's end: see {@link #markEnd()}. */
    static final ReplicationNames PROBE = ReplicationNames.forGroup("bench_end_probe");
    static final String END_MARKER_PREFIX = "pg_flo_bench_end";

    private final Database database;
    private Connection monitor;

    SourceDatabase(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    Database database() {
        return database;
    }

    void createTable() {
        database.execute(BenchTable.DROP, BenchTable.CREATE);
    }

    /**
     * Creates the group's publication (for the benchmark table) and logical slot, replacing leftovers of an
     * earlier run. pg_flo finds both and uses them as they are.
     */
    void createReplication(ReplicationNames names) {
        dropReplication(names);
        database.execute("CREATE PUBLICATION " + names.publication() + " FOR TABLE " + BenchTable.QUALIFIED,
                "SELECT pg_create_logical_replication_slot('" + names.slot() + "', 'pgoutput')");
    }

    /** Drops the group's slot (ending a walsender that still holds it) and publication, if they exist. */
    void dropReplication(ReplicationNames names) {
        for (int attempt = 0; ; attempt++) {
            try {
                database.execute(
                        "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = '"
                                + names.slot() + "' AND active_pid IS NOT NULL",
                        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                                + names.slot() + "'",
                        "DROP PUBLICATION IF EXISTS " + names.publication());
                return;
            } catch (IllegalStateException e) {
                // A terminated walsender releases its slot a moment later.
                if (attempt == 50) {
                    throw e;
                }
                sleep(100);
            }
        }
    }

    /**
     * Ends the workload with a marker and returns the exact LSN a contender has confirmed once it has delivered the
     * whole workload: the end of the marker transaction's commit record.
     *
     * <p>Why not {@code pg_current_wal_insert_lsn()}: the server may write WAL of its own (running-transaction
     * snapshots, checkpoints) after the workload's last commit, and a consumer acknowledges commit positions only,
     * so the insert position may never be confirmed. Instead, a probe slot created after the workload decodes the
     * marker alone (cheap), and its last row's LSN is the marker's commit end, which pgoutput sends as the Commit
     * message's end LSN, pg_flo acknowledges, and {@code pg_recvlogical --endpos} stops at. The marker is a
     * transactional logical message with no row change: pg_flo and pg_recvlogical (with {@code messages=true}) see
     * an empty transaction, a native subscription a skipped one. It commits with {@code synchronous_commit = on}
     * because decoding reads flushed WAL only.
     */
    Lsn markEnd() {
        dropReplication(PROBE);
        database.execute("CREATE PUBLICATION " + PROBE.publication() + " FOR TABLE " + BenchTable.QUALIFIED,
                "SELECT pg_create_logical_replication_slot('" + PROBE.slot() + "', 'pgoutput')",
                // Decoding reads only flushed WAL: the marker's commit waits for the flush (the test server runs
                // with synchronous_commit = off, which would leave the end of the workload unflushed a while).
                "SET synchronous_commit = on",
                "SELECT pg_logical_emit_message(true, '" + END_MARKER_PREFIX + "', 'end')");
        String end = database.queryString("SELECT max(lsn)::text FROM pg_logical_slot_peek_binary_changes('"
                + PROBE.slot() + "', NULL, NULL, 'proto_version', '1', 'publication_names', '" + PROBE.publication()
                + "', 'messages', 'true')");
        dropReplication(PROBE);
        if (end == null) {
            throw new IllegalStateException("the end marker did not show up in slot " + PROBE.slot() + " on " + database);
        }
        return Lsn.parse(end);
    }

    /** Whether a walsender streams from the slot (its pid, or 0), and what it has confirmed. */
    record SlotState(boolean active, long walSenderPid, Lsn confirmedFlush) {}

    /** Reads the slot's state on a connection kept open for polling. */
    SlotState slotState(String slot) throws SQLException {
        if (monitor == null || monitor.isClosed()) {
            monitor = database.connect();
        }
        try (PreparedStatement statement = monitor.prepareStatement(
                "SELECT active, coalesce(active_pid, 0), confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?")) {
            statement.setString(1, slot);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalStateException("replication slot " + slot + " is gone from " + database);
                }
                String confirmed = rows.getString(3);
                return new SlotState(rows.getBoolean(1), rows.getLong(2), confirmed == null ? Lsn.ZERO : Lsn.parse(confirmed));
            }
        }
    }

    /** The server's major version and settings worth recording with the results. */
    String describeServer() {
        return database.queryString("SELECT version()");
    }

    void generate(Workload workload) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET synchronous_commit = off");
            workload.generate(connection);
        }
    }

    String fingerprint() {
        return database.queryString(BenchTable.FINGERPRINT);
    }

    @Override
    public void close() {
        if (monitor != null) {
            try {
                monitor.close();
            } catch (SQLException ignored) {
                // Closing a monitoring connection: nothing to do.
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
