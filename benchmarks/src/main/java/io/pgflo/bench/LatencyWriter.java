package io.pgflo.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.locks.LockSupport;

/**
 * Commits transactions of {@link #CHANGES_PER_TRANSACTION} inserts at a fixed rate of changes per second, from one
 * session with {@code synchronous_commit = on}, on a schedule: transaction {@code k} is due at {@code start + k * interval}. A writer that falls behind
 * (the machine is saturated) commits the late ones at once rather than skipping them, and reports the rate it
 * reached.
 */
final class LatencyWriter {
    static final int CHANGES_PER_TRANSACTION = 10;

    private final Connection connection;
    private final PreparedStatement insert;

    LatencyWriter(Connection connection) throws SQLException {
        this.connection = connection;
        connection.setAutoCommit(false);
        try (var statement = connection.createStatement()) {
            // A walsender sends only WAL that is flushed; with the test servers' synchronous_commit = off a commit
            // would wait up to wal_writer_delay (200 ms) for the WAL writer. On, as on a production server.
            statement.execute("SET synchronous_commit = on");
        }
        this.insert = connection.prepareStatement(LatencyTable.INSERT);
    }

    /**
     * Writes the rows {@code segment.firstId()..segment.lastId()} at {@code segment.rate()} changes per second.
     *
     * @return the seconds it took
     */
    double write(LatencySegment segment) throws SQLException {
        long interval = Math.round(1e9 * CHANGES_PER_TRANSACTION / segment.rate());
        long start = System.nanoTime();
        long k = 0;
        for (long from = segment.firstId(); from <= segment.lastId(); from += CHANGES_PER_TRANSACTION, k++) {
            long due = start + k * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            insert.setLong(1, from);
            insert.setLong(2, Math.min(segment.lastId(), from + CHANGES_PER_TRANSACTION - 1));
            insert.executeUpdate();
            connection.commit();
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
