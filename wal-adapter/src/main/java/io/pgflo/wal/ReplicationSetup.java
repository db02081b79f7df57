package io.pgflo.wal;

import io.pgflo.domain.StreamSnapshot;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks that the source can be streamed from, and creates the group's publication and slot when missing. Every
 * failure is a {@link ConfigurationException} whose message says what to change.
 */
final class ReplicationSetup {
    private final Connection connection;
    private final WalSourceConfig config;
    private boolean createdSlot;
    private boolean createdPublication;
    /** Tables this run added to a publication that existed, whose rows from before are not in the stream. */
    private final List<TableName> addedTables = new ArrayList<>();
    /** The slot this run created with its snapshot kept ({@link WalSourceConfig#keepStartSnapshot()}), or null. */
    private StartSnapshot startSnapshot;
    /** Whether a replicated table is partitioned; known once {@link #resolveTables()} ran. */
    private boolean partitioned;

    ReplicationSetup(Connection connection, WalSourceConfig config) {
        this.connection = connection;
        this.config = config;
    }

    /** Runs every check, changing nothing. Returns the replicated tables. */
    List<TableName> check() throws SQLException {
        String where = config.endpoint().host() + ":" + config.endpoint().port();
        String walLevel = queryString("SHOW wal_level");
        if (!"logical".equals(walLevel)) {
            throw new ConfigurationException("wal_level is '" + walLevel + "' on " + where
                    + "; set wal_level = logical in postgresql.conf and restart PostgreSQL");
        }
        String encoding = queryString("SHOW server_encoding");
        if (!"UTF8".equalsIgnoreCase(encoding) && !"SQL_ASCII".equalsIgnoreCase(encoding)) {
            throw new ConfigurationException("database " + config.endpoint().database() + " uses encoding " + encoding
                    + "; pg_flo reads UTF8 databases only");
        }
        String user = config.endpoint().user();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT rolreplication OR rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user")) {
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next() || !rows.getBoolean(1)) {
                    throw new ConfigurationException("user " + user + " lacks the REPLICATION attribute; run ALTER ROLE "
                            + TableName.quoteIdentifier(user) + " REPLICATION as a superuser");
                }
            }
        }
        List<TableName> tables = resolveTables();
        checkSlot();
        return tables;
    }

    /**
     * Makes sure the publication (of {@code tables} and the {@code extra} tables, such as the DDL capture's) and the
     * slot exist.
     */
    void create(List<TableName> tables, List<TableName> extra) throws SQLException {
        List<TableName> published = new ArrayList<>(tables);
        published.addAll(extra);
        ensurePublication(published);
        createdSlot = ensureSlot();
    }

    /** The slot's confirmed position, or ZERO when the slot has none yet. */
    Lsn confirmedFlushLsn() throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT confirmed_flush_lsn::text FROM pg_catalog.pg_replication_slots WHERE slot_name = ?")) {
            statement.setString(1, config.names().slot());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() && rows.getString(1) != null ? Lsn.parse(rows.getString(1)) : Lsn.ZERO;
            }
        }
    }

    private List<TableName> resolveTables() throws SQLException {
        String schema = config.schema();
        List<TableName> tables = new ArrayList<>();
        if (config.tables().isEmpty()) {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT c.relname, c.relkind FROM pg_catalog.pg_class c "
                            + "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                            + "WHERE n.nspname = ? AND c.relkind IN ('r', 'p') ORDER BY c.relname")) {
                statement.setString(1, schema);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        tables.add(new TableName(schema, rows.getString(1)));
                        partitioned |= "p".equals(rows.getString(2));
                    }
                }
            }
            if (tables.isEmpty()) {
                throw new ConfigurationException("schema '" + schema + "' in database " + config.endpoint().database()
                        + " has no tables; check --schema, or create the tables first");
            }
            return tables;
        }
        List<String> missing = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT c.relkind FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE n.nspname = ? AND c.relname = ?")) {
            for (String entry : config.tables()) {
                TableName table = TableReference.parse(entry, schema);
                statement.setString(1, table.schema());
                statement.setString(2, table.table());
                try (ResultSet rows = statement.executeQuery()) {
                    if (!rows.next()) {
                        missing.add(table.schema() + "." + table.table());
                    } else if (!List.of("r", "p").contains(rows.getString(1))) {
                        throw new ConfigurationException(table.schema() + "." + table.table()
                                + " is not a table; --tables takes tables only");
                    } else if (!tables.contains(table)) {
                        tables.add(table);
                        partitioned |= "p".equals(rows.getString(1));
                    }
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new ConfigurationException("table" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                    + " not found in database " + config.endpoint().database() + "; check --tables and --schema");
        }
        return tables;
    }

    /** An existing slot must be free, this database's, pgoutput's, and not invalidated. */
    private void checkSlot() throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                // wal_status is PostgreSQL 13+, invalidation_reason 17+; through to_jsonb, older servers give null.
                "SELECT active_pid, plugin, database, pg_catalog.to_jsonb(s) ->> 'wal_status', "
                        + "pg_catalog.to_jsonb(s) ->> 'invalidation_reason' "
                        + "FROM pg_catalog.pg_replication_slots s WHERE slot_name = ?")) {
            statement.setString(1, config.names().slot());
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    if (config.slotMustExist()) {
                        throw slotGone();
                    }
                    return;
                }
                int pid = rows.getInt(1);
                if (!rows.wasNull()) {
                    throw new ConfigurationException("replication slot " + config.names().slot()
                            + " is in use by another process (pid " + pid + "); stop that pg_flo or use another --group");
                }
                if (!config.endpoint().database().equals(rows.getString(3))) {
                    throw new ConfigurationException("replication slot " + config.names().slot() + " belongs to database "
                            + rows.getString(3) + ", not " + config.endpoint().database()
                            + "; slot names are per server, so use another --group");
                }
                if (!"pgoutput".equals(rows.getString(2))) {
                    throw new ConfigurationException("replication slot " + config.names().slot() + " uses plugin "
                            + rows.getString(2) + ", not pgoutput; use another --group, or drop the slot");
                }
                if ("lost".equals(rows.getString(4))) {
                    String reason = rows.getString(5) == null ? "the WAL it needed was removed, see max_slot_wal_keep_size"
                            : rows.getString(5);
                    throw new SlotInvalidatedException("replication slot " + config.names().slot() + " was invalidated by "
                            + "the server (" + reason + "), so the changes after its position are gone; drop it (SELECT "
                            + "pg_drop_replication_slot('" + config.names().slot() + "')) and bring the destination up to "
                            + "date from a fresh copy of the tables before streaming again");
                }
            }
        }
    }

    private void ensurePublication(List<TableName> tables) throws SQLException {
        String publication = config.names().publication();
        String quoted = TableName.quoteIdentifier(publication);
        String tableList = tables.stream().map(TableName::quoted).collect(Collectors.joining(", "));
        // A partitioned table's changes are published under its own name, not its partitions' (PostgreSQL 13+): the
        // name the user asked for, and the one a target table of the same shape has. Only asked for when a table is
        // partitioned, so that a publication someone else owns needs no change otherwise.
        boolean viaRoot = partitioned && connection.getMetaData().getDatabaseMajorVersion() >= 13;
        boolean exists;
        boolean publishesViaRoot;
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT pg_catalog.to_jsonb(p) ->> 'pubviaroot' FROM pg_catalog.pg_publication p WHERE pubname = ?")) {
            statement.setString(1, publication);
            try (ResultSet rows = statement.executeQuery()) {
                exists = rows.next();
                publishesViaRoot = exists && "true".equals(rows.getString(1));
            }
        }
        List<String> changes = new ArrayList<>();
        if (!exists) {
            changes.add("CREATE PUBLICATION " + quoted + " FOR TABLE " + tableList
                    + (viaRoot ? " WITH (publish_via_partition_root = true)" : ""));
        } else {
            if (viaRoot && !publishesViaRoot) {
                changes.add("ALTER PUBLICATION " + quoted + " SET (publish_via_partition_root = true)");
            }
            Set<TableName> published = publishedTables(publication);
            if (!published.equals(new HashSet<>(tables))) {
                changes.add("ALTER PUBLICATION " + quoted + " SET TABLE " + tableList);
                tables.stream().filter(table -> !published.contains(table)).forEach(addedTables::add);
            }
        }
        try (Statement statement = connection.createStatement()) {
            for (String change : changes) {
                statement.execute(change);
            }
            createdPublication = !exists;
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState())) {
                throw new ConfigurationException("user " + config.endpoint().user() + " may not "
                        + (exists ? "change" : "create") + " publication " + publication + " ("
                        + PgConnections.firstLine(e.getMessage()) + "); as the tables' owner, run: "
                        + String.join("; ", changes), e);
            }
            throw e;
        }
    }

    private Set<TableName> publishedTables(String publication) throws SQLException {
        Set<TableName> tables = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT schemaname, tablename FROM pg_catalog.pg_publication_tables WHERE pubname = ?")) {
            statement.setString(1, publication);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    tables.add(new TableName(rows.getString(1), rows.getString(2)));
                }
            }
        }
        return tables;
    }

    /** Creates the slot if missing; true when this call created it. */
    private boolean ensureSlot() throws SQLException {
        if (config.slotMustExist()) {
            // Checked again: a slot dropped since check() must not come back as a new one either.
            checkSlot();
            return false;
        }
        if (config.keepStartSnapshot()) {
            return createSlotKeepingSnapshot();
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT pg_catalog.pg_create_logical_replication_slot(?, 'pgoutput') "
                        + "WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_replication_slots WHERE slot_name = ?)")) {
            statement.setString(1, config.names().slot());
            statement.setString(2, config.names().slot());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        } catch (SQLException e) {
            // Two processes racing for the same new slot: the loser sees duplicate_object.
            if (!"42710".equals(e.getSQLState())) {
                throw e;
            }
            return false;
        }
    }

    /**
     * Creates the slot on a replication connection, which exports the snapshot the slot starts from, and keeps that
     * connection. The check before is only a shortcut: a process that creates the slot in between makes this one see
     * duplicate_object, and then the slot is not this run's, as in {@link #ensureSlot()}.
     */
    private boolean createSlotKeepingSnapshot() throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM pg_catalog.pg_replication_slots WHERE slot_name = ?")) {
            statement.setString(1, config.names().slot());
            try (ResultSet rows = statement.executeQuery()) {
                if (rows.next()) {
                    return false;
                }
            }
        }
        startSnapshot = StartSnapshot.createSlot(config.endpoint(), PostgresChangeSource.applicationName(config),
                config.names().slot()).orElse(null);
        return startSnapshot != null;
    }

    /** The snapshot the slot this run created starts from, while kept; empty for a slot that existed. */
    Optional<StreamSnapshot> startSnapshot() {
        return startSnapshot == null ? Optional.empty() : startSnapshot.snapshot();
    }

    /** Lets the exported snapshot go (closes the connection that holds it); idempotent. */
    void releaseStartSnapshot() {
        if (startSnapshot != null) {
            startSnapshot.release();
        }
    }

    /** Drops the group's slot if no process streams from it; true when it is gone. */
    boolean dropSlotIfInactive() throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT pg_catalog.pg_drop_replication_slot(slot_name) FROM pg_catalog.pg_replication_slots "
                        + "WHERE slot_name = ? AND NOT active")) {
            statement.setString(1, config.names().slot());
            try (ResultSet dropped = statement.executeQuery()) {
                if (dropped.next()) {
                    return true;
                }
            }
        }
        return slotHolder().isEmpty();
    }

    /**
     * Waits until the walsender with process id {@code ownPid}, whose connection was just closed, has let go of the
     * slot (it exits some milliseconds after its client). Returns at once when the slot is free or held by another
     * process; false when that other process holds it, or {@code ownPid} still does after {@code patience}.
     */
    boolean awaitSlotReleasedBy(int ownPid, Duration patience) throws SQLException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Optional<Integer> holder = slotHolder();
            if (holder.isEmpty()) {
                return true;
            }
            if (holder.get() != ownPid || System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** The process streaming from the slot, if any (and if the slot exists). */
    private Optional<Integer> slotHolder() throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT active_pid FROM pg_catalog.pg_replication_slots WHERE slot_name = ? AND active")) {
            statement.setString(1, config.names().slot());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(rows.getInt(1)) : Optional.empty();
            }
        }
    }

    /**
     * The slot of a stream that ran is gone: dropped under it. Not retried, like an invalidated slot: a slot made now
     * would start at the server's current position, past every change the sink has not got yet.
     */
    private SlotInvalidatedException slotGone() {
        return new SlotInvalidatedException("replication slot " + config.names().slot() + " of group '"
                + config.names().group() + "' is gone from " + config.endpoint().describe() + " (dropped while the "
                + "stream ran: pg_flo drop, or pg_drop_replication_slot); the changes since the last checkpoint went "
                + "with it, so the stream stops rather than start a new slot that skips them; start pg_flo again to "
                + "stream from a new slot, after bringing the destination up to date if it needs those changes");
    }

    /** The tables added to the group's existing publication by this run. */
    List<TableName> addedTables() {
        return List.copyOf(addedTables);
    }

    boolean createdSlot() {
        return createdSlot;
    }

    /** Drops the publication if {@link #create} made it: a start that fails must leave the source as it found it. */
    void dropPublicationIfNew() throws SQLException {
        if (createdPublication) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP PUBLICATION IF EXISTS " + TableName.quoteIdentifier(config.names().publication()));
            }
            createdPublication = false;
        }
    }

    private String queryString(String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
