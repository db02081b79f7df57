package io.pgflo.wal;

import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.domain.StreamSnapshot;
import io.pgflo.sink.api.Lsn;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.postgresql.PGConnection;
import org.postgresql.replication.ReplicationSlotInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A slot created on a replication connection, with the snapshot the server exported as it made it: the tables as they
 * were at the slot's consistent point, which the stream continues from. Other sessions can import the snapshot only
 * while the connection that created the slot stays open and runs nothing else, so it is kept idle until
 * {@link #release()}.
 */
final class StartSnapshot {
    private static final Logger log = LoggerFactory.getLogger(StartSnapshot.class);

    private final StreamSnapshot snapshot;
    private Connection exporter;

    private StartSnapshot(StreamSnapshot snapshot, Connection exporter) {
        this.snapshot = snapshot;
        this.exporter = exporter;
    }

    /**
     * Creates the logical slot {@code slot} (pgoutput) with the replication protocol's CREATE_REPLICATION_SLOT, which
     * exports the snapshot by default (PostgreSQL 10+); pgjdbc sends it without options, as every version takes it.
     * Empty when another process created the slot first (duplicate_object): the slot exists, the snapshot is theirs.
     */
    static Optional<StartSnapshot> createSlot(DatabaseEndpoint endpoint, String applicationName, String slot)
            throws SQLException {
        Connection connection = PgConnections.openReplication(endpoint, applicationName);
        try {
            // Before the slot, since nothing may run on this session after it: the session waits idle, inside the
            // transaction that holds the snapshot, for as long as the copy takes to import it, and creating the slot
            // itself waits for the transactions running at that moment to end.
            PgConnections.turnOffTimeouts(connection);
            ReplicationSlotInfo created = connection.unwrap(PGConnection.class).getReplicationAPI()
                    .createReplicationSlot()
                    .logical()
                    .withSlotName(slot)
                    .withOutputPlugin("pgoutput")
                    .make();
            Lsn consistentPoint = Lsn.of(created.getConsistentPoint().asLong());
            if (created.getSnapshotName() == null) {
                // Not on any version pg_flo supports; the slot is still this run's, only without a snapshot.
                log.warn("the server created slot {} without exporting a snapshot", slot);
                closeQuietly(connection);
                return Optional.of(new StartSnapshot(null, null));
            }
            return Optional.of(new StartSnapshot(new StreamSnapshot(created.getSnapshotName(), consistentPoint), connection));
        } catch (SQLException e) {
            closeQuietly(connection);
            if ("42710".equals(e.getSQLState())) {
                return Optional.empty(); // two processes racing for the same new slot: this one lost
            }
            throw e;
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /** The snapshot, until {@link #release()}. */
    synchronized Optional<StreamSnapshot> snapshot() {
        return exporter == null ? Optional.empty() : Optional.of(snapshot);
    }

    /** Closes the connection that exported the snapshot, which then cannot be imported any more. Idempotent. */
    synchronized void release() {
        if (exporter != null) {
            closeQuietly(exporter);
            exporter = null;
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("closing the connection that created the slot: {}", e.getMessage());
        }
    }
}
