package io.pgflo.wal;

import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.sink.api.ConfigurationException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Sessions that all read one snapshot, each inside a REPEATABLE READ READ ONLY transaction that lasts until
 * {@link #close()}, lent to one thread at a time.
 */
final class SnapshotSessions implements AutoCloseable {
    /** The server's snapshot names: hex numbers joined by dashes ({@code 00000003-0000001B-1}). */
    private static final Pattern SNAPSHOT_ID = Pattern.compile("[0-9A-F]+(-[0-9A-F]+)*");

    private final List<Connection> all;
    private final BlockingQueue<Connection> free;
    private final String snapshotId;
    private volatile boolean closed;

    private SnapshotSessions(List<Connection> all, String snapshotId) {
        this.all = List.copyOf(all);
        this.free = new ArrayBlockingQueue<>(all.size(), true, all);
        this.snapshotId = snapshotId;
    }

    /**
     * Opens {@code count} sessions on the snapshot {@code snapshotId}, or without one, on a snapshot the first session
     * takes and exports to the others. Each has the stream's text forms and no timeouts.
     *
     * @throws ConfigurationException naming the endpoint when a session cannot be opened or cannot take the snapshot;
     *     what was opened is closed
     */
    static SnapshotSessions open(DatabaseEndpoint endpoint, String applicationName, Optional<String> snapshotId,
            int count) {
        if (count < 1) {
            throw new IllegalArgumentException("a snapshot reader needs at least 1 connection, got " + count);
        }
        snapshotId.ifPresent(id -> {
            if (!SNAPSHOT_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("not a snapshot name: '" + id + "'");
            }
        });
        List<Connection> opened = new ArrayList<>(count);
        String id = snapshotId.orElse(null);
        try {
            for (int i = 0; i < count; i++) {
                Connection connection = PgConnections.open(endpoint, applicationName);
                opened.add(connection);
                PgConnections.turnOffTimeouts(connection);
                PgConnections.useStableTextForms(connection);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
                    if (id == null) {
                        try (ResultSet rows = statement.executeQuery("SELECT pg_catalog.pg_export_snapshot()")) {
                            rows.next();
                            id = rows.getString(1);
                        }
                    } else {
                        importSnapshot(statement, id, endpoint);
                    }
                }
            }
            return new SnapshotSessions(opened, id);
        } catch (SQLException e) {
            closeAll(opened);
            throw new ConfigurationException("cannot begin the copy's transaction on " + endpoint.describe() + ": "
                    + PgConnections.firstLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    private static void importSnapshot(Statement statement, String id, DatabaseEndpoint endpoint) throws SQLException {
        try {
            // The id matched SNAPSHOT_ID: nothing in it needs quoting.
            statement.execute("SET TRANSACTION SNAPSHOT '" + id + "'");
        } catch (SQLException e) {
            throw new ConfigurationException("cannot import snapshot " + id + " on " + endpoint.describe()
                    + " (a snapshot lasts only as long as the session that exported it): "
                    + PgConnections.firstLine(e.getMessage()), e);
        }
    }

    /** The snapshot every session reads. */
    String snapshotId() {
        return snapshotId;
    }

    /** A free session, waiting for one; give it back with {@link #giveBack}. */
    Connection borrow() throws InterruptedException {
        while (true) {
            if (closed) {
                throw new IllegalStateException("the snapshot reader is closed");
            }
            Connection connection = free.poll(100, TimeUnit.MILLISECONDS);
            if (connection != null) {
                return connection;
            }
        }
    }

    void giveBack(Connection connection) {
        free.add(connection);
    }

    /** Ends the transactions (the server rolls back a read-only one as its session closes) and the sessions. */
    @Override
    public void close() {
        closed = true;
        closeAll(all);
    }

    private static void closeAll(List<Connection> connections) {
        for (Connection connection : connections) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Closing is best effort: the server ends the transaction with the session either way.
            }
        }
    }
}
