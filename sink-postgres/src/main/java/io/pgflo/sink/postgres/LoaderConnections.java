package io.pgflo.sink.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

/** The bulk loader's target connections: at most {@code size} in use at once, opened when first needed, then reused. */
final class LoaderConnections implements AutoCloseable {
    /** Opens a connection with the sink's session settings, not in auto-commit. */
    @FunctionalInterface
    interface Opener {
        Connection open() throws SQLException;
    }

    private final Opener opener;
    private final Semaphore permits;
    private final Queue<Connection> idle = new ConcurrentLinkedQueue<>();
    private final Set<Connection> all = ConcurrentHashMap.newKeySet();

    LoaderConnections(Opener opener, int size) {
        this.opener = opener;
        this.permits = new Semaphore(size);
    }

    Connection borrow() throws SQLException {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a target connection", e);
        }
        Connection connection = idle.poll();
        if (connection != null) {
            return connection;
        }
        try {
            connection = opener.open();
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
        all.add(connection);
        return connection;
    }

    /** Returns a connection; one that may be broken ({@code healthy} false) is closed instead of reused. */
    void giveBack(Connection connection, boolean healthy) {
        if (healthy) {
            idle.add(connection);
        } else {
            all.remove(connection);
            closeQuietly(connection);
        }
        permits.release();
    }

    /** Closes every connection, those still lent out too (their transactions roll back). */
    @Override
    public void close() {
        all.forEach(LoaderConnections::closeQuietly);
        all.clear();
        idle.clear();
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Broken already; closing is best effort.
        }
    }
}
