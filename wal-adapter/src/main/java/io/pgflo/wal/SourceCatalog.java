package io.pgflo.wal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Catalog lookups that {@code pg_flo status} and {@code pg_flo drop} share. By {@code pg_catalog} name rather than
 * {@code to_regclass}, so that a schema the user may not use reads as it is instead of failing.
 */
final class SourceCatalog {
    /** The server's WAL position: its insert position, or on a standby, how far it has replayed. */
    static final String SERVER_LSN = "(CASE WHEN pg_catalog.pg_is_in_recovery() THEN pg_catalog.pg_last_wal_replay_lsn() "
            + "ELSE pg_catalog.pg_current_wal_lsn() END)";

    private SourceCatalog() {}

    static String serverLsn(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT " + SERVER_LSN + "::text")) {
            rows.next();
            return rows.getString(1);
        }
    }

    static boolean publicationExists(Connection connection, String publication) throws SQLException {
        return exists(connection, "SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = ?", publication);
    }

    static boolean tableExists(Connection connection, String schema, String table) throws SQLException {
        return exists(connection, "SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
                + "ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ? AND c.relkind = 'r'", schema, table);
    }

    static boolean exists(Connection connection, String sql, String... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setString(i + 1, values[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }
}
