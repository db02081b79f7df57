package io.pgflo.sink.postgres;

import static java.util.Objects.requireNonNull;

import io.pgflo.sink.api.Batch;
import io.pgflo.sink.api.BatchCompletionListener;
import io.pgflo.sink.api.BulkLoader;
import io.pgflo.domain.BatchWorker;
import io.pgflo.domain.TableRoutes;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.TableName;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.TransientSinkException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicates change events into a PostgreSQL database, exactly once.
 *
 * <p>Each batch is applied in one target transaction together with the group's checkpoint row in
 * {@code internal_pg_flo.lsn_status}; a change the checkpoint already covers is never applied again. A batch that ends
 * inside a source transaction (the engine cuts very large transactions) is applied but not committed: the target
 * transaction stays open until the batch that completes the source transaction, so the target never shows part of a
 * source transaction, and a crash rolls the part back (the source delivers it again).
 *
 * <p>Any failure rolls the transaction back and leaves the checkpoint where it was. Transient errors (connection loss,
 * serialization failure, deadlock, server restart) are retried with a new connection, with a growing wait, up to
 * {@link PostgresSinkConfig#maxRetries()} times; then, and for any other error, {@link #writeBatch} throws a
 * {@link PostgresSinkException} naming the table, the change and the error.
 *
 * <p>Used from one thread, as {@link Sink} requires; the target connection is used by the sink's own thread only.
 */
public final class PostgresSink implements Sink {
    private static final Logger log = LoggerFactory.getLogger(PostgresSink.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final PostgresSinkConfig config;
    private final String applicationName;
    private final CheckpointTable checkpoints;
    private final TargetKeys targetKeys = new TargetKeys();
    private final TargetTables targetTables = new TargetTables();
    private final DdlReplayer ddl;
    private final BatchApplier applier;
    private final SourceSettings sourceSettings;
    private Connection connection;
    private final BatchWorker worker;
    private volatile Position checkpoint;
    private int openEvents;
    private boolean carriedOpen;
    private boolean warnedAboutReplicaRole;
    private boolean closed;

    /**
     * Connects to the target, checks the source's tables (when the config names the source), syncs the schema (when
     * asked), and reads the checkpoint.
     *
     * @throws ConfigurationException when the target or source cannot be reached, a table has no replication key,
     *     or the schema cannot be copied; the message says what to fix
     */
    public PostgresSink(PostgresSinkConfig config) {
        this(config, BatchCompletionListener.NONE);
    }

    /** A sink that tells {@code completions} when each batch is applied (or failed) on its thread. */
    public PostgresSink(PostgresSinkConfig config, BatchCompletionListener completions) {
        this.config = requireNonNull(config, "config is null");
        this.worker = new BatchWorker("pg_flo-postgres-sink", "the PostgreSQL sink", this::lastCheckpoint, completions);
        this.applicationName = "pg_flo-" + config.group() + "-sink";
        this.checkpoints = new CheckpointTable(config.group());
        RoutedDdl.refuseUntranslatable(config);
        this.ddl = new DdlReplayer(config.trackDdl(), config.targetTables(), config.routes());
        this.applier = new BatchApplier(targetKeys, targetTables, ddl);
        Connection target = PgConnections.open(config.target(), applicationName, PgConnections.TARGET);
        try {
            // The connection waits while the source is read (and the schema synced): a target-wide idle timeout must
            // not end it meanwhile.
            PgConnections.turnOffTimeouts(target);
            this.sourceSettings = config.source() == null ? SourceSettings.UNKNOWN : SourceSettings.read(config);
            if (sourceSettings.identity() != null && sourceSettings.identity().equals(DatabaseIdentity.of(target))) {
                throw new ConfigurationException("the target " + config.target().describe() + " is the source database "
                        + "itself: its changes would be written back into the tables they come from, for ever; choose "
                        + "another --target-dbname or --target-host");
            }
            if (config.syncSchema()) {
                SchemaSync sync = new SchemaSync(config.source(), config.target(), config.schemaCopier(),
                        config.pgDumpPath());
                if (config.sourceSnapshot() != null) {
                    sync = sync.withSnapshot(config.sourceSnapshot());
                }
                SchemaSync.Result result = sync.sync(config.tables(), config.routes());
                log.info("schema sync ({}): created {}, already present {}", result.copier(), result.created(),
                        result.existing());
            }
            prepareSession(target);
            for (TableName table : config.targetTables()) {
                IdentityColumns.relax(target, table);
            }
            checkpoints.create(target);
            CopyPartsTable.create(target);
            DeferredIndexes.create(target);
            target.commit();
            // A copy that crashed, or could not rebuild them, left indexes aside: put them back before anything else.
            new DeferredIndexes(config.group()).restoreAll(target);
            this.checkpoint = checkpoints.load(target);
            target.commit();
        } catch (SQLException e) {
            closeQuietly(target);
            throw new ConfigurationException("cannot prepare the target " + config.target().describe() + ": "
                    + SqlStates.describe(e) + "; the target user needs CREATE on the database (for schema "
                    + CheckpointTable.SCHEMA + ") and write access to the replicated tables", e);
        } catch (RuntimeException e) {
            closeQuietly(target);
            throw e;
        }
        this.connection = target;
        log.info("writing to {} for group {} from checkpoint {}", config.target().describe(), config.group(),
                checkpoint.equals(Lsn.ZERO) ? "none (new group)" : checkpoint);
    }

    private static boolean renamesAny(TableRoutes routes) {
        return routes.routes().values().stream().anyMatch(TableRoutes.Route::renames);
    }

    /**
     * Loads an initial copy's parts with COPY, each on a connection of its own ({@link PostgresBulkLoader}); none
     * with {@code --copy-existing upsert}, whose copy is upserted through {@link #writeBatch}, nor when routing renames
     * a table or column (the copy then goes through {@link #writeBatch} too).
     */
    @Override
    public Optional<BulkLoader> bulkLoader(int parallelism) {
        if (config.copyExisting() == CopyExisting.UPSERT || renamesAny(config.routes())) {
            // A part is loaded into the table it was read from; routed rows take the upserting path instead.
            return Optional.empty();
        }
        return Optional.of(new PostgresBulkLoader(() -> {
            Connection connection = PgConnections.connect(config.target(), applicationName + "-copy");
            try {
                connection.setAutoCommit(true);
                try {
                    applySettings(connection, sourceSettings);
                } catch (ReplicaRoleRefused e) {
                    // Said once by the sink's own session; the target's triggers fire on the copy's rows too.
                }
                connection.setAutoCommit(false);
                return connection;
            } catch (SQLException | RuntimeException e) {
                closeQuietly(connection);
                throw e;
            }
        }, parallelism, config.group(), config.copyExisting(), config.target().describe()));
    }

    @Override
    public Position lastCheckpoint() {
        return checkpoint;
    }

    /**
     * Hands the batch to the sink's own thread and returns, so that the engine gathers the next batch while the target
     * applies this one; it waits first for the batch before, so at most one is in flight. {@link #lastCheckpoint()}
     * moves when the batch's target transaction has committed. A failure is thrown by the next call of this method or
     * of {@link #flush()}.
     */
    @Override
    public void writeBatch(Batch batch) {
        requireNonNull(batch, "batch is null");
        submit(() -> writeNow(batch));
    }

    @Override
    public void flush() {
        worker.await();
    }

    /**
     * Rolls back the open target transaction, which holds only the changes of the unfinished source transaction
     * (whatever finished before them was committed first), on the sink's thread after the batches before.
     */
    @Override
    public void discardOpenTransaction() {
        submit(() -> {
            log.debug("rolling back {} changes of a source transaction that will not commit as they were sent", openEvents);
            rollback();
        });
    }

    /** Runs {@code work} on the sink's thread after what was submitted before. */
    private void submit(Runnable work) {
        if (closed) {
            throw new IllegalStateException("the PostgreSQL sink is closed");
        }
        worker.submit(work);
    }

    /** The batch, on the sink's thread: one target transaction, retries, and the row-by-row diagnosis. */
    private void writeNow(Batch batch) {
        boolean rowByRow = false;
        int retries = 0;
        // Changes of an unfinished source transaction, applied from earlier batches and not committed: if this
        // transaction is lost, they cannot be applied again from here.
        carriedOpen = openEvents > 0;
        while (true) {
            try {
                if (connection == null) {
                    connection = reconnect();
                }
                write(batch, rowByRow);
                if (rowByRow) {
                    log.warn("batch up to {} applied change by change after a multi-row statement failed", batch.checkpoint());
                }
                return;
            } catch (ApplyException e) {
                boolean lostEarlierChanges = carriedOpen;
                rollback();
                if (lostEarlierChanges) {
                    String message = e.getMessage() + "; this rolled back the changes of an unfinished source transaction "
                            + "received in earlier batches, so the stream must restart from checkpoint " + checkpoint
                            + " to receive them again";
                    if (e.isTransient()) {
                        // The target may be back by then: the command line restarts the stream.
                        throw new TransientSinkException(message, e.getCause());
                    }
                    throw new PostgresSinkException(message, e.getCause());
                }
                if (e.isTransient() && retries < config.maxRetries()) {
                    retries++;
                    Duration wait = backoff(retries);
                    log.warn("{}; rolled back, retry {} of {} in {} ms on a new connection", e.getMessage(), retries,
                            config.maxRetries(), wait.toMillis());
                    closeQuietly(connection);
                    connection = null;
                    sleep(wait);
                    continue;
                }
                if (e.multiRow() && !rowByRow && !e.isTransient()) {
                    log.warn("{}; rolled back, applying the batch again change by change to find the change at fault",
                            e.getMessage());
                    rowByRow = true;
                    continue;
                }
                String message = "cannot write the batch up to " + batch.checkpoint() + " into " + config.target().describe()
                        + ": " + e.getMessage() + (e.isTransient() ? " (gave up after " + retries + " retries)" : "")
                        + "; rolled back, checkpoint stays at " + checkpoint;
                log.error(message);
                throw new PostgresSinkException(message, e.getCause());
            }
        }
    }

    /** Rolls back an unfinished source transaction's changes (the source delivers them again) and disconnects. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            worker.await();
        } catch (RuntimeException e) {
            log.warn("the last batch was not applied: {}", e.getMessage());
        }
        if (!worker.stop(Duration.ofSeconds(60), false)) {
            // Its transaction is rolled back when the process ends; a rollback from here could interleave with it.
            log.warn("the sink's thread is still writing (or the wait was interrupted); leaving its connection to it");
            return;
        }
        if (openEvents > 0) {
            log.info("rolling back {} changes of a source transaction that has not finished; they are delivered again "
                    + "on the next run", openEvents);
        }
        rollback();
        closeQuietly(connection);
        connection = null;
    }

    private void write(Batch batch, boolean rowByRow) throws ApplyException {
        List<ChangeEvent> events = batch.events();
        int start = 0;
        while (start < events.size() && checkpoint.covers(events.get(start))) {
            start++;
        }
        if (start > 0) {
            log.info("{} changes of transactions at or before checkpoint {} are in the target already; not applied again",
                    start, checkpoint);
        }
        // Source transactions are applied whole, in one target transaction: the target commits only at a checkpoint
        // after a whole transaction. The changes past it (a batch cut inside a large transaction, or provisional
        // changes) stay in the open target transaction, to commit with the rest of theirs. An initial copy's rows
        // belong to no source transaction: each batch of them commits with its checkpoint.
        Position commitAt = batch.checkpoint().wholeTransaction() || copied(batch)
                ? Position.max(checkpoint, batch.checkpoint()) : checkpoint;
        int complete = start;
        while (complete < events.size() && commitAt.covers(events.get(complete))) {
            complete++;
        }
        applier.apply(connection, events.subList(start, complete), rowByRow);
        if (commitAt.isAfter(checkpoint)) {
            commit(commitAt);
        }
        if (complete < events.size()) {
            List<ChangeEvent> open = events.subList(complete, events.size());
            applier.apply(connection, open, rowByRow);
            openEvents += open.size();
        }
    }

    private static boolean copied(Batch batch) {
        if (batch.isEmpty()) {
            return false;
        }
        Operation last = batch.events().get(batch.size() - 1).operation();
        return last == Operation.READ || last == Operation.COPY_DONE;
    }

    private void commit(Position position) throws ApplyException {
        applier.finishCopy();
        try {
            if (position.isAfter(checkpoint)) {
                checkpoints.save(connection, position);
            }
            ddl.committing();
            connection.commit();
        } catch (SQLException e) {
            throw new ApplyException("cannot commit up to " + position + ": " + SqlStates.describe(e), e, false);
        }
        checkpoint = Position.max(checkpoint, position);
        openEvents = 0;
        carriedOpen = false;
        ddl.committed();
    }

    private void rollback() {
        applier.reset();
        ddl.rolledBack();
        openEvents = 0;
        carriedOpen = false;
        if (connection != null) {
            try {
                connection.rollback();
            } catch (SQLException e) {
                log.debug("rollback failed ({}); the connection is replaced", e.getMessage());
                closeQuietly(connection);
                connection = null;
            }
        }
    }

    private Connection reconnect() throws ApplyException {
        Connection fresh = null;
        try {
            fresh = PgConnections.connect(config.target(), applicationName);
            prepareSession(fresh);
            Position stored = checkpoints.load(fresh);
            fresh.commit();
            boolean lastCommitWentThrough = stored.isAfter(checkpoint);
            if (lastCommitWentThrough) {
                // The connection broke during a commit that went through: the checkpoint says so, and the retry skips
                // what that commit covered.
                log.info("the last commit reached the target before the connection broke; checkpoint is {}", stored);
                checkpoint = stored;
            } else if (!stored.equals(checkpoint)) {
                throw new ApplyException("the checkpoint of group " + config.group() + " in the target is " + stored
                        + ", but this sink wrote " + checkpoint + "; is another pg_flo writing the same group?", null, false);
            }
            ddl.inDoubtCommit(lastCommitWentThrough);
            log.info("reconnected to the target {}", config.target().describe());
            return fresh;
        } catch (SQLException e) {
            closeQuietly(fresh);
            throw new ApplyException("cannot connect to the target " + config.target().describe() + ": "
                    + SqlStates.describe(e), e, false);
        } catch (ApplyException | RuntimeException e) {
            closeQuietly(fresh);
            throw e;
        }
    }

    /**
     * Session settings that make the text values read back exactly as the source wrote them, and keep the target's
     * own triggers and foreign keys from firing on replicated changes (as PostgreSQL's own replication does) when the
     * user may set {@code session_replication_role}.
     *
     * <p>No idle or transaction timeouts for this session: it waits, idle and often inside a transaction, for as long
     * as the source keeps a transaction open or stays quiet. A target-wide {@code idle_in_transaction_session_timeout}
     * (or PostgreSQL 17's {@code transaction_timeout}) would end the open part of a large source transaction, and the
     * restart would meet the same wait again, every time. No statement timeout either: a COPY stays open while the
     * rows of a source transaction keep coming (see {@link OpenCopy}), as long as the source takes.
     */
    private void prepareSession(Connection target) throws SQLException {
        target.setAutoCommit(true);
        try (Statement statement = target.createStatement()) {
            try {
                applySettings(target, sourceSettings);
                targetTables.replicaRole(true);
            } catch (ReplicaRoleRefused e) {
                targetTables.replicaRole(false);
                if (!warnedAboutReplicaRole) {
                    log.info("target user {} may not set session_replication_role ({}); the target's triggers and "
                            + "foreign keys stay active while changes are applied", config.target().user(),
                            SqlStates.firstLine(e.getMessage()));
                    warnedAboutReplicaRole = true;
                }
            }
            try (ResultSet rows = statement.executeQuery("SHOW search_path")) {
                rows.next();
                ddl.baseSearchPath(rows.getString(1));
            }
        }
        target.setAutoCommit(false);
    }

    /**
     * The settings of {@link #prepareSession}, on a connection in auto-commit; throws {@link ReplicaRoleRefused},
     * with everything else set, when the user may not set {@code session_replication_role}.
     */
    private static void applySettings(Connection target, SourceSettings sourceSettings) throws SQLException {
        try (Statement statement = target.createStatement()) {
            statement.execute("SET DateStyle = 'ISO, YMD'");
            statement.execute("SET IntervalStyle = 'postgres'");
            statement.execute("SET TimeZone = 'UTC'");
            statement.execute("SET extra_float_digits = 3");
            statement.execute("SET bytea_output = 'hex'");
            PgConnections.turnOffTimeouts(target);
            trySet(target, "lc_monetary", sourceSettings.lcMonetary());
            trySet(target, "search_path", sourceSettings.searchPath());
            try {
                statement.execute("SET session_replication_role = replica");
            } catch (SQLException e) {
                throw new ReplicaRoleRefused(e);
            }
        }
    }

    /** The user may not set {@code session_replication_role}; the other settings are made. */
    private static final class ReplicaRoleRefused extends SQLException {
        private static final long serialVersionUID = 1L;

        ReplicaRoleRefused(SQLException cause) {
            super(cause.getMessage(), cause.getSQLState(), cause);
        }
    }

    private static void trySet(Connection target, String name, String value) {
        if (value == null) {
            return;
        }
        try (PreparedStatement statement = target.prepareStatement("SELECT pg_catalog.set_config(?, ?, false)")) {
            statement.setString(1, name);
            statement.setString(2, value);
            statement.execute();
        } catch (SQLException e) {
            log.warn("cannot set {} = '{}' on the target as on the source ({}); values that depend on it (money for "
                    + "lc_monetary) may not read back", name, value, SqlStates.firstLine(e.getMessage()));
        }
    }

    private Duration backoff(int retry) {
        Duration wait = config.retryBackoff().multipliedBy(1L << Math.min(retry - 1, 16));
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PostgresSinkException("interrupted while waiting to retry", e);
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Broken already; closing is best effort.
            }
        }
    }

    /** What the target session copies from the source: the settings that decide how text values read. */
    record SourceSettings(String searchPath, String lcMonetary, DatabaseIdentity identity) {
        static final SourceSettings UNKNOWN = new SourceSettings(null, null, null);

        /** Reads them, and checks that every replicated table has a replication key. */
        static SourceSettings read(PostgresSinkConfig config) {
            try (Connection source = PgConnections.open(config.source(), "pg_flo-" + config.group() + "-sink-check",
                    PgConnections.SOURCE)) {
                ReplicationKeyCheck.check(source, config.source().describe(), config.tables());
                try (Statement statement = source.createStatement()) {
                    String searchPath;
                    String lcMonetary;
                    try (ResultSet rows = statement.executeQuery("SHOW search_path")) {
                        rows.next();
                        searchPath = rows.getString(1);
                    }
                    try (ResultSet rows = statement.executeQuery("SHOW lc_monetary")) {
                        rows.next();
                        lcMonetary = rows.getString(1);
                    }
                    return new SourceSettings(searchPath, lcMonetary, DatabaseIdentity.of(source));
                }
            } catch (SQLException e) {
                throw new ConfigurationException("cannot read the source " + config.source().describe() + ": "
                        + SqlStates.describe(e), e);
            }
        }
    }
}
