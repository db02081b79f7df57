package io.pgflo.wal;

import io.pgflo.domain.DatabaseEndpoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;

/**
 * How far a group's slot trails the server, for metrics: the server's WAL position minus the slot's confirmed
 * position, and minus its restart point (the WAL the slot keeps). Asked at most once per {@code maxAgeMillis}, on a
 * connection of its own opened when first needed and opened again after a failure; what cannot be read is empty.
 */
public final class SlotProbe implements AutoCloseable {
    /** Bytes behind the server's WAL position; empty when unknown. */
    public record Figures(OptionalLong lagBytes, OptionalLong retainedWalBytes) {
        static final Figures UNKNOWN = new Figures(OptionalLong.empty(), OptionalLong.empty());
    }

    private final DatabaseEndpoint endpoint;
    private final String slot;
    private final long maxAgeNanos;
    private Connection connection;
    private Figures last = Figures.UNKNOWN;
    private long readAt;

    public SlotProbe(DatabaseEndpoint endpoint, String group, long maxAgeMillis) {
        this.endpoint = endpoint;
        this.slot = ReplicationNames.forGroup(group).slot();
        this.maxAgeNanos = maxAgeMillis * 1_000_000L;
    }

    public synchronized Figures figures() {
        long now = System.nanoTime();
        if (readAt != 0 && now - readAt < maxAgeNanos) {
            return last;
        }
        readAt = now;
        try {
            last = read();
        } catch (SQLException | RuntimeException first) {
            // The connection may have broken (the source restarted) since the last scrape: once more on a new one.
            close();
            try {
                last = read();
            } catch (SQLException | RuntimeException e) {
                // A scrape must not fail because the source is away: the gauges are left out until it answers again,
                // which the next scrape asks (a failure is not kept).
                last = Figures.UNKNOWN;
                readAt = 0;
                close();
            }
        }
        return last;
    }

    private Figures read() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = PgConnections.open(endpoint, "pg_flo-metrics");
            connection.setAutoCommit(true);
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT (CASE WHEN pg_catalog.pg_is_in_recovery() THEN pg_catalog.pg_last_wal_replay_lsn() "
                        + "ELSE pg_catalog.pg_current_wal_lsn() END) - confirmed_flush_lsn, "
                        + "(CASE WHEN pg_catalog.pg_is_in_recovery() THEN pg_catalog.pg_last_wal_replay_lsn() "
                        + "ELSE pg_catalog.pg_current_wal_lsn() END) - restart_lsn "
                        + "FROM pg_catalog.pg_replication_slots WHERE slot_name = ?")) {
            statement.setString(1, slot);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? new Figures(value(rows, 1), value(rows, 2)) : Figures.UNKNOWN;
            }
        }
    }

    private static OptionalLong value(ResultSet rows, int column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? OptionalLong.empty() : OptionalLong.of(Math.max(0, value));
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing to keep
            }
            connection = null;
        }
    }
}
