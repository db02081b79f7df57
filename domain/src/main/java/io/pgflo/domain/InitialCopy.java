package io.pgflo.domain;

import static java.util.Objects.requireNonNull;

import io.pgflo.sink.api.Batch;
import io.pgflo.sink.api.BulkLoader;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.TableName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Copies the rows tables had at the stream's start into the sink, as {@link io.pgflo.sink.api.Operation#READ}
 * changes, so that the stream that follows continues exactly from them.
 *
 * <p>Where the copy stands in the stream: its rows are what every transaction committed before the consistent point
 * {@code C} left, so they come before the first streamed transaction. They are numbered as the changes of one
 * transaction committing at {@code C - 1}, a position no real transaction can have (a WAL record takes more than a
 * byte, and nothing before {@code C} is decoded); each batch is checkpointed at its last row, which every sink makes
 * durable as it does a part of a large transaction. The copy ends with the checkpoint after {@code C}, where the stream
 * then starts.
 *
 * <p>Parts ({@link CopyChunk}) are read by {@code workers} threads at once. For a sink that offers a
 * {@link BulkLoader}, each worker loads the part it reads straight into it, in a sink transaction of the part's own
 * ({@link BulkCopy}). For any other sink, the parts are handed to the calling thread, which numbers the rows, batches
 * them and writes them to the sink: the sink is still called from one thread. Each table's rows end with a
 * {@link Operation#COPY_DONE} event. A table whose rows are all durable is recorded in the {@link CopyProgressStore}; a
 * copy that stops (or crashes) and runs again skips those tables and copies the others again in full (a bulk loader
 * also skips parts it holds from this very snapshot, and empties a table of what an earlier snapshot's parts left).
 */
public final class InitialCopy {
    /** A reader hands its rows over in groups this large (or this many value bytes), so the queue costs little. */
    private static final int HANDOVER_ROWS = 512;
    private static final long HANDOVER_BYTES = 1L << 20;
    private static final long POLL_MILLIS = 50;

    private final SnapshotReader reader;
    private final Sink sink;
    private final CopyProgressStore progress;
    private final CopySettings settings;
    private final ChangeShaper shaper;
    private final PipelineListener listener;
    private final CopyStats stats = new CopyStats();
    private volatile boolean stopRequested;

    public InitialCopy(SnapshotReader reader, Sink sink, CopyProgressStore progress, CopySettings settings) {
        this(reader, sink, progress, settings, ChangeShaper.NONE, PipelineListener.NONE);
    }

    /**
     * A copy whose rows {@code shaper} shapes before the sink sees them, as the stream's changes are; each row it leaves
     * out is reported to {@code listener}. On the bulk path the shaper and {@link PipelineListener#filtered} are called
     * from the copy's worker threads, several at once.
     */
    public InitialCopy(SnapshotReader reader, Sink sink, CopyProgressStore progress, CopySettings settings,
            ChangeShaper shaper, PipelineListener listener) {
        this.shaper = requireNonNull(shaper, "shaper is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.reader = requireNonNull(reader, "reader is null");
        this.sink = requireNonNull(sink, "sink is null");
        this.progress = requireNonNull(progress, "progress is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    /** The commit LSN the copy's rows carry when the stream starts at {@code consistentPoint} (see the class comment). */
    public static Lsn rowsCommitLsn(Lsn consistentPoint) {
        return consistentPoint.equals(Lsn.ZERO) ? Lsn.ZERO : Lsn.of(consistentPoint.value() - 1);
    }

    public CopyStats stats() {
        return stats;
    }

    /** Asks {@link #run} to write what it has read, make it durable and return false; from any thread. */
    public void stop() {
        stopRequested = true;
    }

    /**
     * Copies {@code tables} (those not finished by an earlier run of the same copy) and returns true once all of it and
     * the checkpoint at {@code consistentPoint} are durable; false after {@link #stop()}. A part that cannot be read
     * or a batch the sink refuses is thrown, with what is durable recorded.
     */
    public boolean run(List<TableName> tables, Lsn consistentPoint) throws InterruptedException {
        Optional<BulkLoader> bulk = sink.bulkLoader(settings.workers());
        if (bulk.isEmpty()) {
            return run(tables, consistentPoint, null);
        }
        try (BulkLoader loader = bulk.get()) {
            return run(tables, consistentPoint, loader);
        }
    }

    private boolean run(List<TableName> tables, Lsn consistentPoint, BulkLoader loader) throws InterruptedException {
        Position end = Position.afterTransaction(consistentPoint);
        Position start = sink.lastCheckpoint();
        if (start.wholeTransaction() && start.compareTo(end) >= 0) {
            // The sink is past the copy: it completed, and only the record of that was lost.
            if (loader != null) {
                loader.complete();
            }
            progress.complete();
            return true;
        }
        Lsn commitLsn = rowsCommitLsn(consistentPoint);
        Set<TableName> finished = new LinkedHashSet<>(progress.load()
                .filter(state -> state.consistentPoint().equals(consistentPoint))
                .map(CopyState::finished).orElse(Set.of()));
        finished.retainAll(tables);
        progress.save(new CopyState(consistentPoint, finished));
        List<TableName> todo = new ArrayList<>(tables);
        todo.removeAll(finished);
        stats.skipped(finished);
        int firstOrdinal = !start.wholeTransaction() && start.lsn().equals(commitLsn) ? start.ordinal() + 1 : 0;
        boolean copied = loader == null
                ? new Run(consistentPoint, commitLsn, finished, firstOrdinal).copy(todo)
                : new BulkCopy(reader, loader, sink, progress, settings, stats, () -> stopRequested, consistentPoint,
                        finished, firstOrdinal, shaper, listener).copy(todo);
        if (!copied) {
            return false;
        }
        sink.writeBatch(Batch.of(List.of(), end));
        sink.flush();
        if (loader != null) {
            loader.complete();
        }
        progress.complete();
        return true;
    }

    /** One run of the copy: the reading threads, and the writing on the calling thread. */
    private final class Run {
        private final Lsn consistentPoint;
        private final Lsn commitLsn;
        private final Instant commitTime = Instant.now();
        private final Set<TableName> finished;
        /** Tables read in full, by the last ordinal handed out when they were: durable once the checkpoint covers it. */
        private final Map<TableName, Integer> awaitingDurable = new LinkedHashMap<>();
        private final List<SourceChange> pending = new ArrayList<>();
        private final Map<TableName, List<String>> keys = new HashMap<>();
        private long pendingBytes;
        private long pendingSince;
        private int nextOrdinal;
        private RuntimeException failure;

        Run(Lsn consistentPoint, Lsn commitLsn, Set<TableName> finished, int firstOrdinal) {
            this.consistentPoint = consistentPoint;
            this.commitLsn = commitLsn;
            this.finished = finished;
            this.nextOrdinal = firstOrdinal;
        }

        boolean copy(List<TableName> tables) throws InterruptedException {
            List<CopyChunk> chunks = new ArrayList<>();
            Map<TableName, Long> estimates = new HashMap<>();
            Map<TableName, Integer> partsLeft = new HashMap<>();
            for (TableName table : tables) {
                List<CopyChunk> parts = reader.plan(table, settings.chunkBytes());
                chunks.addAll(parts);
                partsLeft.put(table, parts.size());
                estimates.put(table, reader.estimatedRows(table));
            }
            stats.plan(tables, estimates);
            if (chunks.isEmpty()) {
                return true;
            }
            BlockingQueue<Handover> queue = new ArrayBlockingQueue<>(2 * settings.workers() + 2);
            ExecutorService workers = Executors.newFixedThreadPool(Math.min(settings.workers(), chunks.size()),
                    threads());
            try {
                for (CopyChunk chunk : chunks) {
                    workers.execute(() -> readInto(chunk, queue));
                }
                int partsToGo = chunks.size();
                while (partsToGo > 0 && !stopRequested && failure == null) {
                    Handover next = queue.poll(POLL_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
                    if (next instanceof Handover.Rows rows) {
                        take(rows.rows());
                    } else if (next instanceof Handover.PartDone done) {
                        partsToGo--;
                        TableName table = done.chunk().table();
                        if (partsLeft.merge(table, -1, Integer::sum) == 0) {
                            take(List.of(copyDone(table)));
                            awaitingDurable.put(table, nextOrdinal - 1);
                            stats.finished(table);
                        }
                    } else if (next instanceof Handover.Failed failed) {
                        failure = failed.error(); // what was read before is still written and recorded
                    } else if (!pending.isEmpty() && System.nanoTime() - pendingSince
                            >= settings.batches().maxDelay().toNanos()) {
                        write();
                    }
                }
            } finally {
                workers.shutdownNow();
            }
            write();
            sink.flush();
            recordDurable();
            if (failure != null) {
                throw failure;
            }
            return !stopRequested;
        }

        private void readInto(CopyChunk chunk, BlockingQueue<Handover> queue) {
            try {
                List<SourceChange> group = new ArrayList<>(HANDOVER_ROWS);
                long[] bytes = {0};
                reader.read(chunk, row -> {
                    group.add(row);
                    bytes[0] += row.valueBytes();
                    if (group.size() >= HANDOVER_ROWS || bytes[0] >= HANDOVER_BYTES) {
                        hand(queue, new Handover.Rows(List.copyOf(group)));
                        group.clear();
                        bytes[0] = 0;
                    }
                });
                if (!group.isEmpty()) {
                    hand(queue, new Handover.Rows(List.copyOf(group)));
                }
                hand(queue, new Handover.PartDone(chunk));
            } catch (InterruptedException | StoppedReading e) {
                Thread.currentThread().interrupt(); // the copy ended: nobody takes what this part read
            } catch (RuntimeException e) {
                try {
                    // Waits for room like the rows do: a failure dropped on a full queue would leave the copy
                    // waiting for a part that never ends.
                    hand(queue, new Handover.Failed(e));
                } catch (StoppedReading stopped) {
                    Thread.currentThread().interrupt(); // the copy ended already
                }
            }
        }

        /** The event that ends a table's copy, with the key its rows had. */
        private SourceChange copyDone(TableName table) {
            return new SourceChange(Operation.COPY_DONE, table.schema(), table.table(), consistentPoint, commitLsn, 0,
                    commitTime, 0, keys.getOrDefault(table, List.of()), null, null, null);
        }

        private void take(List<SourceChange> rows) {
            if (pending.isEmpty()) {
                pendingSince = System.nanoTime();
            }
            for (SourceChange read : rows) {
                SourceChange row = shaper.shape(read);
                if (row == null) {
                    listener.filtered(read);
                    continue;
                }
                if (nextOrdinal == Integer.MAX_VALUE) {
                    throw new IllegalStateException("a copy of more than " + (Integer.MAX_VALUE - 1) + " rows in one "
                            + "run is not supported; copy fewer tables at a time with --tables");
                }
                SourceChange numbered = row.numbered(consistentPoint, commitLsn, commitTime, nextOrdinal++);
                pending.add(numbered);
                pendingBytes += numbered.valueBytes();
                if (numbered.operation() == Operation.READ) {
                    // Named as read: a shaper may rename the table, the copy's bookkeeping is by source table.
                    TableName table = new TableName(read.schema(), read.table());
                    stats.written(table, numbered.valueBytes());
                    keys.putIfAbsent(table, numbered.keyColumns());
                }
                if (pending.size() >= settings.batches().maxEvents() || pendingBytes >= settings.batches().maxBytes()) {
                    write();
                }
            }
        }

        private void write() {
            if (pending.isEmpty()) {
                return;
            }
            Position checkpoint = Position.of(commitLsn, pending.get(pending.size() - 1).ordinal());
            sink.writeBatch(Batch.of(pending, checkpoint));
            pending.clear();
            pendingBytes = 0;
            recordDurable();
        }

        /** Records the tables whose rows the sink has made durable. */
        private void recordDurable() {
            Position durable = sink.lastCheckpoint();
            boolean changed = false;
            for (var it = awaitingDurable.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<TableName, Integer> table = it.next();
                if (table.getValue() < 0 || durable.covers(commitLsn, table.getValue())) {
                    finished.add(table.getKey());
                    it.remove();
                    changed = true;
                }
            }
            if (changed) {
                progress.save(new CopyState(consistentPoint, finished));
            }
        }
    }

    private static void hand(BlockingQueue<Handover> queue, Handover handover) {
        try {
            queue.put(handover);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoppedReading();
        }
    }

    /** Thrown through the reader's callback when the copy has ended and nobody takes rows any more. */
    private static final class StoppedReading extends RuntimeException {
        StoppedReading() {
            super(null, null, false, false);
        }
    }

    /** The copy's worker threads: daemons, numbered, for the one-thread and the bulk path alike. */
    static java.util.concurrent.ThreadFactory threads() {
        AtomicInteger number = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "pg_flo-copy-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** What a reading thread hands to the writing one. */
    private sealed interface Handover {
        record Rows(List<SourceChange> rows) implements Handover {}

        record PartDone(CopyChunk chunk) implements Handover {}

        record Failed(RuntimeException error) implements Handover {}
    }
}
