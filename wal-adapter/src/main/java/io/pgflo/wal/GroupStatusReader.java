package io.pgflo.wal;

import static java.util.Objects.requireNonNull;

import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what a group has on its source (slot, publication, backfill requests) for {@code pg_flo status}, from the
 * catalog alone: it changes nothing and needs no running stream.
 */
public final class GroupStatusReader {
    private static final Logger log = LoggerFactory.getLogger(GroupStatusReader.class);
    /** How many complete backfill requests a status shows, newest first. */
    public static final int COMPLETED_SHOWN = 10;

    private GroupStatusReader() {}

    /**
     * The group's state on {@code endpoint}. Throws {@link ConfigurationException} with one line when the group has
     * neither slot nor publication there, or the source cannot be read.
     */
    public static GroupStatus read(DatabaseEndpoint endpoint, String group) {
        requireNonNull(endpoint, "endpoint is null");
        ReplicationNames names = ReplicationNames.forGroup(group);
        try (Connection connection = PgConnections.open(endpoint, "pg_flo-" + names.group() + "-status")) {
            connection.setReadOnly(true);
            Optional<GroupStatus.Slot> slot = slot(connection, names);
            Optional<GroupStatus.Publication> publication = publication(connection, names);
            if (slot.isEmpty() && publication.isEmpty()) {
                throw UnknownGroup.of(group, names, endpoint);
            }
            // Read after the slot, so that the slot's confirmed position, which a running stream moves on, cannot lie
            // ahead of it.
            Lsn server = Lsn.parse(SourceCatalog.serverLsn(connection));
            return new GroupStatus(names.group(), endpoint.describe(), server, slot, publication,
                    backfills(connection, names));
        } catch (SQLException e) {
            throw new ConfigurationException("cannot read the state of group '" + group + "' on " + endpoint.describe()
                    + ": " + PgConnections.firstLine(e.getMessage()), e);
        }
    }

    private static Optional<GroupStatus.Slot> slot(Connection connection, ReplicationNames names) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                // wal_status is PostgreSQL 13+; through to_jsonb, older servers give null.
                "SELECT s.active, s.active_pid, s.confirmed_flush_lsn::text, s.restart_lsn::text, "
                        + "pg_catalog.to_jsonb(s) ->> 'wal_status', "
                        + "pg_catalog.pg_wal_lsn_diff(" + SourceCatalog.SERVER_LSN + ", s.restart_lsn)::bigint "
                        + "FROM pg_catalog.pg_replication_slots s "
                        + "WHERE s.slot_name = ? AND s.database = pg_catalog.current_database()")) {
            statement.setString(1, names.slot());
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                int pid = rows.getInt(2);
                Integer activePid = rows.wasNull() ? null : pid;
                long retained = rows.getLong(6);
                return Optional.of(new GroupStatus.Slot(names.slot(), rows.getBoolean(1), activePid,
                        lsn(rows.getString(3)), lsn(rows.getString(4)), rows.getString(5), Math.max(0, retained)));
            }
        }
    }

    private static Optional<GroupStatus.Publication> publication(Connection connection, ReplicationNames names)
            throws SQLException {
        if (!SourceCatalog.publicationExists(connection, names.publication())) {
            return Optional.empty();
        }
        List<TableName> tables = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT schemaname, tablename "
                + "FROM pg_catalog.pg_publication_tables WHERE pubname = ? ORDER BY schemaname, tablename")) {
            statement.setString(1, names.publication());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    tables.add(new TableName(rows.getString(1), rows.getString(2)));
                }
            }
        }
        return Optional.of(new GroupStatus.Publication(names.publication(), tables));
    }

    private static Optional<GroupStatus.Backfills> backfills(Connection connection, ReplicationNames names)
            throws SQLException {
        if (!SourceCatalog.tableExists(connection, BackfillRequests.SCHEMA, BackfillRequests.TABLE_NAME)) {
            return Optional.empty();
        }
        List<String> given;
        try {
            given = BackfillRequests.groupNames(connection, names);
        } catch (SQLException e) {
            if (!"42501".equals(e.getSQLState())) {
                throw e;
            }
            // Nothing of it is granted to PUBLIC: a monitoring role sees the rest of the status without it.
            log.warn("cannot read {} as user {} ({}); backfills are not shown", BackfillRequests.TABLE,
                    connection.getMetaData().getUserName(), PgConnections.firstLine(e.getMessage()));
            return Optional.empty();
        }
        String columns = "SELECT id, table_schema, table_name, predicate, rows_done, requested_at, updated_at, "
                + "completed_at FROM " + BackfillRequests.TABLE + " WHERE group_name = ANY (?) ";
        List<GroupStatus.Backfill> pending = backfillRows(connection,
                columns + "AND completed_at IS NULL ORDER BY id", given);
        List<GroupStatus.Backfill> completed = backfillRows(connection,
                columns + "AND completed_at IS NOT NULL ORDER BY completed_at DESC, id DESC LIMIT " + COMPLETED_SHOWN,
                given);
        long completedCount;
        try (PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM " + BackfillRequests.TABLE
                + " WHERE group_name = ANY (?) AND completed_at IS NOT NULL")) {
            statement.setArray(1, connection.createArrayOf("text", given.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                completedCount = rows.getLong(1);
            }
        }
        return Optional.of(new GroupStatus.Backfills(pending, completed, completedCount));
    }

    private static List<GroupStatus.Backfill> backfillRows(Connection connection, String sql, List<String> groupNames)
            throws SQLException {
        List<GroupStatus.Backfill> backfills = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setArray(1, connection.createArrayOf("text", groupNames.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    backfills.add(new GroupStatus.Backfill(rows.getLong(1),
                            new TableName(rows.getString(2), rows.getString(3)), rows.getString(4), rows.getLong(5),
                            instant(rows, 6), instant(rows, 7), instant(rows, 8)));
                }
            }
        }
        return backfills;
    }

    private static Lsn lsn(String text) {
        return text == null ? null : Lsn.parse(text);
    }

    private static Instant instant(ResultSet rows, int column) throws SQLException {
        OffsetDateTime time = rows.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}
