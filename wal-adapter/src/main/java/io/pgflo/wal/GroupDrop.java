package io.pgflo.wal;

import static java.util.Objects.requireNonNull;

import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code pg_flo drop}: removes what a group left on its source: its slot, its publication, its part of the DDL capture
 * and its backfill requests; and the objects that every group shares (the capture's event triggers, functions and
 * tables, the backfill table, the schema) once no other group of the database is left to use them. Nothing on a
 * sink's side: its checkpoints stay where they are.
 *
 * <p>A slot a stream holds is refused, unless forced: then that stream's walsender is ended with
 * {@code pg_terminate_backend} and the slot dropped as soon as the server frees it. A pg_flo whose stream that was
 * reconnects, finds its slot gone, and stops (see {@link WalSourceConfig#slotMustExist()}).
 */
public final class GroupDrop {
    private final DatabaseEndpoint endpoint;
    private final String group;
    private final ReplicationNames names;
    private final Connection connection;
    private final Consumer<String> report;

    private GroupDrop(DatabaseEndpoint endpoint, String group, Connection connection, Consumer<String> report) {
        this.endpoint = endpoint;
        this.group = group;
        this.names = ReplicationNames.forGroup(group);
        this.connection = connection;
        this.report = report;
    }

    /**
     * Drops the group {@code group} from {@code endpoint}, telling {@code report} each thing it removed (or kept, and
     * why) as it goes. Throws {@link ConfigurationException} with one line for an unknown group, a slot in use without
     * {@code force}, or a step the user may not take; what was removed before stays removed.
     *
     * @param patience how long a forced drop waits for the server to free the slot
     */
    public static void drop(DatabaseEndpoint endpoint, String group, boolean force, Duration patience,
            Consumer<String> report) {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(report, "report is null");
        ReplicationNames names = ReplicationNames.forGroup(group);
        try (Connection connection = PgConnections.open(endpoint, "pg_flo-" + names.group() + "-drop")) {
            connection.setAutoCommit(true);
            new GroupDrop(endpoint, group, connection, report).run(force, patience);
        } catch (SQLException e) {
            throw new ConfigurationException("cannot drop group '" + group + "' on " + endpoint.describe() + ": "
                    + PgConnections.firstLine(e.getMessage()), e);
        }
    }

    private void run(boolean force, Duration patience) throws SQLException {
        boolean slot = slotExists();
        boolean publication = SourceCatalog.publicationExists(connection, names.publication());
        if (!slot && !publication && !hasRows()) {
            throw UnknownGroup.of(group, names, endpoint);
        }
        if (slot) {
            dropSlot(force, patience);
        }
        if (publication) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP PUBLICATION IF EXISTS " + TableName.quoteIdentifier(names.publication()));
            } catch (SQLException e) {
                throw refused(e, "drop publication " + names.publication(), "DROP PUBLICATION "
                        + TableName.quoteIdentifier(names.publication()));
            }
            report.accept("dropped publication " + names.publication());
        }
        removeGroupRows();
        Optional<String> otherUser = otherUser();
        if (otherUser.isPresent()) {
            report.accept("kept the objects groups share in " + DdlCapture.SCHEMA + " (DDL capture, backfill table): "
                    + "another group uses them (" + otherUser.get() + ")");
        } else {
            removeShared();
        }
    }

    // ---- the slot

    private void dropSlot(boolean force, Duration patience) throws SQLException {
        long deadline = System.nanoTime() + patience.toNanos();
        Integer ended = null;
        while (true) {
            Optional<Integer> holder = slotHolder();
            if (holder.isEmpty()) {
                if (dropSlotIfInactive()) {
                    report.accept("dropped replication slot " + names.slot());
                    return;
                }
                if (!slotExists()) {
                    return; // dropped by someone else meanwhile
                }
                if (System.nanoTime() > deadline) {
                    throw new ConfigurationException("replication slot " + names.slot() + " of group '" + group
                            + "' on " + endpoint.describe() + " could not be dropped within " + patience.toSeconds()
                            + " s: streams keep taking it; stop them, then run pg_flo drop again");
                }
                continue; // taken again between the two queries
            }
            int pid = holder.get();
            if (!force) {
                throw new ConfigurationException("replication slot " + names.slot() + " of group '" + group
                        + "' is in use by pid " + pid + " on " + endpoint.describe() + "; stop that pg_flo first, or "
                        + "give --force to end its stream (pg_terminate_backend)");
            }
            if (System.nanoTime() > deadline) {
                throw new ConfigurationException("replication slot " + names.slot() + " of group '" + group
                        + "' is still in use by pid " + pid + " on " + endpoint.describe() + " after "
                        + patience.toSeconds() + " s of ending its streams; stop that pg_flo, then run pg_flo drop again");
            }
            if (ended == null || ended != pid) {
                terminate(pid);
                ended = pid;
            }
            pause();
        }
    }

    private void terminate(int pid) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_catalog.pg_terminate_backend(?)")) {
            statement.setInt(1, pid);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
            }
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState())) {
                throw new ConfigurationException("user " + endpoint.user() + " may not end pid " + pid
                        + " streaming from replication slot " + names.slot() + " on " + endpoint.describe() + " ("
                        + PgConnections.firstLine(e.getMessage()) + "); stop that pg_flo, or run pg_flo drop --force as "
                        + "a superuser or a member of pg_signal_backend", e);
            }
            throw e;
        }
        report.accept("ended the stream of pid " + pid + " from replication slot " + names.slot()
                + " (pg_terminate_backend)");
    }

    private boolean slotExists() throws SQLException {
        return SourceCatalog.exists(connection, "SELECT 1 FROM pg_catalog.pg_replication_slots "
                + "WHERE slot_name = ? AND database = pg_catalog.current_database()", names.slot());
    }

    private Optional<Integer> slotHolder() throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT active_pid FROM "
                + "pg_catalog.pg_replication_slots WHERE slot_name = ? AND database = pg_catalog.current_database() "
                + "AND active")) {
            statement.setString(1, names.slot());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(rows.getInt(1)) : Optional.empty();
            }
        }
    }

    private boolean dropSlotIfInactive() throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT pg_catalog.pg_drop_replication_slot(slot_name) FROM pg_catalog.pg_replication_slots "
                        + "WHERE slot_name = ? AND database = pg_catalog.current_database() AND NOT active")) {
            statement.setString(1, names.slot());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        } catch (SQLException e) {
            if ("55006".equals(e.getSQLState())) {
                return false; // object_in_use: a stream took it between the query's scan and the drop
            }
            throw refused(e, "drop replication slot " + names.slot(),
                    "SELECT pg_drop_replication_slot('" + names.slot() + "')");
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the slot to be released", e);
        }
    }

    // ---- the group's rows in the shared tables

    private boolean hasRows() throws SQLException {
        boolean registered = SourceCatalog.tableExists(connection, DdlCapture.SCHEMA, "ddl_capture_tables")
                && SourceCatalog.exists(connection, "SELECT 1 FROM " + DdlCapture.SCHEMA
                        + ".ddl_capture_tables WHERE group_name = ?", names.group());
        return registered || (SourceCatalog.tableExists(connection, BackfillRequests.SCHEMA, BackfillRequests.TABLE_NAME)
                && !BackfillRequests.groupNames(connection, names).isEmpty());
    }

    /** The group's registration with the DDL capture and its backfill requests, in one transaction. */
    private void removeGroupRows() throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            // The locks the capture's install and the request table's creation take: no start interleaves.
            statement.execute("SELECT pg_catalog.pg_advisory_xact_lock(" + DdlCapture.LOCK_KEY + ")");
            statement.execute("SELECT pg_catalog.pg_advisory_xact_lock(" + BackfillRequests.LOCK_KEY + ")");
            List<String> lines = new ArrayList<>();
            DdlCaptureRemoval.removeGroup(connection, names.group(), lines::add);
            if (SourceCatalog.tableExists(connection, BackfillRequests.SCHEMA, BackfillRequests.TABLE_NAME)) {
                int requests = BackfillRequests.removeGroup(connection, names);
                if (requests > 0) {
                    lines.add("removed " + requests + " backfill request" + (requests == 1 ? "" : "s") + " of group "
                            + names.group() + " from " + BackfillRequests.TABLE);
                }
            }
            connection.commit();
            lines.forEach(report);
        } catch (SQLException e) {
            connection.rollback();
            throw refused(e, "remove the rows of group " + names.group() + " from " + DdlCapture.SCHEMA
                    + ".ddl_capture_tables and " + BackfillRequests.TABLE, "DELETE FROM " + DdlCapture.SCHEMA
                    + ".ddl_capture_tables WHERE group_name = '" + names.group() + "'; DELETE FROM "
                    + BackfillRequests.TABLE + " WHERE group_name = '" + names.group() + "'");
        } finally {
            connection.setAutoCommit(true);
        }
    }

    // ---- what groups share

    /**
     * Another group of this database, described, if there is one: a pg_flo slot or publication, a registration with
     * the DDL capture, a backfill request, or a publication of the capture's table. Any of them keeps the shared objects.
     */
    private Optional<String> otherUser() throws SQLException {
        Optional<String> found = first("SELECT 'slot ' || slot_name FROM pg_catalog.pg_replication_slots "
                + "WHERE database = pg_catalog.current_database() AND slot_name LIKE 'pg\\_flo\\_%\\_slot' "
                + "AND slot_name <> ? ORDER BY 1 LIMIT 1", names.slot());
        if (found.isEmpty()) {
            found = first("SELECT 'publication ' || pubname FROM pg_catalog.pg_publication "
                    + "WHERE pubname LIKE 'pg\\_flo\\_%\\_publication' AND pubname <> ? ORDER BY 1 LIMIT 1",
                    names.publication());
        }
        if (found.isEmpty()) {
            found = first("SELECT 'publication ' || pubname || ' publishes " + DdlCapture.CHANGES_TABLE + "' "
                    + "FROM pg_catalog.pg_publication_tables WHERE schemaname = ? AND tablename = 'schema_changes' "
                    + "ORDER BY 1 LIMIT 1", DdlCapture.SCHEMA);
        }
        if (found.isEmpty()) {
            found = rowOf(DdlCapture.SCHEMA, "ddl_capture_tables", "DDL capture registration");
        }
        if (found.isEmpty()) {
            found = rowOf(BackfillRequests.SCHEMA, BackfillRequests.TABLE_NAME, "backfill requests");
        }
        return found;
    }

    /** A group with rows in a shared table, if any; one the user may not read counts as used. */
    private Optional<String> rowOf(String schema, String table, String what) throws SQLException {
        if (!SourceCatalog.tableExists(connection, schema, table)) {
            return Optional.empty();
        }
        try {
            return first("SELECT '" + what + " of group ' || group_name FROM " + schema + "." + table
                    + " ORDER BY 1 LIMIT 1");
        } catch (SQLException e) {
            if (!"42501".equals(e.getSQLState())) {
                throw e;
            }
            return Optional.of("whoever has rows in " + schema + "." + table + " (user " + endpoint.user()
                    + " may not read it)");
        }
    }

    private Optional<String> first(String sql, String... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setString(i + 1, values[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * The DDL capture, the backfill table and the schema, each in its own transaction so that one the user may not
     * drop (event triggers need a superuser) leaves the others going. Those are not the group's own objects, so one
     * that stays is reported, not an error.
     */
    private void removeShared() throws SQLException {
        String why = " (no other group on this database uses it)";
        sharedStep(() -> DdlCaptureRemoval.removeShared(connection),
                "removed the DDL capture: " + DdlCaptureRemoval.EVENT_TRIGGERS + ", its functions and tables" + why,
                "the DDL capture (" + DdlCaptureRemoval.EVENT_TRIGGERS + ")", "as a superuser, run: DROP EVENT TRIGGER "
                        + "pg_flo_ddl_command_end; DROP EVENT TRIGGER pg_flo_sql_drop");
        sharedStep(() -> dropIfExists("TABLE", BackfillRequests.TABLE,
                SourceCatalog.tableExists(connection, BackfillRequests.SCHEMA, BackfillRequests.TABLE_NAME)),
                "dropped table " + BackfillRequests.TABLE + why, "table " + BackfillRequests.TABLE,
                "as its owner, run: DROP TABLE " + BackfillRequests.TABLE);
        if (SourceCatalog.exists(connection, "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?",
                DdlCapture.SCHEMA)) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA " + DdlCapture.SCHEMA); // RESTRICT: only when empty
                report.accept("dropped schema " + DdlCapture.SCHEMA + ", now empty");
            } catch (SQLException e) {
                // Objects of others (a PostgreSQL sink's checkpoint table, when this database is also a target) stay.
                report.accept("kept schema " + DdlCapture.SCHEMA + ": " + ("2BP01".equals(e.getSQLState())
                        ? "it still holds " + first("SELECT coalesce(string_agg(c.relname, ', ' ORDER BY c.relname), "
                                + "'other objects') FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
                                + "ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'f')",
                                DdlCapture.SCHEMA).orElse("other objects")
                        : PgConnections.firstLine(e.getMessage())));
            }
        }
    }

    /** One step that returns whether it removed anything. */
    private interface SharedRemoval {
        boolean run() throws SQLException;
    }

    private void sharedStep(SharedRemoval removal, String removed, String what, String remedy) throws SQLException {
        connection.setAutoCommit(false);
        try {
            boolean any = removal.run();
            connection.commit();
            if (any) {
                report.accept(removed);
            }
        } catch (SQLException e) {
            connection.rollback();
            if (!"42501".equals(e.getSQLState())) {
                throw e;
            }
            report.accept("kept " + what + ": user " + endpoint.user() + " may not drop it ("
                    + PgConnections.firstLine(e.getMessage()) + "); " + remedy);
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private boolean dropIfExists(String kind, String name, boolean exists) throws SQLException {
        if (!exists) {
            return false;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP " + kind + " IF EXISTS " + name);
        }
        return true;
    }

    private ConfigurationException refused(SQLException e, String action, String remedy) {
        if ("42501".equals(e.getSQLState())) {
            return new ConfigurationException("user " + endpoint.user() + " may not " + action + " on "
                    + endpoint.describe() + " (" + PgConnections.firstLine(e.getMessage()) + "); as its owner or a "
                    + "superuser, run: " + remedy, e);
        }
        return new ConfigurationException("cannot " + action + " on " + endpoint.describe() + ": "
                + PgConnections.firstLine(e.getMessage()), e);
    }
}
