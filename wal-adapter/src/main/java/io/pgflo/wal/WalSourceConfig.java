package io.pgflo.wal;

import static java.util.Objects.requireNonNull;

import io.pgflo.domain.DatabaseEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What to stream and from where.
 *
 * @param endpoint the source database
 * @param names the slot and publication
 * @param schema the schema of the replicated tables
 * @param tables table names in {@code schema}; empty means every table of the schema
 * @param heartbeatInterval how often to write a heartbeat message into the source's WAL so that an idle stream
 *     still moves the slot; {@link Duration#ZERO} turns heartbeats off
 * @param statusInterval how often the client reports its position to the server unasked; at least 1 ms
 * @param captureDdl whether to install the DDL capture event trigger on the source, so that schema changes to the
 *     replicated tables arrive as DDL events in WAL order
 * @param provisionalChanges whether the sink takes provisional changes: the server (PostgreSQL 14 or later) then streams
 *     large transactions while it decodes them (pgoutput protocol 2), and the first that nothing overlaps goes out at
 *     once, as provisional events that its commit confirms (see {@link io.pgflo.domain.OpenTransactionDiscarded}).
 *     Without it, the server holds a large transaction back until its commit, spilling it to disk.
 * @param spoolDirectory where a transaction the server streams before its commit is spooled once it outgrows its
 *     memory (a temporary file per transaction, unlinked when it is opened); {@link #DEFAULT_SPOOL_DIRECTORY} unless
 *     set. It needs room for the largest transaction in flight.
 * @param keepStartSnapshot whether a slot that {@code open} creates keeps the snapshot it starts from, for an initial
 *     copy to read the tables under ({@link PostgresChangeSource#startSnapshot()}); off unless set. A slot that exists
 *     already has none.
 * @param slotMustExist whether the slot must be there already: true when a stream that ran reconnects. A slot that is
 *     gone by then was dropped under it ({@code pg_flo drop}, or by hand); a new one would start at the server's
 *     current position and skip every change since the checkpoint, so {@code open} refuses instead of creating it.
 */
public record WalSourceConfig(
        DatabaseEndpoint endpoint,
        ReplicationNames names,
        String schema,
        List<String> tables,
        Duration heartbeatInterval,
        Duration statusInterval,
        boolean captureDdl,
        boolean provisionalChanges,
        Path spoolDirectory,
        boolean keepStartSnapshot,
        boolean slotMustExist) {

    /** The JVM's temporary directory ({@code java.io.tmpdir}). */
    public static final Path DEFAULT_SPOOL_DIRECTORY = Path.of(System.getProperty("java.io.tmpdir"));

    public WalSourceConfig {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(names, "names is null");
        requireNonNull(schema, "schema is null");
        tables = List.copyOf(tables);
        requireNonNull(heartbeatInterval, "heartbeatInterval is null");
        requireNonNull(statusInterval, "statusInterval is null");
        if (statusInterval.toMillis() < 1) {
            // Zero would turn off pgjdbc's own status messages and the short wait for data that its reads do.
            throw new IllegalArgumentException("statusInterval must be at least 1 ms, got " + statusInterval);
        }
        requireNonNull(spoolDirectory, "spoolDirectory is null");
    }

    public WalSourceConfig(DatabaseEndpoint endpoint, ReplicationNames names, String schema, List<String> tables,
            Duration heartbeatInterval, Duration statusInterval, boolean captureDdl, boolean provisionalChanges,
            Path spoolDirectory, boolean keepStartSnapshot) {
        this(endpoint, names, schema, tables, heartbeatInterval, statusInterval, captureDdl, provisionalChanges,
                spoolDirectory, keepStartSnapshot, false);
    }

    public WalSourceConfig(DatabaseEndpoint endpoint, ReplicationNames names, String schema, List<String> tables,
            Duration heartbeatInterval, Duration statusInterval, boolean captureDdl, boolean provisionalChanges,
            Path spoolDirectory) {
        this(endpoint, names, schema, tables, heartbeatInterval, statusInterval, captureDdl, provisionalChanges,
                spoolDirectory, false);
    }

    public WalSourceConfig(DatabaseEndpoint endpoint, ReplicationNames names, String schema, List<String> tables,
            Duration heartbeatInterval, Duration statusInterval, boolean captureDdl, boolean provisionalChanges) {
        this(endpoint, names, schema, tables, heartbeatInterval, statusInterval, captureDdl, provisionalChanges,
                DEFAULT_SPOOL_DIRECTORY);
    }

    public WalSourceConfig(DatabaseEndpoint endpoint, ReplicationNames names, String schema, List<String> tables,
            Duration heartbeatInterval, Duration statusInterval, boolean captureDdl) {
        this(endpoint, names, schema, tables, heartbeatInterval, statusInterval, captureDdl, false);
    }

    public static WalSourceConfig of(DatabaseEndpoint endpoint, String group, String schema, List<String> tables) {
        return new WalSourceConfig(endpoint, ReplicationNames.forGroup(group), schema, tables, Duration.ofSeconds(10),
                Duration.ofSeconds(10), false);
    }

    public WalSourceConfig withHeartbeatInterval(Duration interval) {
        return new WalSourceConfig(endpoint, names, schema, tables, interval, statusInterval, captureDdl,
                provisionalChanges, spoolDirectory, keepStartSnapshot, slotMustExist);
    }

    public WalSourceConfig withCaptureDdl(boolean capture) {
        return new WalSourceConfig(endpoint, names, schema, tables, heartbeatInterval, statusInterval, capture,
                provisionalChanges, spoolDirectory, keepStartSnapshot, slotMustExist);
    }

    public WalSourceConfig withProvisionalChanges(boolean provisional) {
        return new WalSourceConfig(endpoint, names, schema, tables, heartbeatInterval, statusInterval, captureDdl,
                provisional, spoolDirectory, keepStartSnapshot, slotMustExist);
    }

    public WalSourceConfig withSpoolDirectory(Path directory) {
        return new WalSourceConfig(endpoint, names, schema, tables, heartbeatInterval, statusInterval, captureDdl,
                provisionalChanges, directory, keepStartSnapshot, slotMustExist);
    }

    public WalSourceConfig withStartSnapshot(boolean keep) {
        return new WalSourceConfig(endpoint, names, schema, tables, heartbeatInterval, statusInterval, captureDdl,
                provisionalChanges, spoolDirectory, keep, slotMustExist);
    }

    public WalSourceConfig withSlotMustExist(boolean mustExist) {
        return new WalSourceConfig(endpoint, names, schema, tables, heartbeatInterval, statusInterval, captureDdl,
                provisionalChanges, spoolDirectory, keepStartSnapshot, mustExist);
    }
}
