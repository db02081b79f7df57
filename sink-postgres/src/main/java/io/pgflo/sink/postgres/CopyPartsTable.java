package io.pgflo.sink.postgres;

import io.pgflo.sink.api.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The parts of an initial copy the target holds: {@code internal_pg_flo.copy_parts}, one row per part, inserted in the
 * transaction that loads the part's rows, so a row here means exactly that the part's rows are in the table.
 */
final class CopyPartsTable {
    static final String TABLE = CheckpointTable.SCHEMA + ".copy_parts";

    private final String group;

    CopyPartsTable(String group) {
        this.group = group;
    }

    /** Creates it when missing (the schema exists: {@link CheckpointTable#create} made it); the caller commits. */
    static void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (group_name text NOT NULL, table_name text NOT "
                    + "NULL, copy_id text NOT NULL, part_id text NOT NULL, rows bigint NOT NULL, loaded_at timestamptz "
                    + "NOT NULL DEFAULT now(), PRIMARY KEY (group_name, table_name, copy_id, part_id))");
        }
    }

    /** The parts of {@code table} held, by copy id. */
    Map<String, Set<String>> held(Connection connection, TableName table) throws SQLException {
        Map<String, Set<String>> parts = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT copy_id, part_id FROM " + TABLE + " WHERE group_name = ? AND table_name = ?")) {
            statement.setString(1, group);
            statement.setString(2, table.quoted());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    parts.computeIfAbsent(rows.getString(1), copy -> new HashSet<>()).add(rows.getString(2));
                }
            }
        }
        return parts;
    }

    /** Records a part in the connection's transaction, which holds its rows. */
    void record(Connection connection, TableName table, String copyId, String partId, long rows) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + TABLE
                + " (group_name, table_name, copy_id, part_id, rows) VALUES (?, ?, ?, ?, ?)")) {
            statement.setString(1, group);
            statement.setString(2, table.quoted());
            statement.setString(3, copyId);
            statement.setString(4, partId);
            statement.setLong(5, rows);
            statement.executeUpdate();
        }
    }

    /** Forgets the parts of {@code table}, or of every table when it is null; in the connection's transaction. */
    void forget(Connection connection, TableName table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM " + TABLE + " WHERE group_name = ?"
                + (table == null ? "" : " AND table_name = ?"))) {
            statement.setString(1, group);
            if (table != null) {
                statement.setString(2, table.quoted());
            }
            statement.executeUpdate();
        }
    }
}
