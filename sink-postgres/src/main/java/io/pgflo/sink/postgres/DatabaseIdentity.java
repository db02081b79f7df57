package io.pgflo.sink.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Which database of which running server a connection reached, whatever host name led there: the database's OID
 * and name, the server's port and the moment it started. Two connections that agree on all four are to the same
 * database; readable by any role, unlike the cluster's system identifier.
 */
record DatabaseIdentity(long databaseOid, String database, String port, String serverStarted) {

    static DatabaseIdentity of(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(
                "SELECT d.oid, d.datname, pg_catalog.current_setting('port'), pg_catalog.pg_postmaster_start_time()::text "
                        + "FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database()")) {
            rows.next();
            return new DatabaseIdentity(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4));
        }
    }
}
