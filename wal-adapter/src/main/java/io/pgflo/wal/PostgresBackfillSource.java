package io.pgflo.wal;

import static java.util.Objects.requireNonNull;

import io.pgflo.domain.BackfillChunk;
import io.pgflo.domain.BackfillRequest;
import io.pgflo.domain.BackfillSource;
import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.domain.SourceChange;
import io.pgflo.domain.Watermark;
import io.pgflo.domain.XidSnapshot;
import io.pgflo.sink.api.ColumnType;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.Row;
import io.pgflo.sink.api.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.function.IntFunction;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * The source side of {@code pg_flo backfill}: records requests ({@link #request}), and, for the running stream, reads a
 * table's rows in key order, one chunk per short read-only query, writes the watermarks, and records progress, all in
 * {@code internal_pg_flo.backfill_requests} on the source.
 */
public final class PostgresBackfillSource implements BackfillSource {
    private final DatabaseEndpoint endpoint;
    private final String group;
    private final Connection connection;
    private final IntFunction<ColumnType> types;

    private PostgresBackfillSource(DatabaseEndpoint endpoint, String group, Connection connection,
            IntFunction<ColumnType> types) {
        this.endpoint = endpoint;
        this.group = group;
        this.connection = connection;
        this.types = types;
    }

    /** For the stream of {@code group}: creates the request table when missing. */
    public static PostgresBackfillSource open(DatabaseEndpoint endpoint, String group) {
        requireNonNull(endpoint, "endpoint is null");
        Connection connection = connect(endpoint, group);
        try {
            BackfillRequests.create(connection);
            // Requests are kept under the group's name as its slot has it, however --group was spelled.
            return new PostgresBackfillSource(endpoint, ReplicationNames.forGroup(group).group(), connection,
                    new TypeRegistry(connection)::resolve);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new ConfigurationException("cannot prepare backfills on " + endpoint.describe() + ": "
                    + PgConnections.firstLine(e.getMessage()), e);
        }
    }

    /**
     * Asks the stream of {@code group} to read {@code tables} again (the rows matching {@code predicate}, or all).
     * Checks everything first and records nothing when something is wrong: the group exists, each table is one of
     * its tables and has a key to read it by, and the predicate is one expression that the server parses.
     *
     * @param tableNames {@code table} or {@code schema.table}, as {@code --tables} takes them
     * @return the requests' numbers
     */
    public static List<Long> request(DatabaseEndpoint endpoint, String group, List<String> tableNames, String schema,
            String predicate) {
        if (tableNames.isEmpty()) {
            throw new ConfigurationException("name the tables to backfill with --tables");
        }
        List<TableName> tables = new ArrayList<>();
        for (String name : tableNames) {
            tables.add(TableReference.parse(name, schema));
        }
        String where = BackfillPredicate.check(predicate);
        String publication = ReplicationNames.forGroup(group).publication();
        Connection connection = connect(endpoint, group);
        try {
            connection.setAutoCommit(false);
            if (!exists(connection, "SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = ?", publication)) {
                throw new ConfigurationException("there is no group '" + group + "' on " + endpoint.describe()
                        + " (no publication " + publication + "); check --group, or start its stream first");
            }
            IntFunction<ColumnType> types = new TypeRegistry(connection)::resolve;
            for (TableName table : tables) {
                if (!exists(connection, "SELECT 1 FROM pg_catalog.pg_publication_tables WHERE pubname = ? "
                        + "AND schemaname = ? AND tablename = ?", publication, table.schema(), table.table())) {
                    throw new ConfigurationException("group '" + group + "' does not replicate " + table
                            + "; backfill one of its tables");
                }
                CopiedTable copied = CopiedTable.load(connection, table, types, endpoint.describe());
                keyOf(copied);
                if (!copied.readable()) {
                    throw new ConfigurationException("cannot backfill " + table + ": role " + copied.role()
                            + " has no SELECT privilege on it");
                }
                if (where != null) {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("SET TRANSACTION READ ONLY");
                        statement.execute("EXPLAIN SELECT 1 FROM " + table.quoted() + " WHERE (" + where + ")");
                    } catch (SQLException e) {
                        throw new ConfigurationException("--where does not fit " + table + ": "
                                + PgConnections.firstLine(e.getMessage()), e);
                    }
                    connection.rollback();
                }
            }
            connection.rollback();
            connection.setAutoCommit(true);
            BackfillRequests.create(connection);
            connection.setAutoCommit(false);
            List<Long> ids = new ArrayList<>();
            for (TableName table : tables) {
                ids.add(BackfillRequests.add(connection, ReplicationNames.forGroup(group).group(), table, where));
            }
            connection.commit();
            return ids;
        } catch (SQLException e) {
            throw new ConfigurationException("cannot request a backfill on " + endpoint.describe() + ": "
                    + PgConnections.firstLine(e.getMessage()), e);
        } finally {
            closeQuietly(connection);
        }
    }

    @Override
    public List<BackfillRequest> pending() {
        try {
            return BackfillRequests.pending(connection, group);
        } catch (SQLException e) {
            throw failure("cannot read the backfill requests", e);
        }
    }

    @Override
    public BackfillChunk read(BackfillRequest request, List<String> afterKey, int rows) {
        TableName table = request.table();
        try {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                CopiedTable copied = CopiedTable.load(connection, table, types, endpoint.describe());
                List<String> key = keyOf(copied);
                XidSnapshot snapshot;
                try (ResultSet result = statement.executeQuery("SELECT pg_catalog.pg_current_snapshot()::text")) {
                    result.next();
                    snapshot = XidSnapshot.parse(result.getString(1));
                }
                String sql = query(copied, key, keyTypes(copied.oid(), key), request.predicate(), afterKey, rows);
                List<SourceChange> read = copy(copied.relation(), sql);
                connection.commit();
                List<String> lastKey = read.isEmpty() ? null : keyValues(read.get(read.size() - 1));
                return new BackfillChunk(table, read, snapshot, lastKey, read.size() < rows);
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            rollbackQuietly();
            throw failure("cannot read a chunk of " + table + " after key " + afterKey, e);
        }
    }

    @Override
    public long estimatedRows(BackfillRequest request) {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT GREATEST(c.reltuples, 0)::bigint FROM pg_catalog.pg_class c "
                        + "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?")) {
            statement.setString(1, request.table().schema());
            statement.setString(2, request.table().table());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        } catch (SQLException e) {
            return 0; // only for the progress line
        }
    }

    @Override
    public void mark(String content) {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT pg_catalog.pg_logical_emit_message(true, ?, ?)")) {
            statement.setString(1, Watermark.PREFIX);
            statement.setString(2, content);
            statement.execute();
        } catch (SQLException e) {
            throw failure("cannot write a backfill watermark", e);
        }
    }

    @Override
    public void progressed(BackfillRequest request, List<String> lastKey, long rowsDone) {
        try {
            BackfillRequests.progressed(connection, request.id(), lastKey, rowsDone);
        } catch (SQLException e) {
            throw failure("cannot record the progress of backfill " + request.id(), e);
        }
    }

    @Override
    public void completed(BackfillRequest request) {
        try {
            BackfillRequests.completed(connection, request.id());
        } catch (SQLException e) {
            throw failure("cannot record backfill " + request.id() + " as complete", e);
        }
    }

    @Override
    public void close() {
        closeQuietly(connection);
    }

    /** The columns a chunk is ordered and resumed by: the replication key. */
    private static List<String> keyOf(CopiedTable table) {
        List<String> key = table.relation().keyColumns();
        if (key.isEmpty()) {
            throw new ConfigurationException("cannot backfill " + table.name() + ": it has no primary key or replica "
                    + "identity index to read it by in chunks; add one, or set REPLICA IDENTITY FULL");
        }
        return key;
    }

    private List<String> keyTypes(long oid, List<String> key) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_catalog.format_type(atttypid, "
                + "atttypmod) FROM pg_catalog.pg_attribute WHERE attrelid = ?::oid AND attname = ?")) {
            for (String column : key) {
                statement.setLong(1, oid);
                statement.setString(2, column);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    names.add(rows.getString(1));
                }
            }
        }
        return names;
    }

    /** {@code COPY (SELECT ... WHERE (predicate) AND (key) > (after) ORDER BY key LIMIT rows) TO STDOUT}. */
    static String query(CopiedTable table, List<String> key, List<String> keyTypes, String predicate,
            List<String> afterKey, int rows) {
        StringJoiner columns = new StringJoiner(", ");
        table.relation().columns().forEach(column -> columns.add(TableName.quoteIdentifier(column.name())));
        StringJoiner order = new StringJoiner(", ");
        key.forEach(column -> order.add(TableName.quoteIdentifier(column)));
        List<String> conditions = new ArrayList<>();
        if (predicate != null) {
            conditions.add("(" + predicate + ")");
        }
        if (afterKey != null) {
            StringJoiner values = new StringJoiner(", ");
            for (int i = 0; i < key.size(); i++) {
                values.add(afterKey.get(i) == null ? "NULL"
                        : "CAST('" + afterKey.get(i).replace("'", "''") + "' AS " + keyTypes.get(i) + ")");
            }
            conditions.add("(" + order + ") > (" + values + ")");
        }
        return "COPY (SELECT " + columns + " FROM " + table.name().quoted()
                + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
                + " ORDER BY " + order + " LIMIT " + rows + ") TO STDOUT";
    }

    private List<SourceChange> copy(RelationInfo relation, String sql) throws SQLException {
        List<SourceChange> rows = new ArrayList<>();
        int columns = relation.columns().size();
        CopyOut copy = connection.unwrap(PGConnection.class).getCopyAPI().copyOut(sql);
        byte[] line;
        while ((line = copy.readFromCopy()) != null) {
            TupleData tuple = CopyTextRow.parse(line, columns);
            rows.add(new SourceChange(Operation.READ, relation.schema(), relation.table(), Lsn.ZERO, Lsn.ZERO, 0,
                    Instant.EPOCH, 0, relation.keyColumns(), relation.row(tuple, false), null, null, tuple.valueBytes()));
        }
        return rows;
    }

    private static List<String> keyValues(SourceChange row) {
        Row values = row.newRow();
        List<String> key = new ArrayList<>();
        for (String column : row.keyColumns()) {
            key.add(values.text(column));
        }
        return key;
    }

    private static Connection connect(DatabaseEndpoint endpoint, String group) {
        Connection connection = PgConnections.open(endpoint, "pg_flo_" + group + "-backfill");
        try {
            connection.setAutoCommit(true);
            PgConnections.useStableTextForms(connection);
            PgConnections.turnOffTimeouts(connection);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET standard_conforming_strings = on");
            }
            return connection;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new ConfigurationException("cannot prepare a session on " + endpoint.describe() + ": "
                    + PgConnections.firstLine(e.getMessage()), e);
        }
    }

    private static boolean exists(Connection connection, String sql, String... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setString(i + 1, values[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    private SourceException failure(String what, SQLException e) {
        return new SourceException(what + " on " + endpoint.describe() + ": " + PgConnections.firstLine(e.getMessage()), e);
    }

    private void rollbackQuietly() {
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
            connection.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the next statement says what is wrong with the connection
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing to keep
        }
    }
}
