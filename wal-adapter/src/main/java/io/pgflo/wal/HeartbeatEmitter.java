package io.pgflo.wal;

import io.pgflo.domain.DatabaseEndpoint;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a small transactional logical message into the source's WAL at a fixed interval. The stream receives it
 * as an empty transaction, which the pipeline checkpoints and acknowledges, so the slot advances and PostgreSQL can
 * recycle WAL even while the replicated tables are idle and other tables are busy.
 */
final class HeartbeatEmitter implements AutoCloseable {
    static final String PREFIX = "pg_flo_heartbeat";
    private static final Logger log = LoggerFactory.getLogger(HeartbeatEmitter.class);

    private final DatabaseEndpoint endpoint;
    private final String applicationName;
    private final ScheduledExecutorService scheduler;
    private Connection connection;
    private boolean warned;

    HeartbeatEmitter(DatabaseEndpoint endpoint, String applicationName, Duration interval) {
        this.endpoint = endpoint;
        this.applicationName = applicationName;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pg_flo-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(this::beat, millis, millis, TimeUnit.MILLISECONDS);
    }

    private void beat() {
        try {
            if (connection == null || connection.isClosed()) {
                connection = PgConnections.open(endpoint, applicationName);
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_catalog.pg_logical_emit_message(true, '" + PREFIX + "', '')");
            }
            warned = false;
        } catch (SQLException | RuntimeException e) {
            if (!warned) {
                log.warn("heartbeat to {} failed, will retry: {}", endpoint.describe(), PgConnections.firstLine(e.getMessage()));
                warned = true;
            }
            closeConnection();
        } catch (Error e) {
            // The scheduler would keep it in a future nobody reads and stop the heartbeats in silence: this thread's
            // uncaught-exception handler hears of it instead (pg_flo's ends the process on an OutOfMemoryError).
            Thread thread = Thread.currentThread();
            thread.getUncaughtExceptionHandler().uncaughtException(thread, e);
            throw e;
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeConnection();
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Closing a broken connection; nothing to do.
            }
            connection = null;
        }
    }
}
