package io.pgflo.sink.postgres;

import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Position;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The sink's checkpoint in the target: {@code internal_pg_flo.lsn_status}, one row per group, updated in the same
 * transaction as the batch it checkpoints.
 */
final class CheckpointTable {
    static final String SCHEMA = "internal_pg_flo";
    static final String TABLE = SCHEMA + ".lsn_status";
    private static final long LOCK_KEY = 0x70675f666c6f4c73L; // "pg_floLs": serializes concurrent creation

    private final String group;

    CheckpointTable(String group) {
        this.group = group;
    }

    /** Creates schema and table when missing; commits. */
    void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_catalog.pg_advisory_xact_lock(" + LOCK_KEY + ")");
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
            statement.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (group_name text PRIMARY KEY, "
                    + "lsn pg_lsn NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())");
        }
        connection.commit();
    }

    /**
     * The group's checkpoint, or {@link Position#START}: always after a whole transaction, the only place the sink
     * commits (it applies each source transaction in one target transaction).
     */
    Position load(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT lsn::text FROM " + TABLE + " WHERE group_name = ?")) {
            statement.setString(1, group);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Position.afterTransaction(Lsn.parse(rows.getString(1))) : Position.START;
            }
        }
    }

    /** Writes the checkpoint in the connection's current transaction; the caller commits. */
    void save(Connection connection, Lsn checkpoint) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + TABLE
                + " (group_name, lsn, updated_at) VALUES (?, ?::pg_lsn, now()) ON CONFLICT (group_name) "
                + "DO UPDATE SET lsn = EXCLUDED.lsn, updated_at = EXCLUDED.updated_at")) {
            statement.setString(1, group);
            statement.setString(2, checkpoint.toString());
            statement.executeUpdate();
        }
    }
}
