package io.pgflo.wal;

import static java.util.Objects.requireNonNull;

import io.pgflo.domain.ChangeSource;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Position;
import io.pgflo.domain.SourceMessage;
import io.pgflo.domain.StreamSnapshot;
import io.pgflo.sink.api.TableName;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.postgresql.replication.fluent.logical.ChainedLogicalStreamBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL database's logical replication stream (pgoutput) as a {@link ChangeSource}.
 *
 * <p>{@link #open(WalSourceConfig)} checks the source and creates the group's publication and slot;
 * {@link #prepareToStart} (optional) has the server begin decoding; {@link #start} begins streaming. Progress is
 * reported to the server only through {@link #acknowledge}, so the slot never moves past what the sink made durable.
 */
public final class PostgresChangeSource implements ChangeSource {
    private static final Logger log = LoggerFactory.getLogger(PostgresChangeSource.class);

    private final WalSourceConfig config;
    private final List<TableName> tables;
    private final Connection metadata;
    private final ChangeEventAssembler assembler;
    private final Lsn slotPosition;
    private final ReplicationSetup setup;
    private final DdlCapture.Installation capture;
    private Connection replication;
    private PGReplicationStream stream;
    private HeartbeatEmitter heartbeat;
    /** Volatile for {@link #wakeUp}, which the sink's thread calls; everything else runs on the pipeline's. */
    private volatile StreamReader reader;
    private boolean started;
    /** The process id of the walsender serving {@link #replication}, or -1. */
    private int walsenderPid = -1;
    /** Whether the server streams large transactions before their commit (pgoutput protocol 2). */
    private final boolean streamInProgress;

    private PostgresChangeSource(WalSourceConfig config, Connection metadata, ReplicationSetup setup, List<TableName> tables,
            DdlCapture.Installation capture, Lsn slotPosition, boolean streamInProgress) {
        this.config = config;
        this.metadata = metadata;
        this.setup = setup;
        this.tables = tables;
        this.capture = capture;
        this.slotPosition = slotPosition;
        TypeRegistry types = new TypeRegistry(metadata);
        this.assembler = new ChangeEventAssembler(types::resolve);
        assembler.deliverDdl(capture.active());
        this.streamInProgress = streamInProgress;
        assembler.deliverProvisionally(streamInProgress);
        assembler.spoolTo(config.spoolDirectory());
    }

    /**
     * Connects, checks the source (wal_level, privileges, tables, slot not in use), then creates the publication, the
     * slot and the DDL capture where missing. Throws {@link ConfigurationException} with a one-line explanation when the
     * source is not usable; a check that fails has changed nothing, and what a later step fails after is undone.
     */
    public static PostgresChangeSource open(WalSourceConfig config) {
        requireNonNull(config, "config is null");
        Connection metadata = PgConnections.open(config.endpoint(), applicationName(config));
        ReplicationSetup setup = new ReplicationSetup(metadata, config);
        DdlCapture.Installation capture = DdlCapture.Installation.OFF;
        try {
            List<TableName> tables = setup.check();
            if (config.captureDdl()) {
                capture = DdlCapture.install(metadata, config.endpoint().describe(), config.names().group(), tables);
            }
            setup.create(tables, capture.active() ? List.of(DdlCapture.CHANGES) : List.of());
            if (!setup.createdSlot()) {
                // A group that streamed before: a table added to it has rows the stream never carried.
                BackfillRequests.addForNewTables(metadata, config, setup.addedTables());
            }
            // Protocol 2, with its streaming of in-progress transactions, came with PostgreSQL 14.
            boolean streamInProgress = config.provisionalChanges()
                    && metadata.getMetaData().getDatabaseMajorVersion() >= 14;
            if (config.provisionalChanges() && !streamInProgress) {
                log.info("the source is older than PostgreSQL 14: large transactions arrive after their commit");
            }
            return new PostgresChangeSource(config, metadata, setup, tables, capture, setup.confirmedFlushLsn(),
                    streamInProgress);
        } catch (SQLException e) {
            undo(config, metadata, setup, capture);
            closeQuietly(metadata);
            throw new ConfigurationException("cannot prepare replication on " + config.endpoint().describe() + ": "
                    + PgConnections.firstLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            undo(config, metadata, setup, capture);
            closeQuietly(metadata);
            throw e;
        }
    }

    /** The tables the publication covers. */
    public List<TableName> tables() {
        return tables;
    }

    /** The slot's confirmed position when the source was opened. */
    public Lsn slotPosition() {
        return slotPosition;
    }

    /**
     * With {@link WalSourceConfig#keepStartSnapshot()}, the snapshot that the slot this {@code open} created starts
     * from, until {@link #releaseSnapshot()}, {@link #start}, {@link #abandonIfNotStarted()} or {@link #close()}. Empty
     * for a slot that existed (or that another process created first).
     */
    @Override
    public Optional<StreamSnapshot> startSnapshot() {
        return setup.startSnapshot();
    }

    /**
     * Closes the replication connection that exported the {@link #startSnapshot()}; sessions that imported it keep it.
     * Idempotent, and callable from any thread.
     */
    @Override
    public void releaseSnapshot() {
        setup.releaseStartSnapshot();
    }

    /**
     * Undoes what {@link #open} created (the slot, the publication, the DDL capture or the group's registration with
     * it) if nothing has streamed yet: a run that fails before it starts (a bad sink flag, say) must leave the source
     * as it found it, and above all no slot that makes the server keep WAL forever. What existed before is kept.
     */
    @Override
    public void abandonIfNotStarted() {
        if (started) {
            return;
        }
        releaseSnapshot();
        try {
            // A stream begun early holds the slot: it ends first, and the server frees it when its walsender exits.
            if (setup.createdSlot() && !endStreamAndAwaitRelease()) {
                log.warn("slot {} created by this run is in use by another process; left as it is", config.names().slot());
                return;
            }
        } catch (SQLException e) {
            log.warn("could not end the stream from slot {}: {}", config.names().slot(), PgConnections.firstLine(e.getMessage()));
        }
        undo(config, metadata, setup, capture);
    }

    private static void undo(WalSourceConfig config, Connection metadata, ReplicationSetup setup,
            DdlCapture.Installation capture) {
        setup.releaseStartSnapshot();
        try {
            if (setup.createdSlot() && setup.dropSlotIfInactive()) {
                log.info("dropped slot {} created by this run, which did not start", config.names().slot());
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("could not drop slot {} created by this run: {}; drop it with SELECT pg_drop_replication_slot('{}')",
                    config.names().slot(), PgConnections.firstLine(e.getMessage()), config.names().slot());
        }
        try {
            setup.dropPublicationIfNew();
            DdlCapture.undo(metadata, config.names().group(), capture);
        } catch (SQLException | RuntimeException e) {
            log.warn("could not remove what this run created on {} (publication {}, DDL capture): {}",
                    config.endpoint().describe(), config.names().publication(), PgConnections.firstLine(e.getMessage()));
        }
    }

    /**
     * Opens the replication connection and has the server start decoding from the slot's position now, before the sink
     * is ready: the server's own start-up, and its decoding of a large transaction that it must read whole before it
     * sends any of it, then overlap with the sink's (connections, schema sync). Nothing is turned into events, and
     * nothing is acknowledged, until {@link #start} names the sink's checkpoint; meanwhile the connection is kept alive
     * with status messages. Optional: {@link #start} alone does the same, one step after the other.
     */
    @Override
    public void prepareToStart() {
        if (stream == null) {
            openStream(LogSequenceNumber.INVALID_LSN);
        }
    }

    @Override
    public void start(Position resumeAt) {
        if (started) {
            throw new IllegalStateException("already started");
        }
        releaseSnapshot();
        // Inside a transaction, the stream starts at its commit, which the server then sends again.
        Lsn resumeAfter = resumeAt.lsn();
        if (!resumeAfter.equals(Lsn.ZERO) && slotPosition.isAfter(resumeAfter)) {
            log.warn("slot {} was confirmed up to {} but the sink's checkpoint is {}: changes in between were "
                    + "acknowledged by an earlier run and cannot be read again", config.names().slot(), slotPosition, resumeAfter);
        }
        if (stream != null && resumeAfter.isAfter(slotPosition)) {
            // The stream begun at the slot's position would carry again what the checkpoint covers (the sink made it
            // durable, the slot never heard): begun again at the checkpoint, the server skips that before decoding it.
            log.info("the sink's checkpoint {} is ahead of slot {} at {}: streaming again from the checkpoint", resumeAfter,
                    config.names().slot(), slotPosition);
            try {
                if (!endStreamAndAwaitRelease()) {
                    throw slotInUse(null);
                }
            } catch (SQLException e) {
                throw failure("cannot restart streaming from slot " + config.names().slot(), e);
            }
        }
        if (stream == null) {
            openStream(resumeAfter.equals(Lsn.ZERO)
                    ? LogSequenceNumber.INVALID_LSN
                    : LogSequenceNumber.valueOf(resumeAfter.value()));
        }
        // A stream begun early starts at the slot's position; the assembler skips what the checkpoint covers, the very
        // transactions the server skips when asked to start at the checkpoint (those whose commit record lies before it).
        reader.release(resumeAt);
        started = true;
        if (!config.heartbeatInterval().isZero()) {
            heartbeat = new HeartbeatEmitter(config.endpoint(), applicationName(config) + "-heartbeat",
                    config.heartbeatInterval());
        }
        log.info("streaming {} from slot {} (publication {}) after {}", tables, config.names().slot(),
                config.names().publication(), resumeAfter.equals(Lsn.ZERO) ? "the slot's position " + slotPosition : resumeAt);
    }

    private void openStream(LogSequenceNumber startPosition) {
        replication = PgConnections.openReplication(config.endpoint(), applicationName(config));
        try {
            walsenderPid = replication.unwrap(PGConnection.class).getBackendPID();
            PgConnections.useStableTextForms(replication);
        } catch (SQLException e) {
            closeStream();
            throw failure("cannot configure the replication session", e);
        }
        try {
            ChainedLogicalStreamBuilder builder = replication.unwrap(PGConnection.class).getReplicationAPI()
                    .replicationStream()
                    .logical()
                    .withSlotName(config.names().slot())
                    .withStartPosition(startPosition)
                    .withSlotOption("proto_version", streamInProgress ? 2 : 1)
                    .withSlotOption("publication_names", config.names().publication())
                    .withSlotOption("messages", true)
                    .withStatusInterval((int) config.statusInterval().toMillis(), TimeUnit.MILLISECONDS);
            if (streamInProgress) {
                builder.withSlotOption("streaming", "on");
            }
            stream = builder.start();
        } catch (SQLException e) {
            closeStream();
            if ("55006".equals(e.getSQLState())) {
                throw slotInUse(e);
            }
            throw failure("cannot start streaming from slot " + config.names().slot(), e);
        }
        reader = new StreamReader(stream, assembler, "replication stream from slot " + config.names().slot() + " on "
                + config.endpoint().describe(), config.statusInterval());
        reader.start();
    }

    @Override
    public SourceMessage poll(Duration timeout) throws InterruptedException {
        return reader.poll(timeout);
    }

    @Override
    public boolean caughtUp() {
        StreamReader current = reader;
        return current == null || current.caughtUp();
    }

    @Override
    public void wakeUp() {
        StreamReader current = reader;
        if (current != null) {
            current.wakeUp();
        }
    }

    @Override
    public void acknowledge(Lsn durable) {
        reader.acknowledge(durable);
    }

    @Override
    public void close() {
        releaseSnapshot();
        if (heartbeat != null) {
            heartbeat.close();
        }
        closeStream();
        closeQuietly(metadata);
    }

    /** Ends the stream, then waits (up to 10 s) until the server has freed the slot; false if another process holds it. */
    private boolean endStreamAndAwaitRelease() throws SQLException {
        int pid = walsenderPid;
        closeStream();
        return pid < 0 || setup.awaitSlotReleasedBy(pid, Duration.ofSeconds(10));
    }

    private void closeStream() {
        if (reader != null) {
            boolean ended;
            try {
                ended = reader.stop();
            } catch (SQLException e) {
                // Thrown only once the thread has ended, by the last report of its position.
                ended = true;
                log.warn("could not report the last position to slot {}: {}", config.names().slot(),
                        PgConnections.firstLine(e.getMessage()));
            }
            if (ended) {
                // The transactions streamed so far come again from their start on the next stream.
                assembler.reset();
            }
            reader = null;
        }
        if (stream != null) {
            try {
                stream.close();
            } catch (SQLException e) {
                log.debug("closing the replication stream: {}", e.getMessage());
            }
            stream = null;
        }
        closeQuietly(replication);
        replication = null;
        walsenderPid = -1;
    }

    private ConfigurationException slotInUse(SQLException cause) {
        return new ConfigurationException("replication slot " + config.names().slot()
                + " is in use by another process; stop that pg_flo or use another --group", cause);
    }

    private SourceException failure(String what, SQLException e) {
        return new SourceException(what + " on " + config.endpoint().describe() + ": " + PgConnections.firstLine(e.getMessage()), e);
    }

    static String applicationName(WalSourceConfig config) {
        return "pg_flo-" + config.names().group();
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Already broken; closing is best effort.
            }
        }
    }
}
