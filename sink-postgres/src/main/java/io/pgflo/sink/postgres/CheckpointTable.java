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
            // Null after a whole transaction; the row number of an initial copy's rows otherwise (see Position).
            statement.execute("ALTER TABLE " + TABLE + " ADD COLUMN IF NOT EXISTS ordinal integer");
        }
        connection.commit();
    }

    /**
     * The group's checkpoint, or {@link Position#START}: after a whole transaction (the sink applies each source
     * transaction in one target transaction), or, during an initial copy, after the copy's row with that ordinal.
     */
    Position load(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT lsn::text, ordinal FROM " + TABLE + " WHERE group_name = ?")) {
            statement.setString(1, group);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Position.START;
                }
                Lsn lsn = Lsn.parse(rows.getString(1));
                int ordinal = rows.getInt(2);
                return rows.wasNull() ? Position.afterTransaction(lsn) : Position.of(lsn, ordinal);
            }
        }
    }

    /** Writes the checkpoint in the connection's current transaction; the caller commits. */
    void save(Connection connection, Position checkpoint) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + TABLE
                + " (group_name, lsn, ordinal, updated_at) VALUES (?, ?::pg_lsn, ?, now()) ON CONFLICT (group_name) "
                + "DO UPDATE SET lsn = EXCLUDED.lsn, ordinal = EXCLUDED.ordinal, updated_at = EXCLUDED.updated_at")) {
            statement.setString(1, group);
            statement.setString(2, checkpoint.lsn().toString());
            if (checkpoint.wholeTransaction()) {
                statement.setNull(3, java.sql.Types.INTEGER);
            } else {
                statement.setInt(3, checkpoint.ordinal());
            }
            statement.executeUpdate();
        }
    }
}
