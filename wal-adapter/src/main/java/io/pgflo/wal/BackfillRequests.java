package io.pgflo.wal;

import io.pgflo.domain.BackfillRequest;
import io.pgflo.sink.api.ColumnType;
import io.pgflo.sink.api.TableName;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The table {@code internal_pg_flo.backfill_requests} on the source: what {@code pg_flo backfill} asked for, and how
 * far each request got. Requests reach the stream through this table, which only pg_flo's role may write (nothing is
 * granted to PUBLIC), never through a message that any login could send.
 */
final class BackfillRequests {
    static final String SCHEMA = "internal_pg_flo";
    static final String TABLE_NAME = "backfill_requests";
    static final String TABLE = SCHEMA + "." + TABLE_NAME;
    static final long LOCK_KEY = 0x70675f666c6f4266L; // "pg_floBf": serializes creation

    private static final Logger log = LoggerFactory.getLogger(BackfillRequests.class);

    private BackfillRequests() {}

    /** Creates the table when missing; commits when the connection does not auto-commit. */
    static void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_catalog.pg_advisory_xact_lock(" + LOCK_KEY + ")");
            statement.execute("CREATE SCHEMA IF NOT EXISTS internal_pg_flo");
            statement.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id bigserial PRIMARY KEY, "
                    + "group_name text NOT NULL, table_schema text NOT NULL, table_name text NOT NULL, predicate text, "
                    + "after_key text[], rows_done bigint NOT NULL DEFAULT 0, requested_at timestamptz NOT NULL DEFAULT now(), "
                    + "updated_at timestamptz, completed_at timestamptz)");
            statement.execute("REVOKE ALL ON " + TABLE + " FROM PUBLIC");
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }

    static long add(Connection connection, String group, TableName table, String predicate) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + TABLE
                + " (group_name, table_schema, table_name, predicate) VALUES (?, ?, ?, ?) RETURNING id")) {
            statement.setString(1, group);
            statement.setString(2, table.schema());
            statement.setString(3, table.table());
            statement.setString(4, predicate);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /**
     * Asks for a backfill of each table added to an existing group, so that the rows it had before reach the sink;
     * a table without a key to read it by is left out with a warning that says what to do.
     */
    static void addForNewTables(Connection connection, WalSourceConfig config, List<TableName> tables)
            throws SQLException {
        if (tables.isEmpty()) {
            return;
        }
        create(connection);
        IntFunction<ColumnType> types = new TypeRegistry(connection)::resolve;
        for (TableName table : tables) {
            CopiedTable copied = CopiedTable.load(connection, table, types, config.endpoint().describe());
            if (copied.relation().keyColumns().isEmpty()) {
                log.warn("{} was added to group {}: its existing rows are not backfilled, as it has no primary key or "
                        + "replica identity index to read it by in chunks", table, config.names().group());
                continue;
            }
            long id = add(connection, config.names().group(), table, null);
            log.info("{} was added to group {}: backfill {} reads its existing rows while the stream runs", table,
                    config.names().group(), id);
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }

    static List<BackfillRequest> pending(Connection connection, String group) throws SQLException {
        List<BackfillRequest> requests = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT id, table_schema, table_name, predicate, "
                + "after_key, rows_done FROM " + TABLE + " WHERE group_name = ? AND completed_at IS NULL ORDER BY id")) {
            statement.setString(1, group);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Array key = rows.getArray(5);
                    requests.add(new BackfillRequest(rows.getLong(1), new TableName(rows.getString(2), rows.getString(3)),
                            rows.getString(4), key == null ? null : Arrays.asList((String[]) key.getArray()),
                            rows.getLong(6)));
                }
            }
        }
        return requests;
    }

    static void progressed(Connection connection, long id, List<String> afterKey, long rowsDone) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("UPDATE " + TABLE
                + " SET after_key = ?, rows_done = ?, updated_at = now() WHERE id = ?")) {
            statement.setArray(1, connection.createArrayOf("text", afterKey.toArray()));
            statement.setLong(2, rowsDone);
            statement.setLong(3, id);
            statement.executeUpdate();
        }
    }

    static void completed(Connection connection, long id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("UPDATE " + TABLE
                + " SET completed_at = now(), updated_at = now() WHERE id = ?")) {
            statement.setLong(1, id);
            statement.executeUpdate();
        }
    }

    /**
     * The group names in the table that name {@code names}'s group. Requests keep {@code --group} as the user gave
     * it, so {@code Orders} and {@code orders}, one group, may both be there.
     */
    static List<String> groupNames(Connection connection, ReplicationNames names) throws SQLException {
        List<String> given = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT DISTINCT group_name FROM " + TABLE)) {
            while (rows.next()) {
                if (names.isNamedBy(rows.getString(1))) {
                    given.add(rows.getString(1));
                }
            }
        }
        return given;
    }

    /** Deletes the group's requests, pending and complete; returns how many. */
    static int removeGroup(Connection connection, ReplicationNames names) throws SQLException {
        List<String> given = groupNames(connection, names);
        if (given.isEmpty()) {
            return 0;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM " + TABLE + " WHERE group_name = ANY (?)")) {
            statement.setArray(1, connection.createArrayOf("text", given.toArray()));
            return statement.executeUpdate();
        }
    }
}
