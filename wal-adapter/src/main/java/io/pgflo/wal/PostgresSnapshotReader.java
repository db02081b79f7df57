package io.pgflo.wal;

import static java.util.Objects.requireNonNull;

import io.pgflo.domain.CopyChunk;
import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.domain.SnapshotReader;
import io.pgflo.domain.SourceChange;
import io.pgflo.sink.api.ColumnType;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * Reads the replicated tables' rows under one snapshot of a PostgreSQL database, for the initial copy: the snapshot a
 * new slot exported ({@link PostgresChangeSource#startSnapshot()}), so that the stream continues exactly where the
 * copy ends, or, for a copy that must start again after that snapshot died with its process, one of its own.
 *
 * <p>Each of its connections reads in a REPEATABLE READ READ ONLY transaction that imported the snapshot, and
 * {@link #read} lends one to each caller, so that several threads read parts at once. A part of a plain table is a
 * range of heap pages ({@code ctid}); a partitioned table is read by partition (see {@link CopiedTable}). Rows come as
 * {@link Operation#READ} changes whose values are the text the stream would send for them: the sessions have the
 * stream's settings, and the rows are made as the stream makes its rows.
 *
 * <p>Parts are meaningful for the reader that planned them: plan again on a new snapshot.
 *
 * <p>{@link #plan} locks the table (ACCESS SHARE, as pg_dump does) until {@link #close()}, so that nothing rewrites it
 * (VACUUM FULL, CLUSTER, ALTER TABLE) while its parts are read: a rewrite moves rows to other pages. A session that
 * then waits to change the table would wait for the copy, and each further part's lock behind it: a wait that the
 * server cannot see as a deadlock, since the copy waits for its own session in the client. So a part takes its lock
 * without waiting, and fails, naming that cause, when another session waits for the table.
 */
public final class PostgresSnapshotReader implements SnapshotReader {
    private static final String SAVEPOINT = "pg_flo_part";

    private final DatabaseEndpoint endpoint;
    private final SnapshotSessions sessions;
    private final IntFunction<ColumnType> types;
    private final Map<TableName, CopiedTable> tables = new ConcurrentHashMap<>();
    private final String snapshotName;

    private PostgresSnapshotReader(DatabaseEndpoint endpoint, SnapshotSessions sessions, IntFunction<ColumnType> types,
            String snapshotName) {
        this.endpoint = endpoint;
        this.sessions = sessions;
        this.types = types;
        this.snapshotName = snapshotName;
    }

    /**
     * Opens {@code connections} sessions (at least 1) on the snapshot {@code snapshotId}, or without one, on a new
     * snapshot that they all share. Once this returns, whoever exported {@code snapshotId} may let go of it.
     *
     * @throws ConfigurationException with one line naming the endpoint (never the password) when a session cannot
     *     connect or cannot import the snapshot (one whose exporting session has ended, say)
     */
    public static PostgresSnapshotReader open(DatabaseEndpoint endpoint, String applicationName,
            Optional<String> snapshotId, int connections) {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(applicationName, "applicationName is null");
        requireNonNull(snapshotId, "snapshotId is null");
        SnapshotSessions sessions = SnapshotSessions.open(endpoint, applicationName, snapshotId, connections);
        try {
            Connection connection = sessions.borrow();
            try {
                return new PostgresSnapshotReader(endpoint, sessions, TypeRegistry.loadedOnce(connection),
                        snapshotName(connection));
            } finally {
                sessions.giveBack(connection);
            }
        } catch (InterruptedException e) {
            sessions.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening the snapshot reader", e);
        } catch (SQLException e) {
            sessions.close();
            throw new ConfigurationException("cannot read the snapshot of " + endpoint.describe() + ": "
                    + PgConnections.firstLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            sessions.close();
            throw e instanceof ConfigurationException ? e : new ConfigurationException("cannot read the types of "
                    + endpoint.describe() + ": " + PgConnections.firstLine(e.getMessage()), e);
        }
    }

    /** The snapshot this reader reads: the one it was given, or the one it took. */
    public String snapshotId() {
        return sessions.snapshotId();
    }

    /**
     * {@inheritDoc}
     *
     * <p>The snapshot's visibility itself, {@code txid_current_snapshot()} (xmin, xmax and the transactions in
     * progress, with their epochs, so never repeated), hashed: two sessions see the same rows exactly when it is the
     * same. Not the snapshot's id, which names the exporting session's transaction and repeats after a server restart.
     */
    @Override
    public String snapshotName() {
        return snapshotName;
    }

    private static String snapshotName(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT pg_catalog.txid_current_snapshot()::text")) {
            rows.next();
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(rows.getString(1).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>A plain table's parts are ranges of about {@code chunkBytes} of its heap pages (at least one page each; the
     * last open). A partitioned table's are its leaf partitions, one each (see {@link CopiedTable#partsArePartitions()}).
     *
     * @throws ConfigurationException when the table is missing from the snapshot, or the role may not read it
     */
    @Override
    public List<CopyChunk> plan(TableName table, long chunkBytes) {
        if (chunkBytes < 1) {
            throw new IllegalArgumentException("chunkBytes must be at least 1, got " + chunkBytes);
        }
        return withSession(table, "plan", connection -> {
            CopiedTable copied = table(connection, table);
            if (!copied.readable()) {
                throw new ConfigurationException("cannot copy " + table + ": role " + copied.role()
                        + " has no SELECT privilege on it; GRANT SELECT ON " + quoted(connection, table) + " TO "
                        + quotedIdentifier(connection, copied.role()));
            }
            try (Statement statement = connection.createStatement()) {
                // A table read by partitions is locked with them; one read whole, alone (the read locks the rest,
                // and the role may lack the privilege on a partition, which LOCK checks and SELECT does not).
                statement.execute("LOCK TABLE " + (copied.partsArePartitions() ? "" : "ONLY ") + table.quoted()
                        + " IN ACCESS SHARE MODE");
            }
            if (copied.partitioned()) {
                return CopyPlan.byPartitions(table, copied.partsArePartitions() ? copied.leaves().size() : 1);
            }
            long pages;
            long blockSize;
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT pg_catalog.pg_relation_size(?::oid), pg_catalog.current_setting('block_size')::bigint")) {
                statement.setLong(1, copied.oid());
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    blockSize = rows.getLong(2);
                    pages = rows.getLong(1) / blockSize;
                }
            }
            return CopyPlan.byPages(table, pages, chunkBytes / blockSize);
        });
    }

    @Override
    public long estimatedRows(TableName table) {
        return withSession(table, "estimate the rows of", connection -> table(connection, table).estimatedRows());
    }

    /**
     * {@inheritDoc}
     *
     * @throws SourceException naming the table, the part and the endpoint, with the first line of the server's message
     */
    @Override
    public void read(CopyChunk chunk, Consumer<SourceChange> rows) throws InterruptedException {
        requireNonNull(chunk, "chunk is null");
        requireNonNull(rows, "rows is null");
        Connection connection = sessions.borrow();
        try {
            CopiedTable table;
            try {
                table = table(connection, chunk.table());
            } catch (SQLException e) {
                throw failure(chunk, e);
            }
            new PartRead(connection, table, chunk).run(rows);
        } finally {
            sessions.giveBack(connection);
        }
    }

    /** Ends the transactions and closes the sessions; a read still running fails. */
    @Override
    public void close() {
        sessions.close();
    }

    /** One part's read, inside a savepoint, so that its failure leaves the session and its snapshot usable. */
    private final class PartRead {
        private final Connection connection;
        private final CopiedTable table;
        private final CopyChunk chunk;

        PartRead(Connection connection, CopiedTable table, CopyChunk chunk) {
            this.connection = connection;
            this.table = table;
            this.chunk = chunk;
        }

        void run(Consumer<SourceChange> rows) throws InterruptedException {
            String copy;
            TableName source;
            try {
                copy = table.copyStatement(chunk);
                source = table.source(chunk);
            } catch (IllegalStateException e) {
                throw new SourceException("cannot read " + chunk + " on " + endpoint.describe() + ": " + e.getMessage(), e);
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("SAVEPOINT " + SAVEPOINT);
                try {
                    statement.execute("LOCK TABLE ONLY " + source.quoted() + " IN ACCESS SHARE MODE NOWAIT");
                    copy(copy, rows);
                    statement.execute("RELEASE SAVEPOINT " + SAVEPOINT);
                } catch (SQLException | RuntimeException | InterruptedException e) {
                    rollBackTo(statement, e);
                    throw e;
                }
            } catch (SQLException e) {
                if ("55P03".equals(e.getSQLState())) {
                    throw new SourceException("cannot read " + chunk + " on " + endpoint.describe() + ": another session "
                            + "waits for a lock on " + source + " that conflicts with the copy's (ALTER TABLE, VACUUM FULL, "
                            + "CLUSTER, TRUNCATE, ...), and the copy holds the table until it ends; let that session "
                            + "give up or finish after the copy, then copy again", e);
                }
                throw failure(chunk, e);
            }
        }

        private void copy(String sql, Consumer<SourceChange> rows) throws SQLException, InterruptedException {
            RelationInfo relation = table.relation();
            int columns = relation.columns().size();
            CopyOut copy = connection.unwrap(PGConnection.class).getCopyAPI().copyOut(sql);
            try {
                byte[] line;
                while ((line = copy.readFromCopy()) != null) {
                    TupleData tuple;
                    try {
                        tuple = CopyTextRow.parse(line, columns);
                    } catch (IllegalArgumentException e) {
                        throw new SourceException("cannot read " + chunk + " on " + endpoint.describe() + ": "
                                + e.getMessage(), e);
                    }
                    // Placeholders where the copy has no transaction of its own: the caller numbers the rows
                    // (SourceChange.numbered) with the snapshot's position.
                    rows.accept(new SourceChange(Operation.READ, relation.schema(), relation.table(), Lsn.ZERO, Lsn.ZERO,
                            0, Instant.EPOCH, 0, relation.keyColumns(), relation.row(tuple, false), null, null,
                            tuple.valueBytes()));
                    if (Thread.interrupted()) {
                        throw new InterruptedException("interrupted while reading " + chunk);
                    }
                }
            } catch (RuntimeException | InterruptedException e) {
                drain(copy, e);
                throw e;
            }
        }

        /**
         * Reads the rest of a COPY that the caller gave up on, so that the session is ready for the next statement.
         * Not pgjdbc's cancelCopy: for a COPY TO it only sends the server a cancel request and leaves the rest of the
         * rows on the wire, where the next statement trips over them (and a cancel that arrives after the COPY ended
         * would hit that statement). The price is reading the rest of one part.
         */
        private void drain(CopyOut copy, Exception failure) {
            try {
                while (copy.isActive() && copy.readFromCopy() != null) {
                    // discarded
                }
            } catch (SQLException e) {
                failure.addSuppressed(e);
            }
        }

        private void rollBackTo(Statement statement, Exception failure) {
            try {
                statement.execute("ROLLBACK TO SAVEPOINT " + SAVEPOINT);
            } catch (SQLException e) {
                failure.addSuppressed(e);
            }
        }
    }

    private CopiedTable table(Connection connection, TableName name) throws SQLException {
        CopiedTable table = tables.get(name);
        if (table == null) {
            // Every session reads the same snapshot: whichever loads it first, the answer is the same.
            table = CopiedTable.load(connection, name, types, endpoint.describe());
            tables.putIfAbsent(name, table);
        }
        return table;
    }

    private interface SessionWork<T> {
        T apply(Connection connection) throws SQLException;
    }

    private <T> T withSession(TableName table, String what, SessionWork<T> work) {
        Connection connection;
        try {
            connection = sessions.borrow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to " + what + " " + table, e);
        }
        try {
            return work.apply(connection);
        } catch (SQLException e) {
            throw new SourceException("cannot " + what + " " + table + " on " + endpoint.describe() + ": "
                    + PgConnections.firstLine(e.getMessage()), e);
        } finally {
            sessions.giveBack(connection);
        }
    }

    private SourceException failure(CopyChunk chunk, SQLException e) {
        return new SourceException("cannot read " + chunk + " on " + endpoint.describe() + ": "
                + PgConnections.firstLine(e.getMessage()), e);
    }

    /** The table's name as PostgreSQL would write it: quoted only where needed. */
    private static String quoted(Connection connection, TableName table) throws SQLException {
        return quotedIdentifier(connection, table.schema()) + "." + quotedIdentifier(connection, table.table());
    }

    private static String quotedIdentifier(Connection connection, String identifier) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_catalog.quote_ident(?)")) {
            statement.setString(1, identifier);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        }
    }
}
