package io.pgflo.wal;

import static io.pgflo.wal.DdlCapture.SCHEMA;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Takes DDL capture objects off the source for {@code pg_flo drop}. What {@link DdlCapture} installs is shared by every
 * group of the database (the event triggers, the functions, the tables), except a group's rows: its registration in
 * {@code ddl_capture_tables}, and the definitions and changes recorded for tables that only it registers. So a group's
 * part goes with the group ({@link #removeGroup}); the rest only once no group is left ({@link #removeShared}).
 */
final class DdlCaptureRemoval {
    static final String EVENT_TRIGGERS = "event triggers pg_flo_ddl_command_end and pg_flo_sql_drop";

    private DdlCaptureRemoval() {}

    /**
     * Deletes the group's registration, then the definitions and changes recorded for the tables it registered that no
     * other group registers. Runs in the caller's transaction, which holds {@link DdlCapture#LOCK_KEY}.
     */
    static void removeGroup(Connection connection, String group, Consumer<String> report) throws SQLException {
        if (!SourceCatalog.tableExists(connection, SCHEMA, "ddl_capture_tables")) {
            return;
        }
        List<Long> oids = new ArrayList<>();
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM " + SCHEMA + ".ddl_capture_tables WHERE group_name = ? RETURNING table_oid::bigint")) {
            delete.setString(1, group);
            try (ResultSet rows = delete.executeQuery()) {
                while (rows.next()) {
                    oids.add(rows.getLong(1));
                }
            }
        }
        if (oids.isEmpty()) {
            return;
        }
        report.accept("removed the DDL capture registration of group " + group + " (" + count(oids.size(), "table")
                + ")");
        Array unregistered = connection.createArrayOf("bigint", oids.toArray());
        int definitions = deleteOfUnregistered(connection, "table_definitions", unregistered);
        int changes = deleteOfUnregistered(connection, "schema_changes", unregistered);
        if (definitions + changes > 0) {
            report.accept("removed " + count(definitions, "recorded table definition") + " and "
                    + count(changes, "recorded schema change") + " of tables no other group captures");
        }
    }

    /** Rows of {@code table} about the given tables, where no group registers them any more. */
    private static int deleteOfUnregistered(Connection connection, String table, Array oids) throws SQLException {
        if (!SourceCatalog.tableExists(connection, SCHEMA, table)) {
            return 0;
        }
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + SCHEMA + "." + table + " d "
                + "WHERE d.table_oid::bigint = ANY (?) AND NOT EXISTS (SELECT 1 FROM " + SCHEMA
                + ".ddl_capture_tables t WHERE t.table_oid = d.table_oid)")) {
            delete.setArray(1, oids);
            return delete.executeUpdate();
        }
    }

    /**
     * Drops the capture itself (event triggers, functions, tables), once no group of the database uses it. Returns
     * false, changing nothing, when it is not installed. Runs in the caller's transaction.
     */
    static boolean removeShared(Connection connection) throws SQLException {
        boolean triggers = SourceCatalog.exists(connection, "SELECT 1 FROM pg_catalog.pg_event_trigger "
                + "WHERE evtname IN ('pg_flo_ddl_command_end', 'pg_flo_sql_drop')");
        boolean objects = SourceCatalog.exists(connection, "SELECT 1 FROM pg_catalog.pg_class c "
                + "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? "
                + "AND c.relname IN ('ddl_capture_tables', 'table_definitions', 'schema_changes') "
                + "UNION ALL SELECT 1 FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n "
                + "ON n.oid = p.pronamespace WHERE n.nspname = ? "
                + "AND p.proname IN ('capture_ddl', 'record_change', 'table_definition', 'emit_ddl')", SCHEMA, SCHEMA);
        if (!triggers && !objects) {
            return false;
        }
        try (Statement statement = connection.createStatement()) {
            // The triggers first: without them nothing calls the functions while they go.
            statement.execute("DROP EVENT TRIGGER IF EXISTS pg_flo_ddl_command_end");
            statement.execute("DROP EVENT TRIGGER IF EXISTS pg_flo_sql_drop");
            statement.execute("DROP FUNCTION IF EXISTS " + SCHEMA + ".capture_ddl()");
            statement.execute("DROP FUNCTION IF EXISTS " + SCHEMA + ".record_change(oid)");
            statement.execute("DROP FUNCTION IF EXISTS " + SCHEMA + ".table_definition(oid)");
            statement.execute("DROP FUNCTION IF EXISTS " + SCHEMA + ".emit_ddl(text, text, text)");
            statement.execute("DROP TABLE IF EXISTS " + SCHEMA + ".schema_changes, " + SCHEMA + ".table_definitions, "
                    + SCHEMA + ".ddl_capture_tables");
        }
        return true;
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
